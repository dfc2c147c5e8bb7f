"""Benchmark: `scaffold update` against plain `copier update` on the same repository and change.

Builds a local git repository of the templates tagged v1.0.0, generates a batch service from
it, makes a user edit, changes three templates and tags v2.0.0, then times both commands (as
separate processes, on fresh copies of the committed service) and prints medians and the ratio.
scaffold is timed cold (empty cache: it fetches both tags) and warm (tags cached), Copier as it
always runs (it clones the template for every update). Also reports what each left behind:
files changed, conflict markers and `.rej` files.

    python benchmarks/bench_update.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator import generate, make_spec
from generator.resources import copy_template, template_root

BIN = Path(sys.executable).parent
IDENTITY = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True, text=True, env={**os.environ, **IDENTITY},
    ).stdout  # fmt: skip


def release(root: Path, tag: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", tag)
    git(root, "tag", tag)


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def build(work: Path) -> Path:
    """The template repository (v1, v2) and a committed service generated at v1 with an edit."""
    templates = work / "templates"
    copy_template(template_root(), templates)
    git(templates, "init", "-q")
    release(templates, "v1.0.0")
    service = work / "service"
    spec = make_spec("batch", "nightly-report")
    generate(
        spec, service, template_dir=templates, template_source=str(templates),
        template_version="v1.0.0",
    )  # fmt: skip
    git(service, "init", "-q")
    contributing = service / "CONTRIBUTING.md"
    first, rest = contributing.read_text(encoding="utf-8").split("\n", 1)
    contributing.write_text(f"{first}\n\nOur own rule: every change gets a review.\n{rest}")
    git(service, "add", "-A")
    git(service, "commit", "-q", "-m", "generated, with our edit")
    append(templates / "templates/_shared/editorconfig.jinja", "\n[*.sql]\nindent_size = 2\n")
    append(templates / "templates/_shared/CONTRIBUTING.md.jinja", "\nTemplate v2 line.\n")
    append(templates / "templates/_shared/docs/slo.md.jinja", "\nTemplate v2 SLO note.\n")
    release(templates, "v2.0.0")
    return service


def outcome(repo: Path) -> str:
    changed = git(repo, "status", "--porcelain").splitlines()
    markers = sum(
        1
        for path in repo.rglob("*")
        if path.is_file() and ".git" not in path.parts
        for line in path.read_text(encoding="utf-8", errors="ignore").splitlines()
        if line.startswith("<<<<<<< ")
    )
    rejects = list(repo.rglob("*.rej"))
    return f"{len(changed)} files changed, conflict markers: {markers}, .rej: {len(rejects)}"


def timed(
    service: Path, command: list[str], env: dict[str, str], runs: int
) -> tuple[list[float], str]:
    times, result = [], ""
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "service"
            shutil.copytree(service, copy, symlinks=True)
            start = time.perf_counter()
            done = subprocess.run(command, cwd=copy, capture_output=True, env=env, check=False)
            times.append(time.perf_counter() - start)
            if done.returncode not in (0, 3):  # 3: scaffold left conflicts (reported below)
                raise SystemExit(f"{command} failed: {done.stderr.decode()[-2000:]}")
            result = f"exit {done.returncode}, {outcome(copy)}"
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="bench-update-") as tmp:
        work = Path(tmp)
        service = build(work)
        env = {**os.environ, **IDENTITY}
        scaffold = [str(BIN / "scaffold"), "update"]
        copier = [str(BIN / "copier"), "update", "--defaults", "--conflict", "inline"]
        cold = []
        for index in range(runs):
            env_cold = {**env, "SCAFFOLD_CACHE_DIR": str(work / f"cache-{index}")}
            cold += timed(service, scaffold, env_cold, 1)[0]
        warm_env = {**env, "SCAFFOLD_CACHE_DIR": str(work / "cache-0")}
        warm, ours = timed(service, scaffold, warm_env, runs)
        theirs_times, theirs = timed(service, copier, env, runs)
        base = statistics.median(theirs_times)
        for label, times in (
            ("scaffold update (cold cache)", cold),
            ("scaffold update (warm)", warm),
        ):
            median = statistics.median(times)
            print(f"{label:<30} {median:6.2f} s   ratio to copier update {median / base:5.2f}x")
        print(f"{'copier update':<30} {base:6.2f} s")
        print(f"scaffold update left: {ours}")
        print(f"copier update left:   {theirs}")


if __name__ == "__main__":
    main()
