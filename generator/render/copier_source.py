"""Copier as a template source: renders with Copier's own engine, no prompts, no tasks."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.errors import TemplateError


class CopierSource:
    """Render a Copier template (a folder with copier.yml) non-interactively."""

    name = "copier"

    def render(self, template: Path, answers: Mapping[str, Any], into: Path) -> None:
        """Render `template` into `into` with `answers`; template bugs become TemplateError."""
        import copier  # lazy: keeps `scaffold --help` fast
        from copier.errors import CopierError, CopierWarning
        from jinja2 import TemplateError as JinjaError

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CopierWarning)  # e.g. unknown template version
                copier.run_copy(
                    str(template),
                    str(into),
                    data=dict(answers),
                    defaults=True,
                    overwrite=True,
                    quiet=True,
                    unsafe=False,
                    skip_tasks=True,
                )
        except (CopierError, JinjaError) as exc:
            raise TemplateError(f"template {template} failed to render: {exc}") from exc
