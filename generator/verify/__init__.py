"""`scaffold verify`: check generated repositories with real tools, independent checks in parallel.

Every check receives all repositories at once, so a heavy tool (checkov, Terraform) starts
once per run rather than once per repository; independent checks run at the same time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree import ElementTree as ET

from generator.errors import BadInputError
from generator.verify.model import Check, CheckResult, VerifyReport

__all__ = ["CheckResult", "VerifyReport", "available_checks", "junit_xml", "verify"]


def available_checks() -> tuple[Check, ...]:
    """Every registered check, in report order."""
    from generator.verify.checks import BUILTIN_CHECKS

    return BUILTIN_CHECKS


def _select(only: Iterable[str], skip: Iterable[str]) -> list[Check]:
    checks = available_checks()
    names = [c.name for c in checks]
    # --only a --only b, or --only a,b
    wanted = [n.strip() for item in only for n in item.split(",") if n.strip()]
    unwanted = [n.strip() for item in skip for n in item.split(",") if n.strip()]
    unknown = [n for n in [*wanted, *unwanted] if n not in names]
    if unknown:
        raise BadInputError(
            f"unknown check(s) {', '.join(map(repr, unknown))}. Allowed: {', '.join(names)}"
        )
    # Opt-in checks (default = False: the deploy rehearsal) run only when named in --only.
    chosen = [c.name in wanted if wanted else getattr(c, "default", True) for c in checks]
    return [c for c, pick in zip(checks, chosen, strict=True) if pick and c.name not in unwanted]


def _repos(paths: Sequence[Path]) -> list[Path]:
    if not paths:
        raise BadInputError("give at least one repository folder to verify")
    missing = [str(p) for p in paths if not p.is_dir()]
    if missing:
        raise BadInputError(f"not a folder: {', '.join(missing)}")
    return [p.resolve() for p in paths]


def _guarded(check: Check, repos: list[Path]) -> list[CheckResult]:
    """The check's results; a check that cannot run at all fails with the reason, so the rest
    of the report is never lost."""
    start = time.perf_counter()
    try:
        return check.run(repos)
    except Exception as exc:  # a broken tool, or a bug in the check: reported, not raised
        reason = f"the check could not run: {type(exc).__name__}: {exc}"
        seconds = round(time.perf_counter() - start, 2)
        return [
            CheckResult(check=check.name, repo=str(r), status="failed", reason=reason[-2000:],
                        seconds=seconds)
            for r in repos
        ]  # fmt: skip


def verify(
    paths: Sequence[Path],
    only: Iterable[str] = (),
    skip: Iterable[str] = (),
    on_done: Callable[[str, list[CheckResult]], None] | None = None,
) -> VerifyReport:
    """Run the selected checks over every repository in `paths`; `on_done` hears each check."""
    repos = _repos(paths)
    checks = _select(only, skip)
    start = time.perf_counter()

    def run(check: Check) -> list[CheckResult]:
        results = _guarded(check, repos)
        if on_done is not None:
            on_done(check.name, results)
        return results

    with ThreadPoolExecutor(max_workers=max(1, len(checks))) as pool:
        outcomes = list(pool.map(run, checks))
    results = [r for outcome in outcomes for r in outcome]
    return VerifyReport(results=results, seconds=round(time.perf_counter() - start, 2))


def junit_xml(report: VerifyReport) -> str:
    """The report as JUnit XML: one test suite per repository, one test case per check."""
    suites = ET.Element("testsuites", time=str(report.seconds))
    for repo in dict.fromkeys(r.repo for r in report.results):
        mine = [r for r in report.results if r.repo == repo]
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=repo,
            tests=str(len(mine)),
            failures=str(sum(r.status == "failed" for r in mine)),
            skipped=str(sum(r.status == "skipped" for r in mine)),
        )
        for r in mine:
            case = ET.SubElement(
                suite, "testcase", classname="scaffold.verify", name=r.check, time=str(r.seconds)
            )
            if r.status == "failed":
                ET.SubElement(case, "failure", message=r.reason[:200]).text = r.reason
            elif r.status == "skipped":
                ET.SubElement(case, "skipped", message=r.reason)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)
