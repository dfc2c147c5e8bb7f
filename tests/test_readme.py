"""The README's commands run as written: the usage block here, the set-up block via make."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
VENV = Path(sys.executable).parent.parent


def block(tag: str) -> str:
    match = re.search(rf"<!-- readme-test: {tag} -->\n```sh\n(.*?)```", README, flags=re.S)
    assert match, f"README has no block tagged {tag}"
    return match.group(1)


def bash(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )


def test_usage_commands_run_as_written(tmp_path: Path) -> None:
    done = bash(block("run"), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "nightly-report" / ".copier-answers.yml").is_file()
    assert (tmp_path / "orders-api" / ".copier-answers.yml").is_file()
    answers = (tmp_path / "payment-events" / ".copier-answers.yml").read_text()
    assert "memory_mb: 512" in answers and "source: sns" in answers
    assert json.loads((tmp_path / "result.json").read_text())["name"] == "payment-events-json"


def test_setup_is_two_commands_and_ci_runs_the_test_one() -> None:
    commands = [line.split("#")[0].strip() for line in block("setup").splitlines()]
    assert commands == ["make example", "make test"]
    assert re.search(r"^make test$", (REPO / ".ci" / "run").read_text(), flags=re.M)


@pytest.mark.slow
def test_make_example_generates_a_service_whose_tests_pass(tmp_path: Path) -> None:
    example = tmp_path / "nightly-report"
    done = bash(f"make example VENV={VENV} EXAMPLE_DIR={example}", REPO)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (example / ".copier-answers.yml").is_file()
    assert re.search(r"\d+ passed", done.stdout)
