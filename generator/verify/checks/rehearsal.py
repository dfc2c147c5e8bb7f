"""The deploy rehearsal (opt-in: `--only rehearsal`): each environment's first deploy on moto."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from generator.verify.checks._util import result
from generator.verify.model import CheckResult, Status

#: Rehearsals at once (each runs its own moto server and Terraform).
JOBS_VARIABLE = "SCAFFOLD_REHEARSAL_JOBS"


class RehearsalCheck:
    """infra/README.md's first deploy, a second plan and a destroy, per environment, on moto."""

    name = "rehearsal"
    description = (
        "The documented first deploy of every environment against moto, a second plan with only "
        "moto's known drift, and a destroy that leaves nothing (minutes; opt-in)"
    )
    #: Not part of a plain `scaffold verify`: it takes minutes per environment.
    default = False

    def run(self, repos: list[Path]) -> list[CheckResult]:
        """Rehearse every environment of every repository, a few at a time."""
        from generator.rehearsal import rehearse, unavailable

        reason = unavailable()
        if reason is not None:
            return [result(self.name, repo, "skipped", reason) for repo in repos]
        targets = [(repo, env) for repo in repos for env in _environments(repo)]
        jobs = max(1, int(os.environ.get(JOBS_VARIABLE, "2")))
        start = {repo: time.perf_counter() for repo in repos}
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            reports = list(pool.map(lambda target: rehearse(*target), targets))
        results = []
        for repo in repos:
            mine = [r for r in reports if Path(r.repo) == repo]
            if not mine:
                results.append(result(self.name, repo, "skipped", "no infra/envs/ roots"))
                continue
            status: Status = "passed"
            if any(r.status == "failed" for r in mine):
                status = "failed"
            elif all(r.status == "skipped" for r in mine):
                status = "skipped"
            reason = "; ".join(r.summary() for r in mine)
            results.append(result(self.name, repo, status, reason, start[repo]))
        return results


def _environments(repo: Path) -> list[str]:
    envs = repo / "infra" / "envs"
    return sorted(p.name for p in envs.iterdir() if p.is_dir()) if envs.is_dir() else []
