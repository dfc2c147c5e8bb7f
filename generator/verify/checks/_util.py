"""Helpers the checks share: timing, results, running a tool."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.extras import installed, missing
from generator.verify.model import CheckResult, Status


def result(
    check: str, repo: Path, status: Status, reason: str = "", start: float | None = None
) -> CheckResult:
    """A CheckResult, timed from `start` (perf_counter) when given."""
    seconds = round(time.perf_counter() - start, 2) if start is not None else 0.0
    return CheckResult(
        check=check, repo=str(repo), status=status, reason=reason[-2000:], seconds=seconds
    )


def per_repo(
    check: str, repos: list[Path], one: Callable[[Path], tuple[Status, str]]
) -> list[CheckResult]:
    """Run `one` on each repository, timing each."""
    results = []
    for repo in repos:
        start = time.perf_counter()
        status, reason = one(repo)
        results.append(result(check, repo, status, reason, start))
    return results


class PerRepoCheck:
    """Base of the checks that look at one repository at a time: implement `check_repo`."""

    name: str
    description: str

    def run(self, repos: list[Path]) -> list[CheckResult]:
        """Check each repository in turn, timing each."""
        return per_repo(self.name, repos, self.check_repo)

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """The status of `repo` and the reason (empty when there is nothing to say)."""
        raise NotImplementedError


def tool(name: str) -> str | None:
    """A command-line tool next to this interpreter (the venv's bin) or on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def not_installed(tool_name: str) -> str:
    """Why a check was skipped: its tool (from the verify extra) is missing, and the install."""
    return missing(tool_name, "verify")


def missing_modules(*needed: tuple[str, str]) -> str | None:
    """The skip reason when a module a check imports is not installed: (import name, what)."""
    for module, what in needed:
        if not installed(module):
            return not_installed(what)
    return None


def skip_all(check: str, repos: list[Path], reason: str) -> list[CheckResult]:
    """Every repository skipped for the same reason (a missing tool)."""
    return [result(check, repo, "skipped", reason) for repo in repos]


def run_tool(args: list[str], cwd: Path | None = None) -> tuple[int, str]:
    """Run a tool; its exit code and combined output."""
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    return done.returncode, (done.stdout + done.stderr).strip()


_SKIP_DIRS = frozenset({".git", ".venv", ".terraform", "node_modules", "__pycache__"})
_MAX_BYTES = 2 * 1024 * 1024


def repo_files(repo: Path) -> Iterator[Path]:
    """Each file and symbolic link of `repo` (no VCS, venv or tool caches), sorted; links to
    folders are not descended into."""
    for path in sorted(repo.rglob("*")):
        if _SKIP_DIRS & set(path.relative_to(repo).parts):
            continue
        if path.is_symlink() or path.is_file():
            yield path


def text_files(repo: Path, skipped: list[str] | None = None) -> Iterator[tuple[Path, str]]:
    """Each regular file of `repo` up to 2 MB with its text; symbolic links are never
    followed. Larger files are left out, and named in `skipped` when given."""
    for path in repo_files(repo):
        if path.is_symlink():
            continue
        if path.stat().st_size > _MAX_BYTES:
            if skipped is not None:
                skipped.append(path.relative_to(repo).as_posix())
            continue
        yield path, path.read_text(encoding="utf-8", errors="ignore")
