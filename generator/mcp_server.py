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
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

from generator.errors import BadInputError, ScaffoldError
from generator.mcp_schemas import clean

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.tools import Tool
    from mcp_types import ToolAnnotations

INSTRUCTIONS = """\
scaffold generates production-ready AWS service repositories ({types}). Call list_types,
then get_schema for the type's answers; call dry_run to validate answers and see the files,
then generate. verify runs real tools over a generated repository. Paths are relative to the
server's root; nothing outside it is written or read.
"""


def instructions() -> str:
    """The server's instructions, naming the registered service types."""
    from generator.spec.registry import all_types

    text = INSTRUCTIONS.format(types=", ".join(t.name for t in all_types()))
    return textwrap.fill(" ".join(text.split()), 92, break_on_hyphens=False) + "\n"


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


#: CLI wording in the library's messages, and what an agent passes instead.
_TOOL_WORDS = (
    ("-o/--output", "`output`"),
    ("--force", "`force: true`"),
    ("the NAME argument", "the `name` argument"),
    ("--data-file", "`answers`"),
    ("--data", "`answers`"),
)


def tool_message(message: str) -> str:
    """A library message worded for the tools' arguments rather than the CLI's options."""
    for cli_words, tool_words in _TOOL_WORDS:
        message = message.replace(cli_words, tool_words)
    return message


def _failure(exc: ScaffoldError) -> Exception:
    from mcp.server.mcpserver.exceptions import ToolError

    return ToolError(f"{tool_message(exc.message)} (exit code {exc.exit_code})")


_OUTPUT = (
    "Destination folder, relative to the server's root (default: the service name); it must "
    "lie inside the root and not be the root itself."
)
_FORCE = (
    "Write into a non-empty destination, replacing the files scaffold generates (nothing else "
    "is deleted). Without it a non-empty destination is refused."
)


def _tool(
    fn: Callable[..., Any],
    description: str,
    annotations: ToolAnnotations,
    properties: dict[str, dict[str, Any]] | None = None,
    conditions: list[dict[str, Any]] | None = None,
) -> Tool:
    """A tool whose input schema is the generated one (see `generator.mcp_schemas`)."""
    from mcp.server.mcpserver.tools import Tool

    tool = Tool.from_function(fn, description=clean(description), annotations=annotations)
    declared = tool.parameters.setdefault("properties", {})
    for name, schema in (properties or {}).items():
        default = declared.get(name, {}).get("default")
        declared[name] = {**schema, **({"default": default} if default is not None else {})}
    if conditions:
        tool.parameters["allOf"] = conditions
    return tool


def _hints(*, read_only: bool, destructive: bool, idempotent: bool, open_world: bool) -> Any:
    from mcp_types import ToolAnnotations

    return ToolAnnotations(
        read_only_hint=read_only,
        destructive_hint=destructive,
        idempotent_hint=idempotent,
        open_world_hint=open_world,
    )


