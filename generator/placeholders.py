"""Placeholder answers: values that stand in for what only the user knows, and where they land.

`--defaults` fills `github_org` with `example-org`. Harmless in a README, it is a security problem
where it decides who may do what: the OIDC trust policy lets `repo:example-org/<name>` deploy
and CODEOWNERS asks `@example-org/<team>` for reviews. `scaffold new` reports every placeholder
answer with the security-relevant files it reached (the CLI warns on stderr and lists them in
the summary), and `scaffold verify`'s `placeholders` check fails a repository that still has
one in those files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Final

from pydantic import BaseModel, ConfigDict

# Values no real organisation or team is expected to use; the first of github_org's is the
# spec's default.
PLACEHOLDERS: Final[dict[str, tuple[str, ...]]] = {
    "github_org": ("example-org", "your-org", "my-org", "change-me", "changeme"),
    "owner_team": ("your-team", "my-team", "change-me", "changeme"),
}
PLACEHOLDER_VALUES: Final = tuple(sorted({v for values in PLACEHOLDERS.values() for v in values}))
# What each answer decides, for the summary shown before anything is rendered.
DECIDES: Final = {
    "github_org": "the OIDC trust policy (who may deploy) and CODEOWNERS",
    "owner_team": "CODEOWNERS (who must review changes)",
}

# Files where a placeholder decides access: pattern -> what the file decides.
SECURITY_RELEVANT: Final = {
    "CODEOWNERS": "who must review changes",
    ".github/CODEOWNERS": "who must review changes",
    "docs/CODEOWNERS": "who must review changes",
    ".github/workflows/*": "who may deploy",
    "*.tf": "the OIDC trust policy",
    "*.tfvars": "the OIDC trust policy",
    "*.hcl": "Terraform settings",
}
_SKIP_DIRS: Final = frozenset({".git", ".terraform", ".venv", "node_modules"})


class PlaceholderUse(BaseModel):
    """A placeholder answer and the security-relevant files it reached."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    value: str
    files: list[str]


# Names derived from the organisation: `<org>-terraform-state`, the state bucket of repositories
# generated before the bucket became `tfstate-<account>-<region>` (issue 13).
_DERIVED: Final = "terraform-state"


def _token(value: str) -> re.Pattern[str]:
    """`value` as a whole slug, or in a name derived from it; not in `my-org-tools`."""
    after = rf"(?![A-Za-z0-9_]|-(?!{_DERIVED}\b))"
    return re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(value)}{after}")


def security_files(root: Path) -> Iterator[tuple[str, str]]:
    """(relative path, what it decides) of every security-relevant file below `root`."""
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or _SKIP_DIRS & set(rel.parts):
            continue
        posix = rel.as_posix()
        for pattern, decides in SECURITY_RELEVANT.items():
            if fnmatch(posix, pattern) if "/" in pattern else fnmatch(rel.name, pattern):
                yield posix, decides
                break


def find(root: Path, values: Iterable[str]) -> dict[str, list[str]]:
    """Where each of `values` appears in the security-relevant files: {value: ["path:line"]}."""
    patterns = {value: _token(value) for value in values}
    found: dict[str, list[str]] = {}
    for rel, _ in security_files(root):
        text = (root / rel).read_text(encoding="utf-8", errors="ignore")
        for value, pattern in patterns.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.setdefault(value, []).append(f"{rel}:{line}")
    return found


def placeholder_answers(answers: dict[str, object]) -> dict[str, str]:
    """The answers that are placeholders: {field: value}."""
    return {
        field: str(answers[field])
        for field, values in PLACEHOLDERS.items()
        if field in answers and str(answers[field]).lower() in values
    }


def advice(field: str) -> str:
    """What to do about a placeholder answer."""
    what = "organisation" if field == "github_org" else "team"
    return f"pass your real {what} with --data {field}=<{what}> before the first deploy"


def uses(answers: dict[str, object], root: Path) -> list[PlaceholderUse]:
    """Each placeholder answer with the security-relevant files of `root` it reached."""
    chosen = placeholder_answers(answers)
    if not chosen:
        return []
    found = find(root, {value.lower() for value in chosen.values()})
    return [
        PlaceholderUse(
            field=field,
            value=value,
            files=sorted({hit.rpartition(":")[0] for hit in found.get(value.lower(), [])}),
        )
        for field, value in chosen.items()
    ]
