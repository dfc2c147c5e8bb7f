"""The docs: Markdown lint (pymarkdownlnt) and every relative link and heading anchor resolving."""

from __future__ import annotations

from pathlib import Path

from generator.docs.markdown import broken_links, doc_files
from generator.resources import templates_dir
from generator.verify.checks._config import (
    MARKDOWNLINT_FILES,
    PYMARKDOWN_FILES,
    LintConfig,
    find_config,
)
from generator.verify.checks._util import PerRepoCheck, run_tool, tool
from generator.verify.model import Status

CONFIG_NAME = ".pymarkdown.json"


def lint_config(repo: Path) -> Path:
    """The repository's pymarkdownlnt configuration, or the one scaffold generates."""
    own = repo / CONFIG_NAME
    return own if own.is_file() else templates_dir() / "_shared" / "pymarkdown.json.jinja"


def _config_args(repo: Path, config: LintConfig) -> list[str]:
    if config.source == "scaffold":
        return ["--config", str(config.path or lint_config(repo))]
    return ["--config", str(config.path)] if config.path is not None else []  # pyproject


def _not_linted(repo: Path, config: LintConfig) -> str:
    other = [name for name in MARKDOWNLINT_FILES if (repo / name).is_file()]
    if other:
        return (
            f"style not checked: the repository configures markdownlint ({', '.join(other)}), "
            "which scaffold does not run"
        )
    return config.reason


class MarkdownCheck(PerRepoCheck):
    """The docs pass the Markdown linter and their relative links resolve."""

    name = "markdown"
    description = "Docs pass pymarkdownlnt; every relative link and anchor resolves"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Lint the repository's Markdown (with its own rules), then follow every relative link."""
        files = doc_files(repo)
        if not files:
            return "skipped", "no Markdown files"
        problems = []
        config = find_config(repo, "pymarkdownlnt", PYMARKDOWN_FILES, "pymarkdown")
        binary = tool("pymarkdown")
        if binary is not None and config.source != "none":
            code, output = run_tool(
                [binary, *_config_args(repo, config), "scan", *map(str, files)], cwd=repo
            )
            if code != 0:
                problems.append(output.replace(f"{repo.resolve()}/", "").replace(f"{repo}/", ""))
        problems += [f"broken link: {link}" for link in broken_links(repo)]
        if problems:
            return "failed", "\n".join(problems)
        if config.source == "none":
            return "passed", f"links checked; {_not_linted(repo, config)}"
        if binary is None:
            return "passed", "links checked; pymarkdownlnt is not installed, lint skipped"
        return "passed", ""
