"""What a rehearsal returns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from generator.rehearsal.drift import Drift


class Step(BaseModel):
    """One step of a rehearsal: a documented command, or one of the rehearsal's own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    ok: bool
    seconds: float
    detail: str = ""


class LeftOut(BaseModel):
    """A resource the rehearsal left out because moto cannot emulate it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    resource: str
    reason: str


class RehearsalReport(BaseModel):
    """A rehearsal of one environment root: first deploy, second plan, destroy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    repo: str
    environment: str
    status: Literal["passed", "failed", "skipped"]
    reason: str = ""
    steps: list[Step] = []
    resources_applied: int = 0
    left_out: list[LeftOut] = []
    drift_allowed: list[Drift] = []
    drift_unexpected: list[Drift] = []
    consumers_before_image: dict[str, list[str]] = {}
    left_after_destroy: list[str] = []
    seconds: float = 0.0
    workdir: str = ""

    def step_seconds(self, prefix: str) -> float:
        """Seconds of the steps whose name starts with `prefix`."""
        return round(sum(s.seconds for s in self.steps if s.name.startswith(prefix)), 1)

    def summary(self) -> str:
        """One line: the environment, the outcome and the figures of the table."""
        if self.status != "passed":
            return f"{self.environment}: {self.status}: {self.reason}"
        return (
            f"{self.environment}: {self.resources_applied} resources applied, "
            f"{len(self.drift_allowed)} allowed drifts, first deploy "
            f"{self.step_seconds('make')} s, second plan {self.step_seconds('second plan')} s, "
            f"destroy {self.step_seconds('destroy')} s"
        )
