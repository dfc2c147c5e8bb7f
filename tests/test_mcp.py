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


def test_verify_refuses_a_repository_that_links_out_of_the_root(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "leak.md").write_text("AKIAIOSFODNN7EXAMPLE\n")  # what a secret scan would report
    repo = root / "svc"
    repo.mkdir()
    (repo / "README.md").write_text("# svc\n")
    (repo / "docs").symlink_to(outside)
    (repo / "notes.md").symlink_to(outside / "leak.md")
    (root / "loop").mkdir()
    (root / "loop" / "self").symlink_to("self")
    (root / "inside").mkdir()
    (root / "inside" / "readme").symlink_to(repo / "README.md")  # inside the root: fine

    out, loop, fine = session_run(
        root,
        [
            ("verify", {"paths": ["svc"], "only": ["secrets"]}),
            ("verify", {"paths": ["loop"], "only": ["secrets"]}),
            ("verify", {"paths": ["inside"], "only": ["secrets"]}),
        ],
    )
    assert out.is_error and "outside the server's root" in out.content[0].text
    assert "AKIA" not in out.content[0].text
    assert loop.is_error and "symbolic link" in loop.content[0].text
    assert payload(fine)["ok"] is True


def test_generate_with_force_never_writes_through_a_link(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "CANARY").write_text("untouched\n")
    proj = root / "proj"
    proj.mkdir()
    (proj / "docs").symlink_to(outside)
    (proj / "notes.txt").write_text("mine\n")

    (refused,) = session_run(
        root,
        [("generate", {"service_type": "batch", "name": "nightly", "output": "proj",
                       "force": True})],
    )  # fmt: skip
    assert refused.is_error and "symbolic link" in refused.content[0].text
    assert sorted(p.name for p in outside.iterdir()) == ["CANARY"]
    assert sorted(p.name for p in proj.iterdir()) == ["docs", "notes.txt"]
