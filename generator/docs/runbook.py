"""Runbook coverage, both ways: every alarm in infra/ has a section, every section an alarm."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from pydantic import BaseModel, ConfigDict

from generator.docs.markdown import anchors
from generator.infra.alarms import infra_alarms

RUNBOOK: Final = Path("docs") / "runbook.md"
RUNBOOKS: Final = Path("docs") / "runbooks"
SECTION_PREFIX: Final = "alarm-"


class Coverage(BaseModel):
    """What is missing on either side."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    alarms: int
    sections: int
    without_section: list[str]
    without_alarm: list[str]
    problems: list[str]

    @property
    def ok(self) -> bool:
        """Every alarm has its section, every section its alarm, and infra/ could be read."""
        return not (self.without_section or self.without_alarm or self.problems)

    def describe(self) -> str:
        """One line per gap, naming the alarm or the section."""
        lines = [*self.problems]
        lines += [f"alarm without a runbook section: {item}" for item in self.without_section]
        lines += [f"runbook section without an alarm: {item}" for item in self.without_alarm]
        return "\n".join(lines)


def runbook_files(repo: Path) -> list[Path]:
    """docs/runbook.md and docs/runbooks/*.md, those that exist."""
    files = [repo / RUNBOOK] if (repo / RUNBOOK).is_file() else []
    return files + sorted((repo / RUNBOOKS).glob("*.md"))


def sections(repo: Path) -> dict[str, str]:
    """Alarm sections (anchor `alarm-<key>`) by anchor: {anchor: file}."""
    found = {}
    for path in runbook_files(repo):
        for anchor in anchors(path.read_text(encoding="utf-8")):
            if anchor.startswith(SECTION_PREFIX):
                found[anchor] = path.relative_to(repo).as_posix()
    return found


def coverage(repo: Path) -> Coverage:
    """Compare the alarms of repo/infra with the runbook's alarm sections."""
    alarms = infra_alarms(repo)
    problems = list(alarms.problems)
    have = sections(repo)
    if alarms.anchors and not runbook_files(repo):
        problems.append(f"{RUNBOOK.as_posix()} is missing, and infra/ defines alarms")
    for url in alarms.runbook_urls:
        if not url.split("#")[0].endswith(RUNBOOK.as_posix()):
            problems.append(
                f"alarm descriptions link to {url}, not to {RUNBOOK.as_posix()}: the links "
                "would not reach the sections"
            )
    without_section = [
        f"{anchor} ({', '.join(alarms.anchors[anchor])})"
        for anchor in sorted(alarms.anchors)
        if anchor not in have
    ]
    without_alarm = [
        f"{anchor} in {have[anchor]}" for anchor in sorted(have) if anchor not in alarms.anchors
    ]
    return Coverage(
        alarms=len(alarms.anchors),
        sections=len(have),
        without_section=without_section,
        without_alarm=without_alarm,
        problems=problems,
    )
