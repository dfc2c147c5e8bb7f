"""What a Cookiecutter render needs to match `cookiecutter` and `cruft`: the context keys
Cookiecutter adds, cruft's `.cruft.json`, and hook output without tracebacks.

- Cookiecutter's own entry point adds `_template`, `_output_dir`, `_repo_dir`, `_checkout` to
  the `cookiecutter` context and keeps the unrendered options as `_cookiecutter`; templates
  may use any of them, so scaffold's render has them too.
- cruft records the template as a URL git can clone (`gh:` expanded, a local folder or
  `file://` URL as an absolute path), the commit rendered, the checkout asked for, and the
  context with `_template` and `_commit`; `cruft check`, `diff` and `update` read them back.
- A failing hook: Cookiecutter logs the failure with a traceback, and a Python hook that
  raises prints its own. scaffold captures the hooks' output, replays it (on stderr) when
  they succeed, and otherwise puts the end of it, without traceback frames, in its one error
  message.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from generator.render.vcs import TemplateLocation

_TAIL_LINES = 12


def cookiecutter_context_extras(
    source: str, repo_dir: Path, output_dir: Path, checkout: str | None
) -> dict[str, Any]:
    """The keys `cookiecutter.main.cookiecutter` adds to the context before rendering."""
    return {
        "_template": source,
        "_output_dir": os.path.abspath(output_dir),
        "_repo_dir": str(repo_dir),
        "_checkout": checkout,
    }


def cruft_template_url(location: TemplateLocation) -> str:
    """The template as cruft records it (`cruft.utils.cookiecutter.resolve_template_url`)."""
    if location.folder is not None:
        return str(location.folder.absolute())
    url = location.url or location.source
    parsed = urlparse(url)
    if parsed.scheme == "file":
        path = (Path(parsed.netloc) / Path(parsed.path)).absolute()
        if path.exists():
            return str(path)
    return url


def cruft_json(
    template_url: str, commit: str | None, checkout: str | None, answers: dict[str, Any]
) -> str:
    """The text of `.cruft.json`, as `cruft create` writes it."""
    context = {**answers, "_template": template_url, "_commit": commit}
    state = {
        "template": template_url,
        "commit": commit,
        "checkout": checkout,
        "context": {"cookiecutter": context},
        "directory": None,
    }
    text = json.dumps(state, ensure_ascii=False, indent=2, separators=(",", ": "), default=str)
    return text + "\n"


def without_tracebacks(text: str) -> str:
    """`text` with Python traceback frames removed (each exception's last line is kept)."""
    kept: list[str] = []
    in_traceback = False
    for line in text.splitlines():
        if line.startswith("Traceback (most recent call last):"):
            in_traceback = True
            continue
        if in_traceback and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        in_traceback = False
        kept.append(line)
    return "\n".join(kept)


def tail(text: str, lines: int = _TAIL_LINES) -> str:
    """The last non-empty lines of `text`, traceback frames removed, indented for a message."""
    shown = [line for line in without_tracebacks(text).splitlines() if line.strip()][-lines:]
    return "\n".join(f"    {line}" for line in shown)


class CapturedOutput:
    """What the hooks printed, filled in when the capture ends."""

    text: str = ""


@contextmanager
def captured_hook_output() -> Iterator[CapturedOutput]:
    """Capture everything written to stdout and stderr (file descriptors 1 and 2), the hooks'
    subprocesses included, and silence Cookiecutter's logger (it logs tracebacks)."""
    captured = CapturedOutput()
    logger = logging.getLogger("cookiecutter")
    null = logging.NullHandler()
    saved_propagate = logger.propagate
    logger.addHandler(null)
    logger.propagate = False
    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryFile() as sink:
        try:
            saved = (os.dup(1), os.dup(2))
        except OSError:  # no real file descriptors (embedded): nothing to capture
            saved = None
        try:
            if saved is not None:
                os.dup2(sink.fileno(), 1)
                os.dup2(sink.fileno(), 2)
            yield captured
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            if saved is not None:
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                os.close(saved[0])
                os.close(saved[1])
            logger.removeHandler(null)
            logger.propagate = saved_propagate
            sink.seek(0)
            captured.text = sink.read().decode("utf-8", errors="replace")


def replay(captured: CapturedOutput) -> None:
    """Show the hooks' output on stderr (stdout is scaffold's own: --json)."""
    if captured.text:
        sys.stderr.write(captured.text)
        sys.stderr.flush()


@contextmanager
def fresh_extension_modules(template: Path, extensions: list[str]) -> Iterator[None]:
    """Import the template's `_extensions` modules afresh, and forget them afterwards.

    Cookiecutter imports them by name: without this, a second template rendered in the same
    process would get the first one's module of the same name (`local_extensions`).
    """
    names = {extension.split(".")[0] for extension in extensions}
    for name in names:
        sys.modules.pop(name, None)
    try:
        yield
    finally:
        root = template.resolve()
        for name, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None)
            if name in names or (file and Path(file).resolve().is_relative_to(root)):
                sys.modules.pop(name, None)
