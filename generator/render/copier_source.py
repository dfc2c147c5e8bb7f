"""Copier as a template source: renders with Copier's own engine, no prompts, no tasks."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.errors import TemplateError


def _staging_worker() -> type:
    """Copier's worker for a staging folder scaffold has just made: skips the git index sync.

    For every file it renders, Copier runs `git config core.fileMode` (and, where that is false,
    `git ls-files`) in the destination to keep a tracked file's executable bit in the index.
    scaffold always renders into a new staging folder whose files no index tracks yet, so the
    sync is a no-op there, at the cost of one git process per file (about a third of a render).
    The executable bit is still set on disk (Copier's chmod) and moved into place with the file.
    `tests/test_render.py` checks the method this overrides still exists in the pinned Copier.
    """
    from copier._main import Worker

    class StagingWorker(Worker):
        def _sync_git_index_executable_bit(self, dst_relpath: Path, src_mode: int) -> None:
            return None

    return StagingWorker


class CopierSource:
    """Render a Copier template (a folder with copier.yml) non-interactively."""

    name = "copier"

    def render(self, template: Path, answers: Mapping[str, Any], into: Path) -> None:
        """Render `template` into `into` with `answers`; template bugs become TemplateError."""
        from copier.errors import CopierError, CopierWarning
        from jinja2 import TemplateError as JinjaError

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CopierWarning)  # e.g. unknown template version
                with _staging_worker()(
                    src_path=str(template),
                    dst_path=into,
                    data=dict(answers),
                    defaults=True,
                    overwrite=True,
                    quiet=True,
                    unsafe=False,
                    skip_tasks=True,
                ) as worker:
                    worker.run_copy()
        except (CopierError, JinjaError) as exc:
            where = _template_frame(exc, template)
            raise TemplateError(f"template {where or template} failed to render: {exc}") from exc


def _template_frame(error: BaseException, template: Path) -> str | None:
    """`templates/web/README.md.jinja line 12`: where in the template `error` was raised.

    Jinja rewrites its tracebacks so a template's frames carry the template file and line;
    the innermost one under `template` is the file to fix (an include names the included one).
    """
    root = str(template)
    found = None
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(root + "/"):
            found = f"{filename[len(root) + 1 :]} line {tb.tb_lineno}"
        tb = tb.tb_next
    return found
