"""Benchmark: `scaffold new` against plain `copier copy` of the same template and answers.

Prints medians over several runs and the ratio (target <= 1.0x), both as separate processes
(what a user waits for) and in-process (the library's own overhead), plus the CLI start-up
time of `scaffold --help` against a bare interpreter. Each run times both sides one after the
other, so a busy machine slows both alike rather than whichever side ran while it was busy, and
the CPU time (user + system, child processes included) is printed beside the wall time: on a
machine shared with other work it is the steadier figure.

    python benchmarks/bench_new.py [--runs 7]
"""

from __future__ import annotations

import argparse
import resource
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


Times = tuple[list[float], list[float]]  # ours, theirs


def cpu_seconds() -> float:
    """User + system time of this process and of its finished child processes."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def paired(
    ours: Callable[[Path], object], theirs: Callable[[Path], object], runs: int
) -> tuple[Times, Times]:
    """Wall and CPU times of both actions, run alternately (one warm-up each), into fresh
    folders."""
    wall: Times = ([], [])
    cpu: Times = ([], [])
    for index in range(runs + 1):
        for side, action in enumerate((ours, theirs)):
            with tempfile.TemporaryDirectory() as tmp:
                dest = Path(tmp) / "out"
                start, start_cpu = time.perf_counter(), cpu_seconds()
                action(dest)
                if index:  # the first run warms file-system caches
                    wall[side].append(time.perf_counter() - start)
                    cpu[side].append(cpu_seconds() - start_cpu)
                shutil.rmtree(dest, ignore_errors=True)
    return wall, cpu


def run(args: list[str]) -> None:
    subprocess.run(args, check=True, capture_output=True)


def row(label: str, times: tuple[Times, Times], target: str) -> None:
    for kind, (ours, theirs) in zip(("wall", "CPU"), times, strict=True):
        a, b = statistics.median(ours), statistics.median(theirs)
        print(
            f"{label + ' (' + kind + ')':<40} scaffold {a * 1000:8.1f} ms   baseline "
            f"{b * 1000:8.1f} ms   ratio {a / b:5.2f}x  (target {target})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    template = str(renderable(template_root()))  # a plain folder for both sides
    data = [arg for k, v in ANSWERS.items() for arg in ("--data", f"{k}={v}")]

    cli = paired(
        lambda d: run(
            [str(BIN / "scaffold"), "new", "web-service", "orders-api", "--defaults", "-o", str(d)]
        ),
        lambda d: run(
            [str(BIN / "copier"), "copy", "--defaults", "--quiet", *data, template, str(d)]
        ),
        runs,
    )
    lib = paired(
        lambda d: generate(make_spec("web", "orders-api"), d),
        lambda d: copier.run_copy(template, str(d), data=ANSWERS, defaults=True, quiet=True),
        runs,
    )
    (help_ours, bare), _ = paired(
        lambda d: run([str(BIN / "scaffold"), "--help"]),
        lambda d: run([sys.executable, "-c", "pass"]),
        runs,
    )

    print(f"median of {runs} runs, web-service with default answers")
    row("CLI: scaffold new vs copier copy", cli, "<= 1.0x")
    row("library: generate vs run_copy", lib, "<= 1.0x")
    print(
        f"{'scaffold --help start-up':<34} {statistics.median(help_ours) * 1000:8.1f} ms "
        f"(bare python {statistics.median(bare) * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    main()
