"""All-or-nothing changes to a folder: stage the new files, swap them in, or put everything back.

`scaffold new` into an existing folder and `scaffold update` change many files. A
`Transaction` makes that one change: every new file is first written to a work folder on the
same file system, then each is renamed into place, the file it replaces (or deletes) being
renamed into the work folder's `backup/` first. Any failure, or a signal (Ctrl-C, SIGTERM,
SIGHUP) arriving before the last step, undoes the steps taken in reverse order, so the folder
ends exactly as it was; the backups are dropped only once every step succeeded.

Writes never follow a symbolic link: each folder on the way is opened with `O_NOFOLLOW`
relative to its parent (no check-then-use race), and a file is only ever placed where nothing
is (`renameat2(RENAME_NOREPLACE)`), after what was there has been moved aside.

Each step is appended to a journal in the work folder, so when a process is killed outright
(SIGKILL, power cut of the process), the next run rolls its changes back (`recover`).
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator import signals
from generator.errors import EXIT_INTERNAL, DestinationError, ScaffoldError

JOURNAL = "journal.jsonl"
BACKUP = "backup"
_AT_FDCWD = -100
_DIR_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_DIRECTORY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_DIR_FD = {os.open, os.mkdir, os.rename, os.unlink, os.rmdir, os.stat} <= os.supports_dir_fd


def _before_step(kind: str, rel: str) -> None:
    """Called before every change on disk (tests inject failures and signals here)."""


class RollbackError(ScaffoldError):
    """A change failed and undoing it failed too: the user's files are kept in the backup."""

    exit_code = EXIT_INTERNAL


def _native_noreplace() -> Callable[[int, bytes, int, bytes], int] | None:
    """renameat2(RENAME_NOREPLACE) on Linux, renameatx_np(RENAME_EXCL) on macOS."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform.startswith("linux"):
            function, flag = libc.renameat2, 1
        elif sys.platform == "darwin":
            function, flag = libc.renameatx_np, 4
        else:
            return None
    except (OSError, AttributeError):
        return None
    int_, text = ctypes.c_int, ctypes.c_char_p
    function.argtypes = [int_, text, int_, text, ctypes.c_uint]
    function.restype = ctypes.c_int
    return lambda src_fd, src, dst_fd, dst: int(function(src_fd, src, dst_fd, dst, flag))


_NOREPLACE = _native_noreplace()


def rename_noreplace(
    src: str | Path,
    dst: str | Path,
    *,
    src_dir_fd: int | None = None,
    dst_dir_fd: int | None = None,
) -> None:
    """Rename `src` to `dst`, failing with FileExistsError when `dst` exists (even a symlink)."""
    if _NOREPLACE is not None:
        done = _NOREPLACE(
            _AT_FDCWD if src_dir_fd is None else src_dir_fd,
            os.fsencode(src),
            _AT_FDCWD if dst_dir_fd is None else dst_dir_fd,
            os.fsencode(dst),
        )
        if done == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(dst))
    # No native call (or a file system without it): a link cannot replace, so files are exact;
    # a folder is checked, then renamed.
    if _lstat(dst, dst_dir_fd) is not None:
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(dst))
    src_stat = os.stat(src, dir_fd=src_dir_fd, follow_symlinks=False)
    if stat.S_ISDIR(src_stat.st_mode) or os.link not in os.supports_dir_fd:
        os.rename(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)
        return
    os.link(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd, follow_symlinks=False)
    os.unlink(src, dir_fd=src_dir_fd)


def _lstat(path: str | Path, dir_fd: int | None = None) -> os.stat_result | None:
    try:
        return os.stat(path, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None


def check_relative(rel: str) -> PurePosixPath:
    """`rel` as a path that stays below its root (no `..`, not absolute, no empty part)."""
    path = PurePosixPath(rel)
    if (
        not rel
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in rel.split("/"))
        or "\\" in rel
        or "\0" in rel
    ):
        raise DestinationError(f"refusing to write {rel!r}: not a path inside the destination")
    return path


def unsafe_component(root: Path, rel: str) -> str | None:
    """Why `root/rel` cannot be written without following a link, or None when it can.

    Each folder on the way must be a real folder (or not exist yet); a symbolic link, or a
    file where a folder is needed, is named.
    """
    parts = check_relative(rel).parts
    current = root
    for part in parts[:-1]:
        current = current / part
        found = _lstat(current)
        if found is None:
            return None
        if stat.S_ISLNK(found.st_mode):
            return f"{current} is a symbolic link (to {os.readlink(current)})"
        if not stat.S_ISDIR(found.st_mode):
            return f"{current} is a file where a folder is needed"
    return None


@dataclass(frozen=True)
class Step:
    """One change made on disk, as the journal records it."""

    kind: str  # mkdir, backup (a file moved aside to be replaced), delete, place
    rel: str
    inode: tuple[int, int] | None = None  # (device, inode) of a placed file


class _Journal:
    """The steps taken, appended as they happen (no fsync: it is for a killed process)."""

    def __init__(self, path: Path, root: Path) -> None:
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        self._write({"root": str(root)})

    def _write(self, entry: dict[str, Any]) -> None:
        os.write(self.fd, (json.dumps(entry) + "\n").encode())

    def step(self, step: Step) -> None:
        self._write({"kind": step.kind, "rel": step.rel, "inode": step.inode})

    def close(self, outcome: str) -> None:
        self._write({"outcome": outcome})
        os.close(self.fd)


def read_journal(path: Path) -> tuple[Path, list[Step], str | None]:
    """The root, the steps and the outcome (committed / rolled-back / None) of a journal."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    root = Path(lines[0]["root"])
    steps = [
        Step(e["kind"], e["rel"], tuple(e["inode"]) if e.get("inode") else None)
        for e in lines[1:]
        if "kind" in e
    ]
    outcomes = [e["outcome"] for e in lines[1:] if "outcome" in e]
    return root, steps, outcomes[-1] if outcomes else None


