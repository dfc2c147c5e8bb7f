"""What verification returns: one result per check and repository, and the report."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict

Status = Literal["passed", "failed", "skipped"]


class CheckResult(BaseModel):
    """The outcome of one check on one repository."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: str
    repo: str
    status: Status
    reason: str = ""
    seconds: float = 0.0


class VerifyReport(BaseModel):
    """Every check's result on every repository; `ok` when nothing failed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    results: list[CheckResult]
    seconds: float

    @property
    def ok(self) -> bool:
        """True when no check failed (skipped checks say why they did not run)."""
        return all(r.status != "failed" for r in self.results)


class Check(Protocol):
    """One verification. It receives every repository at once, so heavy tools start once."""

    name: str
    description: str

    def run(self, repos: list[Path]) -> list[CheckResult]:
        """Check every repository in `repos`; one result per repository."""
        ...
