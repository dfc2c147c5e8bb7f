"""git, run without prompts and hardened, for everything that reads template repositories.

Both rendering (an external `--template`) and `scaffold update` read git repositories; this
module is what they share, so neither imports the other.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from generator.errors import BadInputError, TemplateRepositoryError

_GIT_TIMEOUT = 120


def check_source(source: str, what: str) -> str:
    """A template source or ref that git could take for an option is refused (exit 2)."""
    if source.startswith("-") or "\0" in source or "\n" in source:
        raise BadInputError(
            f"{what} {source!r} starts with '-' (or holds a control character): git would read "
            "it as an option; give a URL, gh:ORG/REPO or a path (./-name for a local folder)"
        )
    return source


def run_git(
    *args: str, cwd: Path | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run git without prompts (a missing credential fails instead of waiting for input).

    Whatever the user's configuration says, the `ext::` transport (which runs a command named
    in the URL) stays off, and so does an fsmonitor hook of a repository scaffold reads.
    Values from files or users must follow a `--` in `args`.
    """
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "LC_ALL": "C"}
    hardening = ["-c", "protocol.ext.allow=never", "-c", "core.fsmonitor=false"]
    try:
        return subprocess.run(
            ["git", *hardening, *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT,
            check=False,
            input=input,
        )
    except FileNotFoundError:
        raise TemplateRepositoryError(
            "git is not installed: scaffold update and check need git"
        ) from None
    except subprocess.TimeoutExpired:
        raise TemplateRepositoryError(
            f"git {args[0]} took longer than {_GIT_TIMEOUT} s; is the network reachable?"
        ) from None


def git_problem(stderr: str) -> str:
    """git's error lines (`fatal: ...`, `error: ...`) as one sentence, without its advice."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [
        line.split(":", 1)[1].strip() for line in lines if line.startswith(("fatal:", "error:"))
    ]
    return "; ".join(errors or lines[:1]).rstrip(".") or "no output"
