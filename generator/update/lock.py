"""One `scaffold update` at a time per repository: an exclusive lock in the repository's git dir.

Two updates merging into the same files at once would nest conflict markers and interleave
writes. The lock is a `flock` on `<git dir>/scaffold-update.lock`, held for the whole update
(from reading the answers file to the last write): the operating system releases it when the
process ends however it ends, so a killed update never leaves a stale lock behind. A second
update finds it taken and stops at once (exit 2), naming the process that holds it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import BadInputError, NotAScaffoldRepositoryError
from generator.git import run_git

LOCK_FILE = "scaffold-update.lock"


class RepositoryBusyError(BadInputError):
    """Another `scaffold update` holds the repository's lock."""


def git_dir(repo: Path) -> Path:
    """The repository's git dir (`.git`, or a worktree's own)."""
    found = run_git("rev-parse", "--absolute-git-dir", cwd=repo)
    if found.returncode != 0 or not found.stdout.strip():
        raise NotAScaffoldRepositoryError(
            f"{str(repo)!r} is not in a git working tree: scaffold update needs git, so that "
            "every change it makes can be reviewed and undone"
        )
    return Path(found.stdout.strip())


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def repository_lock(repo: Path) -> Iterator[Path]:
    """Hold the update lock of `repo` for the block; yields the git dir."""
    folder = git_dir(repo)
    path = folder / LOCK_FILE
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as error:
        raise BadInputError(f"cannot create the update lock {path}: {error.strerror}") from None
    try:
        if not _try_lock(fd):
            holder = os.read(fd, 64).decode(errors="replace").strip() or "unknown"
            raise RepositoryBusyError(
                f"another scaffold update is running in {str(repo)!r} (process {holder}); "
                "wait for it to finish, then run this one. Nothing was changed"
            )
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield folder
    finally:
        os.close(fd)  # releases the lock; the file stays (removing it would race)
