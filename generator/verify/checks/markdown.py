"""The docs: Markdown lint (pymarkdownlnt) and every relative link and heading anchor resolving."""

from __future__ import annotations

from pathlib import Path

from generator.docs.markdown import broken_links, doc_files
from generator.resources import templates_dir
from generator.verify.checks._util import PerRepoCheck, not_installed, run_tool, tool
from generator.verify.model import Status

CONFIG_NAME = ".pymarkdown.json"


def lint_config(repo: Path) -> Path:
    """The repository's pymarkdownlnt configuration, or the one scaffold generates."""
    own = repo / CONFIG_NAME
    return own if own.is_file() else templates_dir() / "_shared" / "pymarkdown.json.jinja"


class MarkdownCheck(PerRepoCheck):
    """The docs pass the Markdown linter and their relative links resolve."""

    name = "markdown"
    description = "Docs pass pymarkdownlnt; every relative link and anchor resolves"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Lint the repository's Markdown, then follow every relative link."""
        files = doc_files(repo)
        if not files:
            return "skipped", "no Markdown files"
        problems = []
        binary = tool("pymarkdown")
        if binary is not None:
            code, output = run_tool(
                [binary, "--config", str(lint_config(repo)), "scan", *map(str, files)], cwd=repo
            )
            if code != 0:
                problems.append(output.replace(f"{repo.resolve()}/", "").replace(f"{repo}/", ""))
        problems += [f"broken link: {link}" for link in broken_links(repo)]
        if problems:
            return "failed", "\n".join(problems)
        if binary is None:  # the links resolve, but the lint (most of the check) did not run
            return "skipped", f"links resolve; lint not run: {not_installed('pymarkdownlnt')}"
        return "passed", ""
