"""The optional extras: what needs them, and the one install command to name when one is missing.

The base install (`pip install scaffold-services`) generates, updates and checks repositories.
The real tools of `scaffold verify` come with the `verify` extra and the MCP server with the
`mcp` extra. Modules of an extra are imported only inside the functions that use them (a test
imports every module of scaffold with the extras blocked), so a missing extra is a clear message
or a "skipped" check naming the install command, never a crash.
"""

from __future__ import annotations

import importlib.util
from typing import Literal

from generator.errors import MissingExtraError

Extra = Literal["verify", "mcp"]
DISTRIBUTION = "scaffold-services"


def install_command(extra: Extra) -> str:
    """How to install an extra: `pip install 'scaffold-services[verify]'`."""
    return f"pip install '{DISTRIBUTION}[{extra}]'"


def installed(module: str) -> bool:
    """Whether `module` (a top-level import name) can be imported, without importing it."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing(what: str, extra: Extra) -> str:
    """The reason a check was skipped: `checkov is not installed: pip install '...[verify]'`."""
    return f"{what} is not installed: {install_command(extra)}"


def require(module: str, what: str, extra: Extra) -> None:
    """Raise MissingExtraError naming the install command when `module` cannot be imported."""
    if not installed(module):
        raise MissingExtraError(missing(what, extra))
