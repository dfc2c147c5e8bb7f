"""Write a rendered tree into place so that an interrupted run leaves nothing half-written.

Rendering happens in a temporary folder beside the destination (same file system), which is
then renamed into place. With `force` into a non-empty folder, rendered files replace their
counterparts one by one (each an atomic rename); files scaffold did not render are never
deleted. Missing parent folders of the destination are created (as `mkdir -p` and Copier do)
and removed again when the write fails.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import DestinationError


def list_files(root: Path) -> list[str]:
    """Every file below `root` as sorted POSIX relative paths (no bytecode caches)."""
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if (path.is_file() or path.is_symlink()) and "__pycache__" not in path.parts
    )


def check_destination(dest: Path, force: bool) -> bool:
    """Refuse destinations we must not write; return True when `dest` holds files already."""
    if dest.exists() and not dest.is_dir():
        raise DestinationError(f"destination {str(dest)!r} exists and is not a folder")
    occupied = dest.is_dir() and any(dest.iterdir())
    if occupied and not force:
        raise DestinationError(
            f"destination {str(dest)!r} is not empty; choose another -o/--output or pass "
            "--force to overwrite the files scaffold generates (nothing else is deleted)"
        )
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
    """A fresh temporary folder beside `dest`, removed whatever happens."""
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.scaffold-", dir=dest.parent))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def move_into_place(staging: Path, dest: Path) -> list[str]:
    """Move the rendered tree to `dest`; return the files that replaced existing ones."""
    if not dest.exists():
        staging.rename(dest)
        return []
    if not any(dest.iterdir()):
        # keep the folder itself (it may be the shell's working directory or a mount point)
        for entry in sorted(staging.iterdir()):
            os.replace(entry, dest / entry.name)
        return []
    replaced = []
    for rel in list_files(staging):
        target = dest / rel
        if target.is_dir():
            raise DestinationError(f"cannot overwrite folder {str(target)!r} with a file")
        if target.exists():
            replaced.append(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)
    return replaced


def write_atomically(
    dest: Path, render: Callable[[Path], None], force: bool
) -> tuple[list[str], list[str]]:
    """Render into a staging folder beside `dest`, then move it into place.

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
            return files, move_into_place(tree, dest)
    except BaseException:
        remove_if_empty(created)  # a failed write leaves no folders behind either
        raise
