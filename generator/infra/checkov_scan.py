"""Run checkov once, in-process, over any number of Terraform folders."""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict


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


def _finding(record: Any, root: Path | None) -> Finding:
    path = Path(record.file_abs_path) if record.file_abs_path else Path(record.file_path)
    shown = path.relative_to(root) if root and path.is_relative_to(root) else path
    suppress = getattr(record, "check_result", {}) or {}
    return Finding(
        check_id=record.check_id,
        check_name=record.check_name or "",
        resource=record.resource,
        file=shown.as_posix(),
        lines=(record.file_line_range[0], record.file_line_range[1]),
        skip_reason=str(suppress.get("suppress_comment", "")),
    )


def scan(paths: Sequence[Path], relative_to: Path | None = None) -> CheckovReport:
    """Scan every folder in `paths` with checkov's Terraform checks in one run.

    Nothing is downloaded (no external modules, no platform data): local module sources are
    followed, so module internals are evaluated with the callers' values.
    """
    from checkov.main import Checkov  # lazy: checkov takes seconds to import

    argv = [arg for path in paths for arg in ("-d", str(path))]
    argv += [
        "--framework",
        "terraform",
        "--quiet",
        "--compact",
        "--skip-download",
        "-o",
        "json",
        "--download-external-modules",
        "false",
    ]
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    logging.getLogger("checkov").setLevel(logging.ERROR)
    checkov = Checkov(argv=argv)
    with contextlib.redirect_stdout(io.StringIO()):
        checkov.run()
    passed, failed, skipped = 0, [], []
    for report in checkov.scan_reports:
        passed += len(report.passed_checks)
        failed += [_finding(r, relative_to) for r in report.failed_checks]
        skipped += [_finding(r, relative_to) for r in report.skipped_checks]
    return CheckovReport(
        passed=passed, failed=failed, skipped=skipped, paths=[str(p) for p in paths]
    )
