"""The library door: every front door builds a GenerateRequest and calls `plan` / `new`."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from llm_server import ScriptedServer, answer
from pydantic import ValidationError
from typer.testing import CliRunner

import generator
from generator import errors, request
from generator.cli._errors import ScaffoldGroup, json_mode
from generator.cli._output import print_json
from generator.request import GenerateRequest, new, plan

GENERATOR = Path(generator.__file__).parent
ANSWERS = {"owner_team": "payments", "source": "sns", "memory_mb": 512}


def _capture(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The specs `new` is asked to write, through whichever front door."""
    specs: list[Any] = []
    real = request.new

    def spy(req: GenerateRequest, planned: Any = None, **kwargs: Any) -> Any:
        specs.append((planned or plan(req)).spec)
        return real(req, planned, **kwargs)

    from generator import samples

    monkeypatch.setattr(request, "new", spy)
    monkeypatch.setattr(samples, "new", spy)
    return specs


def test_cli_mcp_and_samples_produce_the_same_spec_and_files(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("mcp.server.mcpserver", reason="the mcp extra is not installed")
    import anyio

    from generator import samples
    from generator.mcp_server import build_server

    specs = _capture(monkeypatch)
    data = tmp_path / "answers.json"
    data.write_text(json.dumps(ANSWERS))
    by_cli = cli("new", "event", "payment-events", "--data-file", str(data),
                 "-o", str(tmp_path / "cli"), "--dry-run", "--json")  # fmt: skip
    assert by_cli.exit_code == 0, by_cli.output
    arguments = {"service_type": "event-service", "name": "payment-events", "answers": ANSWERS}
    called = anyio.run(build_server(tmp_path).call_tool, "dry_run", arguments)
    by_mcp = called.structured_content
    by_mcp = by_mcp.get("result", by_mcp)
    sample = samples.SampleFile(type="event", name="payment-events", purpose="x", answers=ANSWERS)
    samples._render(sample, tmp_path / "sample", samples.template_root(), tmp_path / "sample")

    assert len(specs) == 3 and specs[0] == specs[1] == specs[2]
    cli_result = json.loads(by_cli.stdout)
    assert cli_result["answers"] == by_mcp["answers"]
    assert cli_result["files"] == by_mcp["files"]
    written = (tmp_path / "sample").rglob("*")
    rendered = sorted(p.relative_to(tmp_path / "sample").as_posix() for p in written if p.is_file())
    assert rendered == cli_result["files"]


def test_answers_a_data_file_and_pairs_each_win_over_the_ones_before(tmp_path: Path) -> None:
    data = tmp_path / "answers.yml"
    data.write_text("owner_team: from-file\nmemory_mb: 1024\nname: ignored\n")
    planned = plan(
        GenerateRequest(
            service_type="event",
            name="payment-events",
            answers={"owner_team": "from-mapping", "source": "sns", "memory_mb": 2048},
            data_file=data,
            data=("memory_mb=4096",),
        )
    )
    assert planned.spec is not None
    spec = planned.spec.model_dump()
    assert (spec["owner_team"], spec["source"], spec["memory_mb"]) == ("from-file", "sns", 4096)
    assert any("name" in note for note in planned.notes)


def test_a_request_is_strict_and_its_options_are_checked() -> None:
    with pytest.raises(ValidationError, match="extra_forbidden"):
        GenerateRequest.model_validate({"service_type": "web", "name": "x", "colour": "red"})
    cases = [
        ({"template": "./t", "service_type": "web"}, "TYPE and NAME are not used"),
        ({"template": "./t", "draft_docs": True}, "--describe and --draft-docs work"),
        ({"service_type": "web", "name": "a", "trust": True}, "only apply with --template"),
        ({"service_type": "web"}, "TYPE and NAME are required"),
    ]
    for fields, message in cases:
        with pytest.raises(errors.BadInputError, match=message):
            plan(GenerateRequest.model_validate(fields))


def test_an_untrusted_external_templates_tests_are_skipped_by_the_library() -> None:
    assert GenerateRequest(template="./t").verify_skip == ("tests",)
    assert GenerateRequest(template="./t", trust=True).verify_skip == ()
    assert GenerateRequest(service_type="web", name="a").verify_skip == ()


def test_an_external_template_through_the_request(tmp_path: Path) -> None:
    template = tmp_path / "template"
    template.mkdir()
    (template / "copier.yml").write_text("greeting:\n  type: str\n  default: hi\n")
    (template / "hello.txt.jinja").write_text("{{ greeting }}\n")
    made = new(GenerateRequest(template=str(template), destination=tmp_path / "out",
                               data=("greeting=hello",)))  # fmt: skip
    assert made.files == ["hello.txt"]
    assert (tmp_path / "out" / "hello.txt").read_text() == "hello\n"


def test_the_users_answers_beat_the_models_in_the_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ScriptedServer() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        monkeypatch.setenv("SCAFFOLD_LLM_MODEL", "test-model")
        monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setenv("SCAFFOLD_STATE_DIR", str(tmp_path / "state"))
        monkeypatch.delenv("SCAFFOLD_LLM_OFFLINE", raising=False)
        server.add(answer({"choice": "orders-api"}))
        text = "An orders API on Postgres."
        alone = plan(GenerateRequest(describe=text))
        assert alone.spec is not None and alone.spec.model_dump()["database"] == "postgres"
        ours = plan(GenerateRequest(describe=text, data=("database=none",)))
        mapped = plan(GenerateRequest(describe=text, answers={"database": "none"}))
    for planned in (ours, mapped):
        assert planned.spec is not None and planned.spec.model_dump()["database"] == "none"
        assert planned.proposal is not None
        assert planned.proposal.evidence["database"].source == "given"


# --- errors and structure --------------------------------------------------------------------


def _raised_names(tree: ast.AST) -> list[str]:
    return [
        node.exc.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise)
        and isinstance(node.exc, ast.Call)
        and isinstance(node.exc.func, ast.Name)
    ]


