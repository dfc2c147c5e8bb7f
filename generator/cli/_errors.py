"""The one place where errors become stderr text and exit codes."""

from __future__ import annotations

import os
import traceback
from contextvars import ContextVar
from typing import Any

import typer

from generator.cli._help import FullHelpGroup
from generator.cli._output import answered, print_json, say
from generator.errors import EXIT_INTERNAL, InvalidAnswersError, LlmError, ScaffoldError
from generator.signals import Interrupted


def _error_payload(exc: ScaffoldError) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": type(exc).__name__,
        "message": exc.message,
        "exit_code": exc.exit_code,
    }
    if isinstance(exc, InvalidAnswersError):
        payload["problems"] = [{"field": p.field, "problem": p.problem} for p in exc.problems]
    if isinstance(exc, LlmError) and hasattr(exc.record, "model_dump"):
        # what the failed attempts cost: calls, tokens and latency, never a key
        cost = exc.record.model_dump(mode="json")
        payload["llm"] = {k: cost[k] for k in _COST if k in cost}
    return {"error": payload}


_COST = ("model", "calls", "reasks", "prompt_tokens", "completion_tokens", "latency_ms")


class ScaffoldGroup(FullHelpGroup):
    """Runs a command and turns ScaffoldError (and bugs) into a message and an exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer.Context; its click base is private
        _json_requested.set(False)
        answered.set(False)
        try:
            return super().invoke(ctx)
        except ScaffoldError as exc:
            if _json_requested.get() and not answered.get():
                print_json(_error_payload(exc))
            say(f"error: {exc.message}", style="red")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt as exc:
            signal = exc if isinstance(exc, Interrupted) else Interrupted()
            say(f"interrupted ({signal.name}); nothing was left half-written", style="yellow")
            raise typer.Exit(signal.exit_code) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as exc:
            if os.environ.get("SCAFFOLD_DEBUG"):
                traceback.print_exc()
            say(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in scaffold; rerun with SCAFFOLD_DEBUG=1 for the traceback.",
                style="red",
            )
            raise typer.Exit(EXIT_INTERNAL) from None


_json_requested: ContextVar[bool] = ContextVar("scaffold_json", default=False)


def json_mode(enabled: bool) -> bool:
    """Remember that the running command renders JSON, so errors are rendered as JSON too."""
    _json_requested.set(enabled)
    return enabled
