"""A secrets scan: no keys, tokens or private keys in any file of the repository."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from generator.verify.checks._util import PerRepoCheck, text_files
from generator.verify.model import Status

PATTERNS: Final = {
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(
        r"(?i)aws_?secret_?access_?key\s*[:=]\s*['\"]?[A-Za-z0-9/+=]{40}\b"
    ),
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY-----"),
    "GitHub token": re.compile(
        r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_\w{82}\b"
    ),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"),
    "OpenAI API key": re.compile(r"\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b"),
}


def scan_text(text: str) -> list[str]:
    """The kinds of secret found in `text` (empty when clean)."""
    return [kind for kind, pattern in PATTERNS.items() if pattern.search(text)]


class SecretsCheck(PerRepoCheck):
    """No file holds something that looks like a credential."""

    name = "secrets"
    description = "No keys, tokens or private keys in any file"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Scan every text file for credential patterns."""
        findings = []
        for path, text in text_files(repo):
            for kind in scan_text(text):
                findings.append(f"{path.relative_to(repo)}: {kind}")
        return ("failed", "; ".join(findings)) if findings else ("passed", "")
