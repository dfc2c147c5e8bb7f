"""`scaffold mcp` through the MCP SDK's own stdio client, against the real server process."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest

pytest.importorskip("mcp.client.stdio", reason="the mcp extra is not installed")

from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

SCAFFOLD = str(Path(sys.executable).parent / "scaffold")


def session_run(root: Path, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    """Start `scaffold mcp --root ROOT`, make the calls in order, return their results."""

    async def main() -> list[Any]:
        params = StdioServerParameters(command=SCAFFOLD, args=["mcp", "--root", str(root)])
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            results: list[Any] = []
            for name, arguments in calls:
                if name == "tools/list":
                    results.append(await session.list_tools())
                else:
                    results.append(await session.call_tool(name, arguments))
            return results

    return anyio.run(main)


def payload(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    if result.structured_content is not None:
        data = result.structured_content
        return data.get("result", data) if set(data) == {"result"} else data
    return json.loads(result.content[0].text)


def test_tools_are_listed_with_their_schemas(tmp_path: Path) -> None:
    (listed,) = session_run(tmp_path, [("tools/list", {})])
    tools = {t.name: t for t in listed.tools}
    assert set(tools) == {"list_types", "get_schema", "dry_run", "generate", "verify"}
    assert tools["generate"].input_schema["required"] == ["service_type", "name"]
    assert "answers" in tools["dry_run"].input_schema["properties"]


def test_types_schema_dry_run_generate_verify(tmp_path: Path) -> None:
    answers = {"owner_team": "payments", "source": "sns", "memory_mb": 512}
    types, schema, dry, made, verified = session_run(
        tmp_path,
        [
            ("list_types", {}),
            ("get_schema", {"service_type": "event"}),
            ("dry_run", {"service_type": "event", "name": "payment-events", "answers": answers}),
            ("generate", {"service_type": "event", "name": "payment-events", "answers": answers}),
            ("verify", {"paths": ["payment-events"], "only": ["secrets", "conflicts", "ruff"]}),
        ],
    )
    assert [t["name"] for t in payload(types)["types"]] == [
        "web-service",
        "batch-service",
        "event-service",
    ]
    assert payload(schema)["properties"]["source"]["enum"] == ["sqs", "sns", "eventbridge"]
    planned = payload(dry)
    assert planned["dry_run"] is True and "infra/service/main.tf" in planned["files"]
    generated = payload(made)
    out = tmp_path / "payment-events"
    assert generated["destination"] == str(out) and (out / ".copier-answers.yml").is_file()
    assert "source: sns" in (out / ".copier-answers.yml").read_text()
    assert sorted(planned["files"]) == sorted(generated["files"])
    report = payload(verified)
    assert report["ok"] is True
    assert {r["check"]: r["status"] for r in report["results"]} == {
        "secrets": "passed",
        "conflicts": "passed",
        "ruff": "passed",
    }


def test_bad_input_is_a_tool_error_with_the_clis_message(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file.txt").write_text("mine\n")
    bad_answers, unknown_type, outside, occupied, root = session_run(
        tmp_path,
        [
            ("dry_run", {"service_type": "web", "name": "Orders API", "answers": {"port": 80}}),
            ("get_schema", {"service_type": "cron-job"}),
            ("generate", {"service_type": "batch", "name": "nightly", "output": "../escape"}),
            ("generate", {"service_type": "batch", "name": "nightly", "output": "taken"}),
            ("generate", {"service_type": "batch", "name": "nightly", "output": "."}),
        ],
    )
    for result in (bad_answers, unknown_type, outside, occupied, root):
        assert result.is_error
    text = bad_answers.content[0].text
    assert "2 answers are invalid" in text and "name:" in text and "port:" in text
    assert "(exit code 2)" in text
    assert "unknown service type 'cron-job'" in unknown_type.content[0].text.lower()
    assert "outside the server's root" in outside.content[0].text
    assert "is not empty" in occupied.content[0].text
    assert "not the root itself" in root.content[0].text
    assert not (tmp_path.parent / "escape").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_tool_schemas_come_from_the_spec_models_with_hints_and_clean_descriptions(
    tmp_path: Path,
) -> None:
    """What an agent reads before calling: enums, patterns, per-argument descriptions, the
    chosen type's exact answers, check names, and read-only / destructive / idempotent hints."""
    import jsonschema

    from generator.api import spec_schema
    from generator.verify import available_checks

    (listed,) = session_run(tmp_path, [("tools/list", {})])
    tools = {t.name: t for t in listed.tools}
    for tool in tools.values():
        assert "\n" not in tool.description and "  " not in tool.description, tool.name
        for name, prop in tool.input_schema.get("properties", {}).items():
            assert prop.get("description"), f"{tool.name}.{name} has no description"
    schema = tools["generate"].input_schema
    props = schema["properties"]
    assert props["service_type"]["enum"] == [
        "web-service", "web", "batch-service", "batch", "event-service", "event",
    ]  # fmt: skip
    name = spec_schema("web")["properties"]["name"]
    assert {k: props["name"][k] for k in ("pattern", "minLength", "maxLength")} == {
        k: name[k] for k in ("pattern", "minLength", "maxLength")
    }
    answers = props["answers"]["properties"]
    assert answers["source"]["enum"] == ["sqs", "sns", "eventbridge"]
    assert answers["database"]["enum"] == spec_schema("web")["properties"]["database"]["enum"]
    assert "web-service only" in answers["database"]["description"]
    assert "Per type" in answers["memory_mb"]["description"]
    checks = [c.name for c in available_checks()]
    assert tools["verify"].input_schema["properties"]["only"]["items"]["enum"] == checks

    validator = jsonschema.Draft202012Validator(schema)
    good = {"service_type": "event", "name": "payment-events", "answers": {"source": "sns"}}
    assert not list(validator.iter_errors(good))
    for bad in (
        {**good, "service_type": "cron-job"},
        {**good, "name": "Payment Events"},
        {**good, "answers": {"source": "kafka"}},
        {**good, "answers": {"database": "postgres"}},  # a web-service answer
    ):
        assert list(validator.iter_errors(bad)), bad

    hints = {n: t.annotations for n, t in tools.items()}
    for looks in ("list_types", "get_schema", "dry_run"):
        assert hints[looks].read_only_hint is True and hints[looks].idempotent_hint is True
    assert hints["generate"].read_only_hint is False
    assert hints["generate"].destructive_hint is True  # `force` replaces files
    assert hints["verify"].destructive_hint is False and hints["verify"].open_world_hint


def test_refusals_name_the_tools_arguments_not_cli_options(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file.txt").write_text("mine\n")
    occupied, named = session_run(
        tmp_path,
        [
            ("generate", {"service_type": "batch", "name": "nightly", "output": "taken"}),
            ("dry_run", {"service_type": "batch", "name": "nightly", "answers": {"name": "x"}}),
        ],
    )
    for result in (occupied, named):
        text = result.content[0].text
        assert result.is_error and "--" not in text and "-o/" not in text, text
    assert "choose another `output` or pass `force: true`" in occupied.content[0].text
    assert "the `name` argument" in named.content[0].text
