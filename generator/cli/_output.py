"""Rendering for the CLI: one stdout console for results, one stderr console for messages."""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from pydantic import BaseModel

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

#: Whether the running command printed its JSON answer: an error after it (a failed check, an
#: update's conflicts) is then said on stderr only, so stdout stays one JSON document.
answered: ContextVar[bool] = ContextVar("scaffold_answered", default=False)


def print_json(data: BaseModel | Sequence[BaseModel] | dict[str, Any]) -> None:
    """Print a model, a list of models or a dict as indented JSON on stdout."""
    if hasattr(data, "model_dump"):
        payload: Any = data.model_dump(mode="json")
    elif isinstance(data, Sequence):
        payload = [item.model_dump(mode="json") for item in data]
    else:
        payload = data
    out.print_json(json.dumps(payload), highlight=False)
    answered.set(True)


def say(message: str, style: str | None = None) -> None:
    """Print a plain message on stderr (user text is never read as markup)."""
    err.print(message, style=style, markup=False)
