"""Issue 19's proof: a fourth service type, installed from a package outside scaffold.

`tests/fixtures/worker_plugin/` is a plugin project as a team would ship one: a `worker-service`
type (ECS Fargate tasks polling an SQS queue) with its own spec model, template folder and
Terraform modules, registered through the `scaffold.service_types` entry point. It is installed
offline (its package plus a `.dist-info` with the entry point, on `sys.path` and PYTHONPATH),
and every front door must offer it with no edit in `generator/`, `templates/_shared/` or
`prompts/`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.render.atomic import list_files
from generator.resources import copy_template, template_root
from generator.spec import registry

REPO = Path(__file__).resolve().parent.parent
PLUGIN = REPO / "tests" / "fixtures" / "worker_plugin"
BIN = Path(sys.executable).parent
NAME = "image-resizer"
ANSWERS = ["--data", "github_org=acme", "--data", "owner_team=media", "--data", "max_messages=5"]


def install(target: Path) -> Path:
    """Install the plugin into `target` as pip would (package + dist-info), without network."""
    shutil.copytree(PLUGIN / "scaffold_worker", target / "scaffold_worker")
    info = target / "scaffold_worker-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: scaffold-worker\nVersion: 0.1.0\n")
    project = (PLUGIN / "pyproject.toml").read_text(encoding="utf-8")
    entry = 'worker-service = "scaffold_worker:TYPE"'
    assert entry in project  # the dist-info says what the project declares
    (info / "entry_points.txt").write_text(
        "[scaffold.service_types]\nworker-service = scaffold_worker:TYPE\n"
    )
    return target


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The plugin installed: importable here, and on PYTHONPATH for `scaffold` subprocesses."""
    target = install(tmp_path_factory.mktemp("site"))
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(target))
        path = os.pathsep.join(p for p in (str(target), os.environ.get("PYTHONPATH")) if p)
        patch.setenv("PYTHONPATH", path)
        registry.all_types.cache_clear()
        yield target
    registry.all_types.cache_clear()


