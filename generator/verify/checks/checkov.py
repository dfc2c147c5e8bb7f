"""checkov over every repository's infra/, started once for all of them."""

from __future__ import annotations

import time
from pathlib import Path

from generator.infra.checkov_scan import scan
from generator.verify.checks._util import missing_modules, result, skip_all
from generator.verify.model import CheckResult


class CheckovCheck:
    """0 failed checkov checks; every skip carries its inline reason."""

    name = "checkov"
    description = "checkov finds no failed check in infra/"

    def run(self, repos: list[Path]) -> list[CheckResult]:
        """Scan all repositories' infra/ together, then report per repository."""
        if reason := missing_modules(("checkov", "checkov")):
            return skip_all(self.name, repos, reason)
        start = time.perf_counter()
        targets = {repo: (repo / "infra").resolve() for repo in repos if (repo / "infra").is_dir()}
        report = scan(list(targets.values())) if targets else None
        results = []
        for repo in repos:
            infra = targets.get(repo)
            if infra is None or report is None:
                results.append(result(self.name, repo, "skipped", "no infra/ folder"))
                continue
            failed = [f for f in report.failed if Path(f.file).is_relative_to(infra)]
            if failed:
                lines = [
                    f"{f.check_id} {f.resource} ({Path(f.file).relative_to(repo.resolve())}"
                    f":{f.lines[0]})"
                    for f in failed
                ]
                results.append(result(self.name, repo, "failed", "; ".join(lines), start))
            else:
                results.append(result(self.name, repo, "passed", "", start))
        return results
