"""Benchmark: `scan` over every sample's infra/ against checkov run per sample, one after another.

`scan` runs one checkov process per folder, in parallel (a single checkov run over several
folders mis-evaluates them, see generator/infra/checkov_scan.py). Prints both wall times, the
per-sample figure and the ratio.

    python benchmarks/bench_checkov.py
"""

from __future__ import annotations

import time
from pathlib import Path

from generator.infra.checkov_scan import scan

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def main() -> None:
    paths = sorted(p / "infra" for p in SAMPLES.iterdir() if (p / "infra").is_dir())
    start = time.perf_counter()
    together = scan(paths)
    one_run = time.perf_counter() - start
    start = time.perf_counter()
    separate = [scan([path]) for path in paths]
    per_sample_runs = time.perf_counter() - start
    assert together.passed == sum(r.passed for r in separate)
    print(
        f"{len(paths)} samples, {together.passed} passed / {len(together.failed)} failed / "
        f"{len(together.skipped)} skipped checks"
    )
    print(
        f"scan() over all samples (parallel)   {one_run:6.1f} s   "
        f"({one_run / len(paths):.1f} s per sample)"
    )
    print(
        f"checkov per sample, one at a time    {per_sample_runs:6.1f} s   "
        f"({per_sample_runs / len(paths):.1f} s per sample)"
    )
    print(f"ratio                                {one_run / per_sample_runs:6.2f}x")


if __name__ == "__main__":
    main()
