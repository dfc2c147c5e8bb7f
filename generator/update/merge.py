"""A three-way merge of one file's text: `git merge-file`, the merge git itself uses.

Non-overlapping changes of both sides are combined; overlapping ones become inline conflict
markers holding both sides, so nothing either side wrote is dropped. Unlike applying a diff
with `git apply --reject`, there is no hunk that fails to apply and lands in a `.rej` file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.errors import ToolFailedError
from generator.git import run_git
from generator.render.staging import scratch


@dataclass(frozen=True)
class MergeResult:
    """The merged text and how many conflicts it holds."""

    text: bytes
    conflicts: int


def merge3(
    ours: bytes, base: bytes, theirs: bytes, *, ours_label: str, theirs_label: str, base_label: str
) -> MergeResult:
    """Merge `theirs` (the new template) into `ours` (the repository) from their common `base`."""
    if ours in (base, theirs):
        return MergeResult(theirs, 0)
    if theirs == base:
        return MergeResult(ours, 0)
    with scratch("merge") as tmp:
        paths = []
        for name, content in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(tmp) / name
            path.write_bytes(content)
            paths.append(str(path))
        result = run_git(
            "merge-file",
            "-L",
            ours_label,
            "-L",
            base_label,
            "-L",
            theirs_label,
            *paths,
        )
        if result.returncode < 0 or result.returncode > 127:
            raise ToolFailedError(f"git merge-file failed: {result.stderr.strip()}")
        # without --stdout git writes the result over `ours`: bytes, line endings untouched
        return MergeResult(Path(paths[0]).read_bytes(), result.returncode)
