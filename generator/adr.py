"""`scaffold adr new`: add the next numbered Architecture Decision Record to a repository.

The record follows the format of the repository's ADR 1 (Michael Nygard's): title, date,
status, context, decision, consequences. It starts as Proposed; merging its pull request
accepts it. The index `docs/adr/README.md`, when it has the ADR table, gets a row.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Final

from pydantic import BaseModel, ConfigDict

from generator.errors import BadInputError
from generator.render.staging import make_owned, remove
from generator.render.transaction import Transaction, unsafe_component

ADR_DIR: Final = Path("docs") / "adr"
INDEX: Final = "README.md"
_NUMBERED: Final = re.compile(r"^(\d{4})-[a-z0-9-]+\.md$")
_MAX_TITLE: Final = 100


class NewAdr(BaseModel):
    """The record written, and whether the index was updated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int
    title: str
    path: str
    index_updated: bool


def _slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return words[:60].rstrip("-") or "decision"


def _check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise BadInputError("the ADR title is empty: give the decision a short title")
    if len(title) > _MAX_TITLE or "\n" in title or "|" in title:
        raise BadInputError(
            f"the ADR title must be one line of at most {_MAX_TITLE} characters without '|' "
            f"(got {len(title)} characters)"
        )
    return title


def _body(number: int, title: str, today: date, risks: bool) -> str:
    register = "[the risk register](../risk-register.md)" if risks else "the risk register"
    return f"""# {number}. {title}

Date: {today.isoformat()}

## Status

Proposed

## Context

The forces at play: what is true today, what needs to change and why now, and the
constraints (technical, cost, people, deadlines). Name the options considered.

## Decision

What we will do, stated in full sentences in the active voice: "We will ...".

## Consequences

What becomes easier and what becomes harder, the risks taken on (add them to
{register} when they matter), and what would make us revisit this decision.
"""


def _write_together(repo: Path, files: dict[str, str], new: str) -> None:
    """The record and the index in one transaction (both or neither); the record is never
    written over an existing file."""
    work = make_owned(repo, "adr", beside="adr", root_ok=lambda root: root == repo)
    try:
        txn = Transaction(repo, work)
        for rel, text in files.items():
            staged = work / "tree" / rel
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_text(text, encoding="utf-8")
            txn.put(rel, staged, new=rel == new)
        txn.commit(replace=True)
    finally:
        if not txn.kept:
            remove(work)


def new_adr(repo: Path, title: str, today: date | None = None) -> NewAdr:
    """Write `docs/adr/NNNN-<slug>.md` in `repo`, numbered after the highest existing record."""
    title = _check_title(title)
    folder = repo / ADR_DIR
    if not folder.is_dir():
        raise BadInputError(
            f"{repo} has no {ADR_DIR.as_posix()}/ folder: run this in a repository scaffold "
            "generated, or pass --repo PATH"
        )
    numbers = [int(m.group(1)) for p in folder.iterdir() if (m := _NUMBERED.match(p.name))]
    number = max(numbers, default=0) + 1
    path = folder / f"{number:04d}-{_slug(title)}.md"
    body = _body(
        number, title, today or date.today(), (repo / "docs" / "risk-register.md").is_file()
    )
    index = folder / INDEX
    problem = unsafe_component(repo, (ADR_DIR / INDEX).as_posix()) or (
        f"{index} is a symbolic link" if index.is_symlink() else None
    )
    if problem:
        raise BadInputError(f"{problem}: scaffold never writes through symbolic links")
    text = index.read_text(encoding="utf-8") if index.is_file() else ""
    has_table = "| ADR | Title | Status |" in text
    files = {path.relative_to(repo).as_posix(): body}
    if has_table:
        row = f"| [{number}]({path.name}) | {title} | Proposed |\n"
        files[(ADR_DIR / INDEX).as_posix()] = text.rstrip("\n") + "\n" + row
    _write_together(repo, files, new=path.relative_to(repo).as_posix())
    return NewAdr(
        number=number, title=title, path=path.relative_to(repo).as_posix(), index_updated=has_table
    )
