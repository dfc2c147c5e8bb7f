"""No unresolved merge conflicts: `scaffold update` leaves markers where both sides changed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from generator.verify.checks._util import PerRepoCheck
from generator.verify.model import Status

# A start line and an end line, as git and `scaffold update` write them (`=======` alone is
# also a Markdown heading underline, so it is not looked for).
_START: Final = re.compile(r"^<{7}(?: |$)", re.M)
_END: Final = re.compile(r"^>{7}(?: |$)", re.M)
_SKIP_DIRS: Final = {".git", ".venv", ".terraform", "node_modules", "__pycache__"}
_MAX_BYTES: Final = 2 * 1024 * 1024


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
        findings = []
        for path in sorted(repo.rglob("*")):
            if not path.is_file() or _SKIP_DIRS & set(path.relative_to(repo).parts):
                continue
            if path.stat().st_size > _MAX_BYTES:
                continue
            lines = conflicted_lines(path.read_text(encoding="utf-8", errors="ignore"))
            findings += [f"{path.relative_to(repo)}:{n}" for n in lines]
        if findings:
            return "failed", "unresolved conflict markers at " + ", ".join(findings)
        return "passed", ""