class _Tree:
    """Folders below `root`, each opened without following links (or checked, without dir_fd)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.fds: dict[str, int] = {}

    def __enter__(self) -> _Tree:
        if _DIR_FD:
            self.fds[""] = os.open(self.root, _DIR_FLAGS)
        return self

    def __exit__(self, *exc: object) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds.clear()

    def at(self, rel: str, create: Callable[[str], None] | None) -> tuple[str, int | None]:
        """(name, folder fd) to act on `rel`; missing folders are made when `create` is given
        (and reported to it)."""
        parts = check_relative(rel).parts
        if not _DIR_FD:
            problem = unsafe_component(self.root, rel)
            if problem:
                raise OSError(errno.ELOOP, problem)
            for depth in range(1, len(parts)):
                folder = "/".join(parts[:depth])
                if _lstat(self.root / folder) is None:
                    if create is None:
                        raise FileNotFoundError(errno.ENOENT, "no such folder", folder)
                    create(folder)
                    os.mkdir(self.root / folder)
            return str(self.root / rel), None
        fd = self.fds[""]
        for depth in range(1, len(parts)):
            key = "/".join(parts[:depth])
            if key not in self.fds:
                self.fds[key] = self._open(parts[depth - 1], fd, key, create)
            fd = self.fds[key]
        return parts[-1], fd

    def _open(self, name: str, parent: int, key: str, create: Callable[[str], None] | None) -> int:
        try:
            return os.open(name, _DIR_FLAGS, dir_fd=parent)
        except FileNotFoundError:
            if create is None:
                raise
        except OSError as error:
            if error.errno not in (errno.ELOOP, errno.ENOTDIR):
                raise
            found = _lstat(name, parent)
            link = found is not None and stat.S_ISLNK(found.st_mode)
            raise OSError(errno.ELOOP if link else errno.ENOTDIR, error.strerror, key) from None
        create(key)  # recorded first: undoing a folder that was never made is a no-op
        os.mkdir(name, dir_fd=parent)
        return os.open(name, _DIR_FLAGS, dir_fd=parent)


class Transaction:
    """Changes below `root`, staged in `work` (a folder on the same file system as `root`)."""

    def __init__(self, root: Path, work: Path) -> None:
        self.root = root
        self.work = work
        self.puts: dict[str, Path] = {}
        self.folders: set[str] = set()
        self.deletes: set[str] = set()
        self.new: set[str] = set()
        self.steps: list[Step] = []
        #: True when a rollback failed: `work` holds the user's files and must be kept.
        self.kept = False

    def put(self, rel: str, staged: Path, *, new: bool = False) -> None:
        """Place the file (or link) `staged` at `rel`, replacing what is there if allowed
        (never when `new`: then anything at `rel` stops the transaction)."""
        check_relative(rel)
        self.puts[rel] = staged
        if new:
            self.new.add(rel)

    def folder(self, rel: str) -> None:
        """Make sure the (possibly empty) folder `rel` exists."""
        check_relative(rel)
        self.folders.add(rel)

    def delete(self, rel: str) -> None:
        """Remove the file at `rel` (and the folders it leaves empty)."""
        check_relative(rel)
        self.deletes.add(rel)

    def preflight(self, replace: bool) -> list[str]:
        """Refuse, before anything changes, what cannot be done; the files that get replaced."""
        replaced = []
        for rel in sorted({*self.puts, *self.folders, *self.deletes}):
            problem = unsafe_component(self.root, rel)
            if problem:
                raise DestinationError(
                    f"cannot write {rel}: {problem}; scaffold never writes through symbolic "
                    "links or over files with folders. Nothing was written"
                )
            found = _lstat(self.root / rel)
            if found is None or rel in self.deletes:
                continue
            is_folder = stat.S_ISDIR(found.st_mode)
            if rel in self.folders:
                if not is_folder:
                    raise DestinationError(
                        f"cannot make the folder {self.root / rel}: a file is there. "
                        "Nothing was written"
                    )
                continue
            if is_folder:
                raise DestinationError(
                    f"cannot replace the folder {self.root / rel} with a file. Nothing was written"
                )
            if rel in self.new:
                raise DestinationError(f"{self.root / rel} exists already; nothing was written")
            if not replace:
                raise DestinationError(
                    f"{self.root / rel} appeared while scaffold was writing; nothing was "
                    "written (pass --force to replace existing files)"
                )
            replaced.append(rel)
        return replaced

    def commit(self, *, replace: bool) -> list[str]:
        """Make every change, or none; the files that were replaced."""
        self.preflight(replace)
        journal = _Journal(self.work / JOURNAL, self.root)
        outcome = "rolled-back"
        try:
            with signals.critical():
                try:
                    with _Tree(self.root) as tree:
                        try:
                            self._apply(tree, journal, replace)
                            _interrupt_point("commit", "")  # a signal during the last step
                        except BaseException as error:
                            self._undo(tree, error)
                            raise
                    outcome = "committed"
                except OSError as error:
                    raise _failure(self.root, error) from None
        finally:
            journal.close(outcome)
        self._prune_emptied()
        return sorted(step.rel for step in self.steps if step.kind == "backup")

    def _apply(self, tree: _Tree, journal: _Journal, replace: bool) -> None:
        """Each change, recorded in the journal before it is made (undoing checks first)."""

        def record(step: Step) -> None:
            self.steps.append(step)
            journal.step(step)

        def making(folder: str) -> None:
            _interrupt_point("mkdir", folder)
            record(Step("mkdir", folder))

        for rel in sorted(self.folders):
            name, fd = tree.at(rel, making)
            if _lstat(name, fd) is None:
                making(rel)
                os.mkdir(name, dir_fd=fd)
        for rel in sorted(self.deletes):
            _interrupt_point("delete", rel)
            try:
                name, fd = tree.at(rel, None)
            except FileNotFoundError:
                continue  # its folder is gone: nothing to delete
            if _lstat(name, fd) is not None:
                record(Step("delete", rel))
                self._move_aside(name, fd, rel)
        for rel, staged in sorted(self.puts.items()):
            _interrupt_point("backup", rel)
            name, fd = tree.at(rel, making)
            found = _lstat(name, fd)
            if found is not None and stat.S_ISDIR(found.st_mode):  # appeared since preflight
                raise IsADirectoryError(errno.EISDIR, "a folder is where a file goes", rel)
            if found is not None and replace and rel not in self.new:
                record(Step("backup", rel))
                self._move_aside(name, fd, rel)
            _interrupt_point("place", rel)
            placed = os.lstat(staged)
            record(Step("place", rel, (placed.st_dev, placed.st_ino)))
            rename_noreplace(staged, name, dst_dir_fd=fd)

    def _move_aside(self, name: str, fd: int | None, rel: str) -> None:
        backup = self.work / BACKUP / rel
        backup.parent.mkdir(parents=True, exist_ok=True)
        rename_noreplace(name, backup, src_dir_fd=fd)

    def _undo(self, tree: _Tree, error: BaseException) -> None:
        problems = rollback(tree, self.work, self.steps)
        if problems:
            self.kept = True
            raise RollbackError(
                f"writing to {self.root} failed ({_reason(error)}) and undoing it failed too "
                f"({'; '.join(problems[:3])}): the files scaffold moved aside are kept in "
                f"{self.work / BACKUP}; move them back by hand"
            ) from None

    def _prune_emptied(self) -> None:
        """Remove the folders that deleting files left empty (after the commit: best effort)."""
        for rel in sorted(self.deletes, reverse=True):
            parent = (self.root / rel).parent
            while parent != self.root and parent.is_dir() and not parent.is_symlink():
                try:
                    parent.rmdir()
                except OSError:
                    break
                parent = parent.parent


def _interrupt_point(kind: str, rel: str) -> None:
    """Stop here (to undo) when a signal arrived; then the tests' hook."""
    signum = signals.pending()
    if signum is not None:
        raise signals.Interrupted(signum)
    if kind != "commit":
        _before_step(kind, rel)


