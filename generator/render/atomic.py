"""Write a rendered tree into place so that an interrupted run leaves nothing half-written.

Rendering happens in a temporary folder beside the destination (same file system), which is
then renamed into place. With `force` into a non-empty folder, rendered files replace their
counterparts one by one (each an atomic rename); files scaffold did not render are never
deleted.
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
    parent = dest.parent
    if not parent.is_dir():
        raise DestinationError(f"parent folder {str(parent)!r} of the destination does not exist")
    if not os.access(parent, os.W_OK):
        raise DestinationError(f"parent folder {str(parent)!r} is not writable")
    return occupied


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
    with staging_dir(dest) as staging:
        tree = staging / "tree"
        tree.mkdir()
        render(tree)
        files = list_files(tree)
        return files, move_into_place(tree, dest)
