"""No unresolved merge conflicts: `scaffold update` leaves markers where both sides changed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from generator.verify.checks._util import PerRepoCheck, text_files
from generator.verify.model import Status

# A start line and an end line, as git and `scaffold update` write them (`=======` alone is
# also a Markdown heading underline, so it is not looked for).
_START: Final = re.compile(r"^<{7}(?: |$)", re.M)
_END: Final = re.compile(r"^>{7}(?: |$)", re.M)


def conflicted_lines(text: str) -> list[int]:
    """The 1-based line numbers of conflict start markers in `text` that have an end marker."""
    if not _END.search(text):
        return []
    return [text.count("\n", 0, m.start()) + 1 for m in _START.finditer(text)]


class ConflictsCheck(PerRepoCheck):
    """No file holds conflict markers (left by `scaffold update` for a person to resolve)."""

    name = "conflicts"
    description = "No unresolved conflict markers (scaffold update)"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Scan every text file for a conflict's start and end lines."""
        findings: list[str] = []
        skipped: list[str] = []
        for path, text in text_files(repo, skipped):
            findings += [f"{path.relative_to(repo)}:{n}" for n in conflicted_lines(text)]
        if findings:
            return "failed", "unresolved conflict markers at " + ", ".join(findings)
        return "passed", f"not scanned (over 2 MB): {', '.join(skipped)}" if skipped else ""