def rollback(tree: _Tree, work: Path, steps: list[Step]) -> list[str]:
    """Undo `steps` in reverse order; what could not be undone (empty when all was)."""
    problems = []
    for step in reversed(steps):
        try:
            _undo_step(tree, work, step)
        except OSError as error:
            problems.append(f"{step.rel}: {error.strerror or error}")
    return problems


def _undo_step(tree: _Tree, work: Path, step: Step) -> None:
    restoring = step.kind in ("backup", "delete")  # a file of the user's goes back
    try:
        name, fd = tree.at(step.rel, (lambda folder: None) if restoring else None)
    except FileNotFoundError:
        return  # its folder is gone: nothing of ours is in it
    if step.kind == "place":
        found = _lstat(name, fd)
        if found is not None and (found.st_dev, found.st_ino) == step.inode:
            os.unlink(name, dir_fd=fd)
    elif step.kind in ("backup", "delete"):
        backup = work / BACKUP / step.rel
        if _lstat(backup) is not None:
            rename_noreplace(backup, name, dst_dir_fd=fd)
    elif step.kind == "mkdir":
        try:
            os.rmdir(name, dir_fd=fd)
        except OSError as error:  # not empty: something else lives there now, keep it
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOENT):
                raise


def recover(work: Path, root_ok: Callable[[Path], bool]) -> bool:
    """Roll back the unfinished transaction of a killed process; True when nothing is left
    to undo (so `work` may be removed)."""
    journal = work / JOURNAL
    if not journal.is_file():
        return True
    try:
        root, steps, outcome = read_journal(journal)
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return False  # not a journal we wrote: leave the folder alone
    if outcome is not None:
        return True
    if not root_ok(root):
        return False
    try:
        with _Tree(root) as tree:
            return not rollback(tree, work, steps)
    except OSError:
        return False


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    return str(error) or type(error).__name__


def _failure(root: Path, error: OSError) -> DestinationError:
    where = f" ({error.filename})" if error.filename else ""
    if error.errno == errno.ELOOP:
        what = "a folder on the way is a symbolic link, which scaffold never writes through"
    elif error.errno == errno.ENOTDIR:
        what = "a file is where a folder is needed"
    elif error.errno == errno.EEXIST:
        what = "a file appeared there while scaffold was writing"
    else:
        what = error.strerror or str(error)
    return DestinationError(
        f"cannot write into {root}: {what}{where}; every change was undone, nothing was written"
    )
