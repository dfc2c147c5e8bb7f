"""Run a generated repository's own test suite in an isolated, cached virtual environment.

The environment is created with uv and keyed by a hash of the repository's pyproject.toml and
lock file, so a second run over an unchanged repository reuses it and only pays for pytest.
uv's package cache makes a new environment cheap too. A repository with a
`requirements-dev.txt` is installed from it exactly as its `make install` does (every package
pinned, hashes required) and then checked with `uv pip check`, so its tests run on the versions
its image ships (ADR 0013); one without a lock installs the project with its test extra.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from generator.errors import MissingExtraError, ToolFailedError
from generator.extras import missing
from generator.resources import cache_dir

_SUMMARY = re.compile(r"(\d+) (passed|failed|error|errors|skipped)")
LOCK_FILE = "requirements-dev.txt"


class RepoTestRun(BaseModel):
    """The outcome of one repository's test suite (`exit_code` 5: pytest collected nothing)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    repo: str
    passed: int
    failed: int
    ok: bool
    seconds: float
    venv_reused: bool
    output: str
    exit_code: int = 0


def find_uv() -> str | None:
    """The uv binary: from the uv wheel (the verify extra), else on PATH."""
    try:
        from uv import find_uv_bin

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")


def _uv() -> str:
    found = find_uv()
    if found is None:
        raise MissingExtraError(missing("uv (runs a generated repository's tests)", "verify"))
    return found


def uv_binary() -> str:
    """The uv executable (ScaffoldError when uv is not installed)."""
    return _uv()


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int) -> tuple[int, str]:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    return done.returncode, done.stdout + done.stderr


def _install_target(repo: Path) -> list[str]:
    """What to install: the project with its test extra or dependency group, else with pytest.

    scaffold's repositories have a `dev` extra; a repository from another template may name
    its test dependencies differently, or not at all.
    """
    try:
        data = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        data = {}
    project = data.get("project")
    extras = project.get("optional-dependencies", {}) if isinstance(project, dict) else {}
    groups = data.get("dependency-groups", {})
    for name in ("dev", "test", "tests"):
        if isinstance(extras, dict) and name in extras:
            return ["-e", f".[{name}]"]
    for name in ("dev", "test", "tests"):
        if isinstance(groups, dict) and name in groups:
            return ["-e", ".", "--group", name, "pytest"]
    return ["-e", ".", "pytest"]


def ensure_venv(repo: Path) -> tuple[Path, bool]:
    """The cached venv for `repo` (created and installed when new); True when it was reused."""
    lock = repo / LOCK_FILE
    digest = hashlib.sha256((repo / "pyproject.toml").read_bytes())
    if lock.is_file():
        digest.update(lock.read_bytes())
    key = digest.hexdigest()[:16]
    venv = cache_dir() / "venvs" / key
    marker = venv / ".scaffold-installed"
    if marker.is_file():
        return venv, True
    # Two runs (two `scaffold verify`, or test workers) may want the same venv at once: one
    # builds it while the other waits, then finds it done.
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / f"{key}.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if marker.is_file():
            return venv, True
        _build_venv(repo, venv, lock)
        marker.write_text(key)
    return venv, False


def _build_venv(repo: Path, venv: Path, lock: Path) -> None:
    """Create `venv` and install `repo` with its test dependencies (from its lock if any)."""
    shutil.rmtree(venv, ignore_errors=True)
    env = {**os.environ, "VIRTUAL_ENV": str(venv)}
    steps = [[_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)]]
    if lock.is_file():
        steps += [
            [_uv(), "pip", "install", "--quiet", "--require-hashes", "-r", LOCK_FILE],
            [_uv(), "pip", "install", "--quiet", "--no-deps", "-e", "."],
            [_uv(), "pip", "check"],  # the lock satisfies every requirement, the project's too
        ]
    else:
        steps.append([_uv(), "pip", "install", "--quiet", *_install_target(repo)])
    for step in steps:
        code, output = _run(step, repo, env, timeout=900)
        if code != 0:
            raise ToolFailedError(f"could not install {repo.name}'s test environment:\n{output}")


def run_repo_tests(repo: Path, extra_args: tuple[str, ...] = ()) -> RepoTestRun:
    """Run `pytest` of the generated repository `repo` in its cached venv."""
    start = time.perf_counter()
    venv, reused = ensure_venv(repo)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        VIRTUAL_ENV=str(venv),
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    # Editable installs point at the folder they were made from; re-point at this checkout.
    code, output = _run(
        [_uv(), "pip", "install", "--quiet", "--no-deps", "-e", "."], repo, env, timeout=300
    )
    if code == 0:
        code, output = _run(
            [
                str(venv / "bin" / "python"),
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                *extra_args,
            ],
            repo,
            env,
            timeout=1800,
        )
    counts = {
        kind: int(n) for n, kind in _SUMMARY.findall(output.splitlines()[-1] if output else "")
    }
    return RepoTestRun(
        repo=str(repo),
        passed=counts.get("passed", 0),
        failed=counts.get("failed", 0) + counts.get("error", 0) + counts.get("errors", 0),
        ok=code == 0,
        seconds=round(time.perf_counter() - start, 2),
        venv_reused=reused,
        output=output[-4000:],
        exit_code=code,
    )
