"""Run checkov over any number of Terraform folders: one process per folder, in parallel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from generator.errors import ToolFailedError
from generator.extras import require


class Finding(BaseModel):
    """One checkov result for one resource."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check_id: str
    check_name: str
    resource: str
    file: str
    lines: tuple[int, int]
    skip_reason: str = ""


class CheckovReport(BaseModel):
    """Every passed, failed and skipped check of one checkov run."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    passed: int
    failed: list[Finding]
    skipped: list[Finding]
    paths: list[str]

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return not self.failed


def _finding(record: dict[str, Any], root: Path | None) -> Finding:
    path = Path(record.get("file_abs_path") or record["file_path"])
    shown = path.relative_to(root) if root and path.is_relative_to(root) else path
    lines = record.get("file_line_range") or [0, 0]
    return Finding(
        check_id=record["check_id"],
        check_name=record.get("check_name") or "",
        resource=record["resource"],
        file=shown.as_posix(),
        lines=(lines[0], lines[1]),
        skip_reason=str((record.get("check_result") or {}).get("suppress_comment", "")),
    )


def _run(root: Path) -> list[dict[str, Any]]:
    """One checkov process over `root`; its JSON results, one dict per framework report.

    A separate process, because checkov keeps state between in-process runs (a second run in
    the same process returns the first run's results).
    """
    argv = [
        sys.executable,
        "-m",
        "checkov.main",
        "-d",
        str(root),
        "--framework",
        "terraform",
        "--compact",
        "--skip-download",
        "-o",
        "json",
        "--download-external-modules",
        "false",
    ]
    env = {**os.environ, "LOG_LEVEL": "ERROR", "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if done.returncode not in (0, 1):
        raise ToolFailedError(
            f"checkov failed to run (exit {done.returncode}): {done.stderr[-2000:]}"
        )
    payload = json.loads(done.stdout or "[]")
    reports = payload if isinstance(payload, list) else [payload]
    return [r for r in reports if isinstance(r, dict) and "results" in r]


def scan(paths: Sequence[Path], relative_to: Path | None = None) -> CheckovReport:
    """Scan every folder in `paths` with checkov's Terraform checks; one report for all.

    Each folder is one checkov process, run in parallel (one per core). A single run over
    several folders is not trustworthy in checkov 3.3: with several `-d` it scans only the first,
    and with the folders under one root it evaluated module calls of one folder with another's
    values (three samples' prod subnets came out with the wrong AZ count and 75 checks vanished).
    Nothing is downloaded; local module sources are followed, so module internals are evaluated
    with the callers' values.
    """
    require("checkov", "checkov", "verify")
    workers = max(1, min(len(paths), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        runs = list(pool.map(_run, paths))
    passed, failed, skipped = 0, [], []
    for reports in runs:
        for report in reports:
            results = report["results"]
            passed += int(report.get("summary", {}).get("passed", 0))
            failed += [_finding(r, relative_to) for r in results.get("failed_checks", [])]
            skipped += [_finding(r, relative_to) for r in results.get("skipped_checks", [])]
    return CheckovReport(
        passed=passed, failed=failed, skipped=skipped, paths=[str(p) for p in paths]
    )
