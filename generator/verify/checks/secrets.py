"""A secrets scan: no keys, tokens, passwords or private keys in any file of the repository.

The patterns are `generator.credentials`' (the ones LLM prompts and answers are checked
with). Every regular file is scanned, whatever its size (in overlapping chunks, so memory
stays small), in its encoding (UTF-8, or UTF-16/32 by byte-order mark or by the zero bytes
of UTF-16 text). Only files over `MAX_BYTES` are not scanned, and the check fails naming them:
it cannot vouch for them. Symbolic links are not followed (their target is either in the
repository, and scanned there, or not part of it).
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Final

from generator.credentials import PATTERNS, kinds
from generator.verify.checks._util import PerRepoCheck, repo_files
from generator.verify.model import Status

__all__ = ["MAX_BYTES", "PATTERNS", "SecretsCheck", "scan_file", "scan_text"]

MAX_BYTES: Final = 256 << 20
_CHUNK: Final = 1 << 20
_OVERLAP: Final = 16 << 10  # characters kept from the previous chunk: a secret across the seam


def scan_text(text: str) -> list[str]:
    """The kinds of secret found in `text` (empty when clean)."""
    return kinds(text)


def _encoding(head: bytes) -> str:
    """The text encoding of a file, from its first bytes."""
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
        (codecs.BOM_UTF8, "utf-8-sig"),
    ):
        if head.startswith(bom):
            return name
    sample = head[:4096]
    half = len(sample) // 2
    if half >= 8:  # UTF-16 without a mark: ASCII text has a zero in every other byte
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > 0.4 * half and even < 0.1 * half:
            return "utf-16-le"
        if even > 0.4 * half and odd < 0.1 * half:
            return "utf-16-be"
    return "utf-8"


def scan_file(path: Path) -> list[str]:
    """The kinds of secret in the file at `path`, read in chunks."""
    found: set[str] = set()
    with open(path, "rb") as handle:
        head = handle.read(_CHUNK)
        decoder = codecs.getincrementaldecoder(_encoding(head))(errors="replace")
        tail, chunk = "", head
        while chunk:
            text = tail + decoder.decode(chunk)
            found.update(kinds(text))
            tail = text[-_OVERLAP:]
            chunk = handle.read(_CHUNK)
        found.update(kinds(tail + decoder.decode(b"", final=True)))
    return [kind for kind in PATTERNS if kind in found]


class SecretsCheck(PerRepoCheck):
    """No file holds something that looks like a credential."""

    name = "secrets"
    description = "No keys, tokens, passwords or private keys in any file"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Scan every file for credential patterns; too large a file fails, named."""
        findings, unscanned, links = [], [], 0
        for path in repo_files(repo):
            rel = path.relative_to(repo).as_posix()
            if path.is_symlink():
                links += 1
            elif path.stat().st_size > MAX_BYTES:
                unscanned.append(rel)
            else:
                findings += [f"{rel}: {kind}" for kind in scan_file(path)]
        problems = findings + [
            f"{rel}: not scanned (over {MAX_BYTES >> 20} MiB)" for rel in unscanned
        ]
        if problems:
            return "failed", "; ".join(problems)
        return "passed", f"{links} symbolic link(s) not followed" if links else ""
