"""Benchmark: `scaffold new` against plain `copier copy` of the same template and answers.

Prints medians over several runs and the ratio (target <= 1.3x), both as separate processes
(what a user waits for) and in-process (the library's own overhead), plus the CLI start-up
time of `scaffold --help` against a bare interpreter.

    python benchmarks/bench_new.py [--runs 7]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import copier

from generator import generate, make_spec
from generator.resources import renderable, template_root

BIN = Path(sys.executable).parent
ANSWERS = {"service_type": "web-service", "name": "orders-api"}


def timed(action: Callable[[Path], object], runs: int) -> list[float]:
    """Wall times of `action(fresh_destination)` over `runs` runs, after one warm-up."""
    times = []
    for index in range(runs + 1):
        with tempfile.TemporaryDirectory() as tmp:
            dest = Path(tmp) / "out"
            start = time.perf_counter()
            action(dest)
            if index:  # the first run warms file-system caches
                times.append(time.perf_counter() - start)
            shutil.rmtree(dest, ignore_errors=True)
    return times


def run(args: list[str]) -> None:
    subprocess.run(args, check=True, capture_output=True)


def row(label: str, ours: list[float], theirs: list[float], target: str) -> None:
    a, b = statistics.median(ours), statistics.median(theirs)
    print(
        f"{label:<34} scaffold {a * 1000:8.1f} ms   baseline {b * 1000:8.1f} ms   "
        f"ratio {a / b:5.2f}x  (target {target})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    template = str(renderable(template_root()))  # a plain folder for both sides
    data = [arg for k, v in ANSWERS.items() for arg in ("--data", f"{k}={v}")]

    cli_ours = timed(
        lambda d: run(
            [str(BIN / "scaffold"), "new", "web-service", "orders-api", "--defaults", "-o", str(d)]
        ),
        runs,
    )
    cli_copier = timed(
        lambda d: run(
            [str(BIN / "copier"), "copy", "--defaults", "--quiet", *data, template, str(d)]
        ),
        runs,
    )
    lib_ours = timed(lambda d: generate(make_spec("web", "orders-api"), d), runs)
    lib_copier = timed(
        lambda d: copier.run_copy(template, str(d), data=ANSWERS, defaults=True, quiet=True), runs
    )
    help_ours = timed(lambda d: run([str(BIN / "scaffold"), "--help"]), runs)
    bare = timed(lambda d: run([sys.executable, "-c", "pass"]), runs)

    print(f"median of {runs} runs, web-service with default answers")
    row("CLI: scaffold new vs copier copy", cli_ours, cli_copier, "<= 1.3x")
    row("library: generate vs run_copy", lib_ours, lib_copier, "<= 1.3x")
    print(
        f"{'scaffold --help start-up':<34} {statistics.median(help_ours) * 1000:8.1f} ms "
        f"(bare python {statistics.median(bare) * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    main()