@pytest.fixture(scope="module")
def generated(plugin: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("new") / NAME
    done = scaffold("new", "worker", NAME, "--defaults", "-o", str(out), *ANSWERS)
    assert done.returncode == 0, done.stderr
    return out


def scaffold(*args: str) -> subprocess.CompletedProcess[str]:
    """`scaffold ARGS` in a subprocess (the plugin reaches it through PYTHONPATH)."""
    return subprocess.run(
        [str(BIN / "scaffold"), *args], capture_output=True, text=True, check=False, timeout=600
    )


def test_the_plugin_lives_outside_generator_shared_templates_and_prompts() -> None:
    files = [p for p in PLUGIN.rglob("*") if p.is_file()]
    assert files and all(REPO / "tests" / "fixtures" in p.parents for p in files)
    for folder in ("generator", "templates", "prompts", "terraform"):
        assert not list((REPO / folder).rglob("*worker*")), f"{folder}/ names the worker"
    changed = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "templates/_shared", "prompts"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert changed == ""


def test_types_lists_it(plugin: Path, cli: Any) -> None:
    listed = json.loads(cli("types", "--json").stdout)
    names = (
        [t["name"] for t in listed["types"]]
        if isinstance(listed, dict)
        else [t["name"] for t in listed]
    )
    assert names == ["web-service", "batch-service", "event-service", "worker-service"]
    assert "worker-service" in scaffold("types").stdout


def test_schema_is_the_plugins_model(plugin: Path, cli: Any) -> None:
    schema = json.loads(cli("schema", "worker-service").stdout)
    assert schema["properties"]["max_messages"]["maximum"] == 10
    assert {"cpu", "memory_mb", "message_timeout_seconds", "name"} <= set(schema["properties"])


def test_new_renders_its_files_and_the_shared_ones(plugin: Path, generated: Path) -> None:
    files = set(list_files(generated))
    own = {
        "src/image_resizer/worker.py",
        "tests/test_worker.py",
        "docs/runbook.md",
        "infra/modules/worker-service/main.tf",
        "infra/modules/worker-alarms/main.tf",
    }
    shared = {
        ".github/workflows/ci.yml",
        "scripts/deploy.py",
        "src/image_resizer/logs.py",
        "infra/modules/network/main.tf",
        "catalog-info.yaml",
        "CONTRIBUTING.md",
    }
    assert own | shared <= files
    answers = yaml.safe_load((generated / ".copier-answers.yml").read_text())
    assert answers["service_type"] == "worker-service" and answers["max_messages"] == 5
    deploy = (generated / "scripts" / "deploy.py").read_text()
    assert "module.service.module.worker.module.ecr" in deploy  # capabilities.root_module
    catalog = yaml.safe_load((generated / "catalog-info.yaml").read_text())
    assert "worker" in catalog["metadata"]["tags"]  # capabilities.catalog_type


def test_the_composed_copier_yml_asks_its_questions(plugin: Path) -> None:
    from generator.resources import renderable

    config = yaml.safe_load((renderable(template_root()) / "copier.yml").read_text())
    assert "worker-service" in config["service_type"]["choices"]
    assert "templates/worker" in config["_subdirectory"]
    assert config["max_messages"]["when"] == '{{ service_type in ["worker-service"] }}'


@pytest.mark.slow  # runs the generated repository's own test suite, like test_generated_repos
def test_the_generated_repositorys_own_tests_pass(generated: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=generated, capture_output=True, text=True, check=False, timeout=600,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]


def test_verify_passes_the_fast_checks(plugin: Path, generated: Path) -> None:
    fast = "ruff,yamllint,markdown,secrets,placeholders,runbook,conflicts,terraform-fmt"
    done = scaffold("verify", str(generated), "--only", fast, "--json")
    statuses = {r["check"]: r["status"] for r in json.loads(done.stdout)["results"]}
    assert statuses == dict.fromkeys(fast.split(","), "passed"), done.stdout


def test_export_backstage_offers_it(plugin: Path, tmp_path: Path) -> None:
    out = tmp_path / "backstage"
    done = scaffold("export", "backstage", "worker", "-o", str(out), "--json")
    assert done.returncode == 0, done.stderr
    document = yaml.safe_load((out / "template.yaml").read_text())
    text = json.dumps(document)
    assert "worker-service" in text and "max_messages" in text


def test_mcp_list_types_offers_it(plugin: Path, tmp_path: Path) -> None:
    pytest.importorskip("mcp.client.stdio", reason="the mcp extra is not installed")
    import anyio
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    async def main() -> Any:
        params = StdioServerParameters(
            command=str(BIN / "scaffold"), args=["mcp", "--root", str(tmp_path)],
            env=dict(os.environ),
        )  # fmt: skip
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            return await session.call_tool("list_types", {}), await session.call_tool(
                "get_schema", {"service_type": "worker"}
            )

    listed, schema = anyio.run(main)
    assert not listed.is_error and not schema.is_error
    data = listed.structured_content or json.loads(listed.content[0].text)
    types = data.get("result", data)["types"]
    assert "worker-service" in [t["name"] for t in types]
    assert "max_messages" in json.dumps(schema.structured_content or schema.content[0].text)


def test_samples_render_and_check_it(plugin: Path, tmp_path: Path) -> None:
    from generator.samples import check_samples, regenerate_samples

    root = copy_template(template_root(), tmp_path / "root")  # samples rewrite its copier.yml
    samples = tmp_path / "samples"
    samples.mkdir()
    sample = {"type": "worker-service", "name": NAME, "purpose": "A queue worker plugin.",
              "answers": {"github_org": "acme", "max_tasks": 3}}  # fmt: skip
    (samples / "worker.yml").write_text(yaml.safe_dump(sample))
    written = regenerate_samples(samples_dir=samples, root=root)
    assert {i.name: i.status for i in written.items}["worker"] == "regenerated"
    assert (samples / "worker" / "src" / "image_resizer" / "worker.py").is_file()
    assert check_samples(samples_dir=samples, root=root).clean
    (samples / "worker" / "README.md").write_text("edited\n")
    assert not check_samples(samples_dir=samples, root=root).clean


def test_describe_can_choose_it(plugin: Path, tmp_path: Path) -> None:
    from llm_server import ScriptedServer, answer

    from generator.llm.client import LlmSettings, StructuredLlm
    from generator.llm.spec import propose_spec

    def respond(request: dict[str, Any]) -> dict[str, Any]:
        schema = request["response_format"]["json_schema"]["schema"]
        if schema["title"] == "ServiceTypeAnswer":
            assert "worker-service" in json.dumps(schema)
            return answer({"service_type": "worker-service"})
        return answer({"choice": schema["properties"]["choice"]["enum"][0]})

    with ScriptedServer() as server:
        server.responder = respond
        settings = LlmSettings.model_validate({
            "base_url": server.url, "api_key": "test-key", "model": "test-model",
            "cache_dir": tmp_path / "cache", "state_dir": tmp_path / "state",
            "backoff_seconds": 0, "timeout_seconds": 5,
        })  # fmt: skip
        text = "A worker that takes image resize jobs from a queue and stores the results."
        spec, _ = propose_spec(text, llm=StructuredLlm(settings))
    assert spec.service_type == "worker-service"
