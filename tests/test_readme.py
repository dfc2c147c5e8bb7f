"""The README's commands run as written: the usage block here, the set-up block in a fresh clone."""

from __future__ import annotations

import json
import os
import re
import signal
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


def bash(
    script: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`script` in bash -euo pipefail (default environment: this venv's tools first)."""
    if env is None:
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


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a new shell: none of this checkout's venv, caches or settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SCAFFOLD_", "PYTEST", "VIRTUAL_ENV", "PYTHON", "UV_PROJECT"))
    }
    env["PATH"] = os.pathsep.join(
        entry for entry in env["PATH"].split(os.pathsep) if not entry.startswith(str(REPO))
    )
    return {**env, **extra}


def committed_head() -> str:
    done = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip("not a git checkout (an sdist): there is nothing to clone")
    return done.stdout.strip()


@pytest.mark.slow
def test_the_setup_commands_work_on_a_fresh_clone(tmp_path: Path) -> None:
    """A plain `git clone` of the committed HEAD, then the README's set-up as written.

    `make example` installs scaffold into the clone's own .venv (from PyPI), generates the
    example into build/example/ (which a fresh clone lacks) and runs its own tests. `make test`,
    the block's other command, is this suite itself.
    """
    head = committed_head()
    clone = tmp_path / "scaffold"
    done = subprocess.run(["git", "clone", "--quiet", "--", str(REPO), str(clone)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", head], check=True)
    assert not (clone / ".venv").exists() and not (clone / "build").exists()
    commands = [line.split("#")[0].strip() for line in block("setup").splitlines()]
    assert commands[-1] == "make test"
    env = clean_env(SCAFFOLD_CACHE_DIR=str(tmp_path / "cache"))
    for command in commands[:-1]:
        ran = bash(command, clone, env)
        assert ran.returncode == 0, f"{command}:\n{ran.stdout[-3000:]}\n{ran.stderr[-3000:]}"
    example = clone / "build" / "example" / "nightly-report"
    assert re.search(r"\d+ passed", ran.stdout)
    # the example records the clone and its commit, and `scaffold check` works from them
    answers = (example / ".copier-answers.yml").read_text()
    assert f"_src_path: {clone}\n" in answers
    described = subprocess.run(
        ["git", "-C", str(clone), "describe", "--tags", "--always", "--abbrev=12",
         "--match", "v[0-9]*", "--match", "[0-9]*"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert f"_commit: {described}\n" in answers
    checked = subprocess.run([str(clone / ".venv/bin/scaffold"), "check", str(example)], env=env,
                             capture_output=True, text=True, check=False)  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "every file matches" in checked.stderr


def test_the_setup_facts_agree_with_the_makefile() -> None:
    """Both durations stated, the fast target documented, one figure for install-llm."""
    makefile = (REPO / "Makefile").read_text()
    fast = (
        r"^check: lint .*\n\t\$\(BIN\)/pytest "
        r'-m "not slow and not heavy and not rehearsal and not llm" -n auto$'
    )
    assert re.search(fast, makefile, re.M)
    # the whole suite: the empty marker expression also selects the rehearsal
    assert re.search(
        r'^test: lint .*\n(?:\t.*\n)*\t\$\(BIN\)/pytest -m "" -n auto(  #.*)?$', makefile, re.M
    )
    setup = README.partition("## Set-up on a fresh machine")[2].partition("\n## ")[0]
    for target in ("make check", "make test"):
        assert re.search(rf"`{target}`[^.]*?about\s+\d+\s+minutes", setup), target
    llm = re.search(r"^install-llm:.*\(builds llama-cpp-python: (about \d+ min)\)$", makefile, re.M)
    assert llm and f"{llm[1]}utes" in " ".join(setup.split())


def test_the_exit_code_table_lists_each_code_once_in_order() -> None:
    from generator import errors

    table = README.partition("## Exit codes")[2].partition("\n\n")[2].partition("\n\n")[0]
    codes = [int(c) for row in table.splitlines()[2:] for c in row.split("|")[1].split(",")]
    assert codes == sorted(set(codes))
    signals = {128 + signal.SIGHUP, 128 + signal.SIGINT, 128 + signal.SIGTERM}  # 128 + N
    named = {v for k, v in vars(errors).items() if k.startswith("EXIT_")}
    assert set(codes) == named | signals


def show_mirror(*args: str, **env: str) -> str:
    """The mirror the Makefile would export to the tests (a throwaway `show` target)."""
    show = 'show: ; @echo "[$$SCAFFOLD_TF_PROVIDER_MIRROR]"'
    unset = ("SCAFFOLD_TF_PROVIDER_MIRROR", "TF_PLUGIN_CACHE_DIR")
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", show, "show", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={**{k: v for k, v in os.environ.items() if k not in unset}, **env},
    )
    return done.stdout.strip()[1:-1]


def test_make_test_finds_a_provider_mirror_like_ci(tmp_path: Path) -> None:
    mirror = tmp_path / "plugins"
    (mirror / "registry.terraform.io" / "hashicorp" / "aws").mkdir(parents=True)
    candidates = f"TF_MIRROR_CANDIDATES={tmp_path / 'missing'} {mirror}"
    assert show_mirror(candidates) == str(mirror)
    assert show_mirror(f"TF_MIRROR_CANDIDATES={tmp_path / 'missing'}") == ""
    assert show_mirror(candidates, SCAFFOLD_TF_PROVIDER_MIRROR="/chosen") == "/chosen"
    ci = (REPO / ".ci" / "run").read_text()
    assert "/opt/tf-plugins" in ci and "/opt/tf-plugins" in (REPO / "Makefile").read_text()
