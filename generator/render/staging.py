"""Scratch and staging folders that name their owner, so a later run can clean up a killed one.

Every folder scaffold creates to work in is named `scaffold-<pid>-<label>-XXXX` (in the
temporary folder) or `.<destination>.scaffold-<pid>-XXXX` (on a destination's file system:
beside it, or inside it when it exists), and holds a marker with the owning process: its id,
its start time and the host.
A context manager removes the folder when the work ends, whatever ends it (errors, Ctrl-C,
SIGTERM and SIGHUP, see `generator.signals`). SIGKILL cannot be caught: the next run that
creates a folder in the same place sweeps the folders whose owner is gone, after rolling back
an unfinished transaction they hold (`generator.render.transaction.recover`).

A folder is only swept when its marker says it is ours to judge: created on this host by the
same user, by a process that is no longer running (or whose id now belongs to a process
started at another time).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

MARKER: Final = ".scaffold-owner.json"
_OWNED: Final = re.compile(r"^(?:\..*\.)?scaffold-(?P<pid>\d+)-")
_LABEL: Final = re.compile(r"[^A-Za-z0-9_-]+")
_NAME_ROOM: Final = 64  # of a destination's name inside a staging folder's (NAME_MAX is 255)
_swept: set[Path] = set()


def _start_time(pid: int) -> str | None:
    """When process `pid` started, in clock ticks since boot (Linux), or None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


def owner() -> dict[str, Any]:
    """Who this process is, as a marker records it."""
    pid = os.getpid()
    return {"pid": pid, "start": _start_time(pid), "host": socket.gethostname()}


def _alive(pid: int, start: str | None) -> bool:
    """Whether the process that wrote a marker still runs (unsure counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process of that id: running
    now = _start_time(pid)
    return start is None or now is None or now == start


def _abandoned(folder: Path) -> bool:
    """Whether `folder` is a scaffold folder whose owner is gone (never someone else's)."""
    match = _OWNED.match(folder.name)
    if match is None:
        return False
    try:
        info = folder.lstat()
        if not folder.is_dir() or folder.is_symlink():
            return False
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return False
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # no marker: not provably ours (an empty folder at worst)
        return False
    if not isinstance(marker, dict) or marker.get("pid") != int(match["pid"]):
        return False
    if marker.get("host") != socket.gethostname():
        return False
    return not _alive(int(marker["pid"]), marker.get("start"))


def sweep(parent: Path, root_ok: Callable[[Path], bool] | None = None) -> list[Path]:
    """Remove the scaffold folders in `parent` whose owner is gone; the ones removed.

    A folder holding an unfinished transaction is rolled back first (into a root that
    `root_ok` accepts; by default a sibling of the folder) and kept if that fails.
    """
    from generator.render.transaction import recover

    def sibling(root: Path) -> bool:
        return root.parent == parent

    removed = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return []
    for folder in entries:
        if not _abandoned(folder):
            continue
        if recover(folder, root_ok or sibling):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _sweep_once(parent: Path, root_ok: Callable[[Path], bool] | None) -> None:
    key = parent.absolute()
    if key not in _swept:
        _swept.add(key)
        sweep(parent, root_ok)


def make_owned(
    parent: Path,
    label: str,
    beside: str | None = None,
    root_ok: Callable[[Path], bool] | None = None,
) -> Path:
    """A new folder in `parent` marked as this process's (beside a destination named
    `beside`: hidden and named after it). Abandoned folders in `parent` are swept first
    (once per process), their transactions rolled back into roots `root_ok` accepts."""
    _sweep_once(parent, root_ok)
    pid = os.getpid()
    if beside is not None:
        prefix = f".{beside[:_NAME_ROOM]}.scaffold-{pid}-"
    else:
        prefix = f"scaffold-{pid}-{_LABEL.sub('-', label)[:_NAME_ROOM]}-"
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        (folder / MARKER).write_text(json.dumps(owner()), encoding="utf-8")
    except BaseException:  # Ctrl-C right here: no folder without its marker
        remove(folder)
        raise
    return folder


def remove(folder: Path) -> None:
    """Remove a folder this process made (whatever is in it)."""
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def scratch(label: str, parent: Path | None = None) -> Iterator[Path]:
    """An empty scratch folder (default: in the temporary folder), removed afterwards."""
    base = parent if parent is not None else Path(tempfile.gettempdir())
    folder = make_owned(base, label)
    try:
        work = folder / "work"
        work.mkdir()
        yield work
    finally:
        remove(folder)
