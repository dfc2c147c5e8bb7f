"""Run checkov once, in one process, over any number of Terraform folders."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from generator.errors import ScaffoldError

_IGNORED = shutil.ignore_patterns(".terraform", ".venv", "__pycache__", "node_modules", ".git")


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


def _finding(record: dict[str, Any], origins: dict[Path, Path], root: Path | None) -> Finding:
    path = Path(record.get("file_abs_path") or record["file_path"])
    for copy, original in origins.items():
        if path.is_relative_to(copy):
            path = original / path.relative_to(copy)
            break
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


def _stage(paths: Sequence[Path], into: Path) -> dict[Path, Path]:
    """Copy each folder under `into` (one scan root); return copy -> original."""
    origins = {}
    for index, path in enumerate(paths):
        copy = into / f"{index:03d}-{path.name}"
        shutil.copytree(path, copy, ignore=_IGNORED)
        origins[copy.resolve()] = path.resolve()
    return origins


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
        raise ScaffoldError(
            f"checkov failed to run (exit {done.returncode}): {done.stderr[-2000:]}"
        )
    payload = json.loads(done.stdout or "[]")
    reports = payload if isinstance(payload, list) else [payload]
    return [r for r in reports if isinstance(r, dict) and "results" in r]


def scan(paths: Sequence[Path], relative_to: Path | None = None) -> CheckovReport:
    """Scan every folder in `paths` with checkov's Terraform checks in one run.

    checkov 3.3 scans only the first of several `-d` folders (and an in-process rerun returns
    the first run's results), so several folders are copied under one temporary root and
    scanned once. Each folder must be self-contained: its local module sources resolve inside
    it (a generated repository, or the whole module library). Nothing is downloaded; local
    modules are followed, so module internals are evaluated with the callers' values.
    """
    with tempfile.TemporaryDirectory(prefix="scaffold-checkov-") as tmp:
        if len(paths) == 1:
            origins: dict[Path, Path] = {}
            reports = _run(paths[0])
        else:
            origins = _stage(paths, Path(tmp))
            reports = _run(Path(tmp))
    passed, failed, skipped = 0, [], []
    for report in reports:
        results = report["results"]
        passed += int(report.get("summary", {}).get("passed", 0))
        failed += [_finding(r, origins, relative_to) for r in results.get("failed_checks", [])]
        skipped += [_finding(r, origins, relative_to) for r in results.get("skipped_checks", [])]
    return CheckovReport(
        passed=passed, failed=failed, skipped=skipped, paths=[str(p) for p in paths]
    )