def test_no_bare_scaffold_error_is_raised() -> None:
    bare = [
        str(path.relative_to(GENERATOR))
        for path in GENERATOR.rglob("*.py")
        if "ScaffoldError" in _raised_names(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert bare == [], "raise a ScaffoldError subclass with its exit code (generator/errors.py)"


def test_every_exit_code_has_its_class_in_both_tables() -> None:
    readme = (GENERATOR.parent / "README.md").read_text(encoding="utf-8")
    table = readme.partition("## Exit codes")[2].partition("\n\n")[2].partition("\n\n")[0]
    doc = errors.__doc__ or ""
    defined = {
        name: cls.exit_code
        for name, cls in vars(errors).items()
        if isinstance(cls, type)
        and issubclass(cls, errors.ScaffoldError)
        and "exit_code" in vars(cls)
    }
    codes = {v for k, v in vars(errors).items() if k.startswith("EXIT_")}
    assert codes - set(defined.values()) == {errors.EXIT_OK, errors.EXIT_INTERRUPTED}
    for name in defined:
        if name != "ScaffoldError":  # the root: its 70 is for what is not one of these
            assert re.search(rf"[(, ]{name}\b", doc), name
            assert f"`{name}`" in table, name


def test_rendering_does_not_import_the_update_package() -> None:
    for path in (GENERATOR / "render").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [m for m in imported if m and m.startswith("generator.update")], path


def test_a_failed_check_after_a_json_answer_keeps_stdout_one_document() -> None:
    app = typer.Typer(cls=ScaffoldGroup)

    @app.command()
    def report(json_: bool = typer.Option(False, "--json")) -> None:
        json_mode(json_)
        if json_:
            print_json({"ok": False})
        raise errors.CheckFailedError("verification failed: ruff")

    @app.command()
    def other() -> None:
        pass

    runner = CliRunner()
    as_json = runner.invoke(app, ["report", "--json"])
    assert as_json.exit_code == 1 and json.loads(as_json.stdout) == {"ok": False}
    assert "error: verification failed: ruff" in as_json.stderr
    plain = runner.invoke(app, ["report"])
    assert plain.exit_code == 1 and "error: verification failed: ruff" in plain.stderr


def test_help_names_the_registered_types(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cli import app
    from generator.spec import registry

    extra = type("Fake", (), {"name": "worker-service", "alias": "worker"})()
    real = registry.all_types
    monkeypatch.setattr(registry, "all_types", lambda: [*real(), extra])
    runner = CliRunner(env={"NO_COLOR": "1", "TERM": "dumb"})

    def shown(*command: str) -> str:
        text = " ".join(runner.invoke(app, [*command, "--help"]).stdout.split())
        return text.replace("- ", "-")  # a name wrapped at its hyphen

    assert "event-service, worker-service (or web, batch, event, worker);" in shown("new")
    assert "batch-service, event-service or worker-service." in shown("schema")
    assert "worker-service (or web, batch, event, worker)." in shown("export", "backstage")
    monkeypatch.setattr(registry, "all_types", real)
    assert "event-service (or web, batch, event); optional" in shown("new")
