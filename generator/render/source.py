"""The interface every template source implements (Copier today, Cookiecutter later)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol


class TemplateSource(Protocol):
    """Renders a template with validated answers into an empty folder."""

    name: str

    def render(self, template: Path, answers: Mapping[str, Any], into: Path) -> None:
        """Render `template` with `answers` into the existing empty folder `into`."""
        ...
