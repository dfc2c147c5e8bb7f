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
            raise TemplateError(f"template {template} failed to render: {exc}") from exc
