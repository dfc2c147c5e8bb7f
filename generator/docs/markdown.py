"""Markdown as GitHub renders it: heading anchors, and the relative links that must resolve.

The same rules as the generated repository's own `tests/test_docs.py`, which cannot import
scaffold: lower-case, punctuation removed, spaces to hyphens, `-1`, `-2` ... for repeats.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

FENCE: Final = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
HEADING: Final = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
LINK: Final = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
_SCHEME: Final = re.compile(r"^[a-z][a-z0-9+.-]*:")
#: The Markdown a generated repository keeps (and lints): relative to the repository root.
DOC_GLOBS: Final = ("*.md", "docs/**/*.md", "infra/README.md")


def prose(text: str) -> str:
    """Markdown without its fenced code blocks, whose content is not Markdown."""
    return FENCE.sub("", text)


def slug(title: str) -> str:
    """GitHub's anchor for a heading text (before de-duplication)."""
    plain = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", title).strip().lower()
    return re.sub(r"[^\w\- ]", "", plain).replace(" ", "-")


def anchors(text: str) -> list[str]:
    """The anchors of the headings of a Markdown text, in order, repeats numbered."""
    seen: dict[str, int] = {}
    result = []
    for title in HEADING.findall(prose(text)):
        base = slug(title)
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.append(base if count == 0 else f"{base}-{count}")
    return result


def doc_files(repo: Path) -> list[Path]:
    """The repository's Markdown documents (see DOC_GLOBS)."""
    found = {p for pattern in DOC_GLOBS for p in repo.glob(pattern) if p.is_file()}
    return sorted(found)


def broken_links(repo: Path) -> list[str]:
    """Relative links of the repository's docs whose file or heading anchor does not exist."""
    cache: dict[Path, set[str]] = {}
    broken = []
    for path in doc_files(repo):
        for target in LINK.findall(prose(path.read_text(encoding="utf-8"))):
            if _SCHEME.match(target):
                continue
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path.resolve()
            where = f"{path.relative_to(repo).as_posix()}: {target}"
            if not linked.exists():
                broken.append(f"{where} (no such file)")
            elif anchor and linked.suffix == ".md":
                if linked not in cache:
                    cache[linked] = set(anchors(linked.read_text(encoding="utf-8")))
                if anchor not in cache[linked]:
                    broken.append(f"{where} (no heading with this anchor)")
    return broken
