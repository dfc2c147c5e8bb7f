"""`scaffold mcp`: the library's verbs as Model Context Protocol tools, over stdio.

A coding agent gets the same verbs a person has (list types, get a schema, dry-run, generate,
verify) with the same validation: answers go through the spec models, every problem is named
at once, destinations are refused as the CLI refuses them, and writes are atomic. One rule is
added for agents: every path a tool reads or writes must lie inside the server's root (the
folder it was started in, or `--root`), so an agent cannot write outside the workspace it was
given. A refusal is a tool error carrying the CLI's message and exit code; nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

from generator.errors import BadInputError, ScaffoldError

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

INSTRUCTIONS = """\
scaffold generates production-ready AWS service repositories (web-service, batch-service,
event-service). Call list_types, then get_schema for the type's answers; call dry_run to
validate answers and see the files, then generate. verify runs real tools over a generated
repository. Paths are relative to the server's root; nothing outside it is written or read.
"""


def _inside(root: Path, path: str) -> Path:
    """`path` (relative to `root`, or absolute) resolved, refused when it leaves `root`."""
    resolved = (root / path).resolve() if path else root
    if resolved != root and root not in resolved.parents:
        raise BadInputError(
            f"path {path!r} is outside the server's root {str(root)!r}; "
            "give a path inside it (scaffold mcp --root DIR sets the root)"
        )
    return resolved


def _no_links_out(root: Path, repo: Path) -> Path:
    """`repo`, refused when a symbolic link in it leads outside `root` (or nowhere): verify
    reads every file of a repository, and its tools follow links."""
    for folder, dirs, files in os.walk(repo):
        for name in [*dirs, *files]:
            link = Path(folder, name)
            if not link.is_symlink():
                continue
            try:
                target = link.resolve(strict=True)
            except (OSError, RuntimeError):  # dangling, or a loop
                target = None
            if target is None or (target != root and root not in target.parents):
                shown = link.relative_to(root).as_posix()
                raise BadInputError(
                    f"{shown} is a symbolic link to {os.readlink(link)!r}, outside the server's "
                    "root (or nowhere); verify reads every file of a repository, so it refuses "
                    "one that links out of the root"
                )
    return repo


def _failure(exc: ScaffoldError) -> Exception:
    from mcp.server.mcpserver.exceptions import ToolError

    return ToolError(f"{exc.message} (exit code {exc.exit_code})")


def build_server(root: Path) -> MCPServer:
    """The MCP server whose tools work inside `root`."""
    from mcp.server.mcpserver import MCPServer

    from generator import api
    from generator.resources import installed_version
    from generator.spec.answers import build_spec
    from generator.spec.registry import resolve_type

    root = root.resolve()
    server = MCPServer(name="scaffold", instructions=INSTRUCTIONS, version=installed_version())

    def _generate(
        service_type: str, name: str, answers: dict[str, Any], output: str, force: bool, dry: bool
    ) -> dict[str, Any]:
        try:
            model = resolve_type(service_type).model
            spec = build_spec(model, name, answers, [])
            dest = _inside(root, output or name)
            if dest == root:
                raise BadInputError(
                    "output must be a folder inside the server's root, not the root itself"
                )
            result = api.generate(spec, dest, force=force, dry_run=dry)
        except ScaffoldError as exc:
            raise _failure(exc) from None
        return result.model_dump(mode="json")

    @server.tool()
    def list_types() -> dict[str, Any]:
        """The service types scaffold generates: name, alias, summary, what each creates and
        the answers it takes."""
        return {"types": [t.model_dump(mode="json") for t in api.service_types()]}

    @server.tool()
    def get_schema(service_type: str) -> dict[str, Any]:
        """The JSON Schema of a service type's answers (names, types, ranges, defaults)."""
        try:
            return api.spec_schema(service_type)
        except ScaffoldError as exc:
            raise _failure(exc) from None

    @server.tool()
    async def dry_run(
        service_type: str,
        name: str,
        answers: dict[str, Any] | None = None,
        output: str = "",
        force: bool = False,
    ) -> dict[str, Any]:
        """Validate the answers and list the files `generate` would write; writes nothing.

        `answers` maps field names (see get_schema) to values; `output` is the destination
        folder relative to the root (default: the service name)."""
        return await anyio.to_thread.run_sync(
            _generate, service_type, name, answers or {}, output, force, True
        )

    @server.tool()
    async def generate(
        service_type: str,
        name: str,
        answers: dict[str, Any] | None = None,
        output: str = "",
        force: bool = False,
    ) -> dict[str, Any]:
        """Generate the service repository (atomically) into `output` inside the root.

        A non-empty destination is refused unless `force`, which replaces generated files
        only."""
        return await anyio.to_thread.run_sync(
            _generate, service_type, name, answers or {}, output, force, False
        )

    @server.tool()
    async def verify(
        paths: list[str], only: list[str] | None = None, skip: list[str] | None = None
    ) -> dict[str, Any]:
        """Check generated repositories with real tools (Terraform, checkov, workflows, YAML,
        ruff, secrets, conflicts, Markdown, runbook coverage, the repository's tests)."""
        from generator.verify import verify as run_verify

        try:
            repos = [_no_links_out(root, _inside(root, p)) for p in paths]
            report = await anyio.to_thread.run_sync(
                lambda: run_verify(repos, only or (), skip or ())
            )
        except ScaffoldError as exc:
            raise _failure(exc) from None
        return {"ok": report.ok, **report.model_dump(mode="json")}

    return server


def serve(root: Path) -> None:
    """Run the server on stdin/stdout until the client disconnects."""
    server = build_server(root)
    anyio.run(server.run_stdio_async)
