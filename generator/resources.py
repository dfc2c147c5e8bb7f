"""Where the bundled templates live: inside the wheel, or in the source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from generator.errors import ScaffoldError

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    """The bundled `name` folder: the copy inside the wheel, else the source checkout's."""
    for candidate in (_PACKAGE_DIR / "_resources" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise ScaffoldError(f"scaffold is installed without its {name!r} folder; reinstall it")


def templates_dir() -> Path:
    """The Copier template root (the folder holding copier.yml)."""
    return resource_dir("templates")


def repo_root() -> Path | None:
    """The scaffold source checkout when running from one (samples live there), else None."""
    root = _PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() and (root / "samples").is_dir() else None
