"""`scaffold mcp`: a Model Context Protocol server over stdio for coding agents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def mcp(
    root: Annotated[
        Path,
        typer.Option(
            "--root",
            help="The folder the tools may read and write (default: the current folder).",
        ),
    ] = Path("."),
    json_: Annotated[
        bool,
        typer.Option(
            "--json", help="Report a start-up error as JSON (the server speaks JSON-RPC)."
        ),
    ] = False,
) -> None:
    """Serve list_types, get_schema, dry_run, generate and verify to an MCP client over stdio.

    Register it in an agent as the command `scaffold mcp`. Needs the `mcp` extra:
    pip install 'scaffold-services[mcp]'.
    """
    from generator.cli._errors import json_mode
    from generator.errors import BadInputError
    from generator.extras import require

    json_mode(json_)
    if not root.is_dir():
        raise BadInputError(f"--root {str(root)!r} is not a folder")
    require("mcp.server.mcpserver", "the MCP SDK 2 (scaffold mcp)", "mcp")
    from generator.mcp_server import serve

    serve(root)


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""
    app.command()(mcp)
