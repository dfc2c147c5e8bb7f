"""Whose lint rules apply to a repository: its own configuration, or scaffold's.

scaffold's style rules (ruff's formatting, yamllint's style rules, pymarkdownlnt's rules in
scaffold's `.pymarkdown.json`) belong to the repositories scaffold generates. A repository
rendered from someone else's template (`scaffold new --template`) is linted with the
configuration it carries; without one, a check keeps to what is wrong whatever the style
(invalid YAML and duplicate keys, Python syntax errors and undefined names, broken links) and
says that style was not checked, and why.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import yaml

ANSWERS_FILE = ".copier-answers.yml"


def generated_by_scaffold(repo: Path) -> bool:
    """Whether `repo` is one of scaffold's service types (its answers file names the type)."""
    from generator.spec.registry import all_types

    try:
        data = yaml.safe_load((repo / ANSWERS_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    if not isinstance(data, dict):
        return False
    return data.get("service_type") in {t.name for t in all_types()}


def _pyproject_table(repo: Path, *keys: str) -> bool:
    try:
        data = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    return True


@dataclass(frozen=True)
class LintConfig:
    """Where a tool's configuration for a repository comes from.

    `source` is "scaffold" (a repository scaffold generated; `path` is its own file, if any),
    "repository" (someone else's template with its own file, `path`, or pyproject.toml table
    when `path` is None), or "none" (without one: style is not checked, `reason` says why).
    """

    source: str
    path: Path | None = None
    reason: str = ""


def find_config(repo: Path, tool: str, files: tuple[str, ...], table: str | None) -> LintConfig:
    """`tool`'s configuration for `repo`: scaffold's rules for a repository scaffold generated
    (with its own file when it has one), else the repository's own file or pyproject table."""
    own = next((repo / name for name in files if (repo / name).is_file()), None)
    if generated_by_scaffold(repo):
        return LintConfig("scaffold", own)
    if own is not None or (table is not None and _pyproject_table(repo, "tool", table)):
        return LintConfig("repository", own)
    wanted = ", ".join(files) + (f" or [tool.{table}] in pyproject.toml" if table else "")
    return LintConfig(
        "none",
        reason=f"style not checked: the repository has no {tool} configuration ({wanted}), "
        "and scaffold's own rules are for the repositories it generates",
    )


RUFF_FILES = ("ruff.toml", ".ruff.toml")
YAMLLINT_FILES = (".yamllint", ".yamllint.yml", ".yamllint.yaml")
PYMARKDOWN_FILES = (".pymarkdown", ".pymarkdown.json", ".pymarkdown.yml", ".pymarkdown.yaml")
MARKDOWNLINT_FILES = (
    ".markdownlint.json",
    ".markdownlint.jsonc",
    ".markdownlint.yaml",
    ".markdownlint.yml",
    ".markdownlint-cli2.jsonc",
    ".markdownlint-cli2.yaml",
)


def ruff_formats(repo: Path, config: LintConfig) -> bool:
    """Whether the repository asks for ruff's formatter (scaffold's always do)."""
    if config.source == "scaffold":
        return True
    if config.path is not None:
        try:
            data = tomllib.loads(config.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return False
        return "format" in data
    if _pyproject_table(repo, "tool", "ruff", "format"):
        return True
    hooks = repo / ".pre-commit-config.yaml"
    return hooks.is_file() and "ruff-format" in hooks.read_text(encoding="utf-8", errors="ignore")