def build_server(root: Path) -> MCPServer:
    """The MCP server whose tools work inside `root`."""
    from mcp.server.mcpserver import MCPServer

    from generator import api
    from generator.mcp_schemas import (
        answers_by_type,
        answers_schema,
        check_names_schema,
        name_schema,
        service_type_schema,
    )
    from generator.request import GenerateRequest, new, plan
    from generator.resources import installed_version

    root = root.resolve()

    def _generate(
        service_type: str, name: str, answers: dict[str, Any], output: str, force: bool, dry: bool
    ) -> dict[str, Any]:
        try:
            request = GenerateRequest(
                service_type=service_type, name=name, answers=answers, force=force, dry_run=dry
            )
            planned = plan(request)  # invalid answers are reported before the destination
            dest = _inside(root, output or name)
            if dest == root:
                raise BadInputError(
                    "output must be a folder inside the server's root, not the root itself"
                )
            result = new(request.model_copy(update={"destination": dest}), planned)
        except ScaffoldError as exc:
            raise _failure(exc) from None
        return result.model_dump(mode="json")

    def list_types() -> dict[str, Any]:
        return {"types": [t.model_dump(mode="json") for t in api.service_types()]}

    def get_schema(service_type: str) -> dict[str, Any]:
        try:
            return api.spec_schema(service_type)
        except ScaffoldError as exc:
            raise _failure(exc) from None

    async def dry_run(
        service_type: str,
        name: str,
        answers: dict[str, Any] | None = None,
        output: str = "",
        force: bool = False,
    ) -> dict[str, Any]:
        return await anyio.to_thread.run_sync(
            _generate, service_type, name, answers or {}, output, force, True
        )

    async def generate(
        service_type: str,
        name: str,
        answers: dict[str, Any] | None = None,
        output: str = "",
        force: bool = False,
    ) -> dict[str, Any]:
        return await anyio.to_thread.run_sync(
            _generate, service_type, name, answers or {}, output, force, False
        )

    async def verify(
        paths: list[str], only: list[str] | None = None, skip: list[str] | None = None
    ) -> dict[str, Any]:
        from generator.verify import verify as run_verify

        try:
            repos = [_no_links_out(root, _inside(root, p)) for p in paths]
            report = await anyio.to_thread.run_sync(
                lambda: run_verify(repos, only or (), skip or ())
            )
        except ScaffoldError as exc:
            raise _failure(exc) from None
        return {"ok": report.ok, **report.model_dump(mode="json")}

    service = {"service_type": service_type_schema(), "name": name_schema()}
    writes = {
        **service,
        "answers": answers_schema(),
        "output": {"type": "string", "description": _OUTPUT},
        "force": {"type": "boolean", "description": _FORCE},
    }
    paths = {
        "type": "array",
        "items": {"type": "string"},
        "minItems": 1,
        "description": "Repository folders, relative to the server's root (inside it).",
    }
    looks = _hints(read_only=True, destructive=False, idempotent=True, open_world=False)
    tools = [
        _tool(list_types, LIST_TYPES, looks),
        _tool(get_schema, GET_SCHEMA, looks, {"service_type": service_type_schema()}),
        _tool(dry_run, DRY_RUN, looks, writes, answers_by_type()),
        _tool(
            generate,
            GENERATE,
            _hints(read_only=False, destructive=True, idempotent=False, open_world=False),
            writes,
            answers_by_type(),
        ),
        _tool(
            verify,
            VERIFY,
            _hints(read_only=False, destructive=False, idempotent=True, open_world=True),
            {
                "paths": paths,
                "only": check_names_schema("Run only these checks (default: every check)."),
                "skip": check_names_schema("Skip these checks."),
            },
        ),
    ]
    return MCPServer(
        name="scaffold", instructions=instructions(), version=installed_version(), tools=tools
    )


LIST_TYPES = """The service types scaffold generates: name, alias, summary, what each creates and
the answers it takes. Reads nothing, writes nothing."""
GET_SCHEMA = """The JSON Schema (draft 2020-12) of a service type's answers: every field's type,
choices, range, pattern, default and description. Call it before dry_run or generate."""
DRY_RUN = """Validate the answers and list the files generate would write, and which of them it
would replace; writes nothing. Every invalid answer is reported at once, by field name."""
GENERATE = """Generate the service repository into `output` inside the server's root, atomically
(all files or none). A non-empty destination is refused unless `force` is true, which replaces
the files scaffold generates and deletes nothing else. Returns the files written."""
VERIFY = """Check generated repositories with real tools: Terraform fmt and validate, checkov,
GitHub workflow schema, yamllint, ruff, a secrets scan, conflict markers, Markdown lint and
links, runbook coverage of every alarm, and the repository's own tests (which installs its
dependencies into a cached virtual environment and runs its code). Writes nothing in the
repositories. `ok` is false when a check failed; a skipped check says why."""


def serve(root: Path) -> None:
    """Run the server on stdin/stdout until the client disconnects."""
    server = build_server(root)
    anyio.run(server.run_stdio_async)
