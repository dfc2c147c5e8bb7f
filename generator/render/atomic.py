"""Write a rendered tree into place: all of it, or nothing.

Rendering happens in a staging folder beside the destination (same file system), named after
the process that owns it (`generator.render.staging`), so a killed run's folder is cleaned by
the next one. A destination that does not exist is then created by one rename of the whole
tree, which fails if anything appeared there meanwhile. Into an existing folder (empty, or
not empty with `force`) the files move in through a `Transaction`: every file replaced is kept
aside until all are in place, and an error or a signal puts everything back as it was.
Without `force` nothing that exists is ever replaced, not even a file that appeared during the
render; with it, files scaffold did not render are never deleted. Nothing is written through
a symbolic link.
Missing parent folders of the destination are created (as `mkdir -p` and Copier do) and
removed again when the write fails.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import DestinationError
from generator.render import staging as owned
from generator.render.transaction import RollbackError, Transaction, rename_noreplace

_NAME_MAX = 255


def list_files(root: Path) -> list[str]:
    """Every file below `root` as sorted POSIX relative paths (no bytecode caches)."""
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if (path.is_file() or path.is_symlink()) and "__pycache__" not in path.parts
    )


def _empty_folders(root: Path) -> list[str]:
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_dir() and not path.is_symlink() and not any(path.iterdir())
    )


def resolve_output(path: Path) -> Path:
    """An output path as given (`~` expanded), absolute; a `~user` that does not exist is
    bad input."""
    try:
        return path.expanduser().absolute()
    except RuntimeError as error:  # ~nosuchuser
        raise DestinationError(f"cannot use {str(path)!r} as the destination: {error}") from None


def check_destination(dest: Path, force: bool) -> bool:
    """Refuse destinations we must not write; return True when `dest` holds files already."""
    if len(os.fsencode(dest.name)) > _NAME_MAX:
        raise DestinationError(
            f"destination name {dest.name[:40]!r}... is {len(os.fsencode(dest.name))} bytes "
            f"long; folder names take at most {_NAME_MAX}"
        )
    if dest.is_symlink():
        raise DestinationError(
            f"destination {str(dest)!r} is a symbolic link (to {os.readlink(dest)!r}); scaffold "
            "never writes through symbolic links: give the folder itself"
        )
    if dest.exists() and not dest.is_dir():
        raise DestinationError(f"destination {str(dest)!r} exists and is not a folder")
    if dest.is_dir():  # a killed run's staging folder inside it: rolled back, removed
        owned.sweep(dest, root_ok=lambda root: root == dest)
    occupied = dest.is_dir() and any(dest.iterdir())
    if occupied and not force:
        raise DestinationError(
            f"destination {str(dest)!r} is not empty; choose another -o/--output or pass "
            "--force to overwrite the files scaffold generates (nothing else is deleted)"
        )
    if dest.is_dir() and not os.access(dest, os.W_OK | os.X_OK):
        raise DestinationError(f"destination {str(dest)!r} is not writable")
    parent = _nearest_existing(dest.parent)
    if not parent.is_dir():
        raise DestinationError(
            f"{str(parent)!r} is a file, so the folder {str(dest.parent)!r} cannot be created; "
            "choose another -o/--output"
        )
    if not os.access(parent, os.W_OK):
        raise DestinationError(
            f"folder {str(parent)!r} is not writable; choose another -o/--output"
        )
    return occupied


def _nearest_existing(folder: Path) -> Path:
    """`folder`, or its closest ancestor that exists (missing parents are created, as mkdir -p)."""
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def make_parents(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; return the ones created, outermost first."""
    missing = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    missing.reverse()
    for path in missing:
        path.mkdir(exist_ok=True)
    return missing


def remove_if_empty(folders: list[Path]) -> None:
    """Remove the folders `make_parents` created, innermost first, where still empty."""
    for path in reversed(folders):
        try:
            path.rmdir()
        except OSError:
            return


@contextmanager
def staging_dir(dest: Path) -> Iterator[Path]:
    """A fresh folder on `dest`'s file system, owned by this process, removed whatever happens
    (unless a failed rollback left the user's files in it): beside `dest`, or inside it when
    it exists (it may be a mount point, where nothing beside it can be renamed in)."""
    inside = dest.is_dir() and not dest.is_symlink()
    try:
        staging = owned.make_owned(
            dest if inside else dest.parent,
            "staging",
            beside=dest.name,
            root_ok=(lambda root: root == dest) if inside else None,
        )
    except OSError as error:
        raise DestinationError(
            f"cannot create a staging folder in {str(dest.parent)!r}: {error.strerror}"
        ) from None
    try:
        yield staging
    except RollbackError:
        raise  # it holds the user's files the rollback could not put back: keep it
    except BaseException:
        owned.remove(staging)
        raise
    owned.remove(staging)


def move_into_place(
    tree: Path, dest: Path, *, force: bool = False, work: Path | None = None
) -> list[str]:
    """Move the rendered `tree` to `dest`; return the files that replaced existing ones.

    `work` is a folder beside `dest` for the transaction's journal and backups (default: the
    folder holding `tree`).
    """
    try:
        rename_noreplace(tree, dest)
        return []
    except FileExistsError:
        pass  # an existing folder: file by file below
    except OSError as error:
        raise _cannot_write(dest, error) from None
    if dest.is_symlink() or not dest.is_dir():
        raise DestinationError(
            f"destination {str(dest)!r} was replaced by a file or a link while scaffold was "
            "rendering; nothing was written"
        )
    ours = work if work is not None else tree.parent
    if not force and any(entry != ours for entry in dest.iterdir()):
        raise DestinationError(
            f"destination {str(dest)!r} is no longer empty (something was written there while "
            "scaffold was rendering); nothing was written. Choose another -o/--output or pass "
            "--force"
        )
    txn = Transaction(dest, ours)
    for folder in _empty_folders(tree):
        txn.folder(folder)
    for rel in list_files(tree):
        txn.put(rel, tree / rel)
    return txn.commit(replace=force)


def _cannot_write(dest: Path, error: OSError) -> DestinationError:
    if error.errno == errno.ENOTDIR:
        return DestinationError(
            f"destination {str(dest)!r} is not a folder (a file or a link appeared there); "
            "nothing was written"
        )
    return DestinationError(f"cannot write {str(dest)!r}: {error.strerror}; nothing was written")


def write_atomically(
    dest: Path, render: Callable[[Path], None], force: bool
) -> tuple[list[str], list[str]]:
    """Render into a staging folder beside `dest`, then move it into place (all or nothing).

    Returns the files written and, of those, the ones that replaced existing files.
    """
    check_destination(dest, force)
    created = make_parents(dest.parent)
    try:
        with staging_dir(dest) as staging:
            tree = staging / "tree"
            tree.mkdir()
            render(tree)
            files = list_files(tree)
            return files, move_into_place(tree, dest, force=force, work=staging)
    except BaseException:
        remove_if_empty(created)  # a failed write leaves no folders behind either
        raise
