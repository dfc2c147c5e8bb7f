"""External templates render in a child process, which an untrusted template cannot outlast.

Jinja's sandbox keeps a template away from Python, not from running forever: nested `range`
loops, or a string multiplied into gigabytes, hang or exhaust the machine. So `scaffold new
--template` renders in a child process (`python -m generator.render.isolated REQUEST RESULT`).
Without --trust the child gets `SCAFFOLD_RENDER_TIMEOUT` seconds (default 120) of wall-clock
time, and limits on its CPU time, memory and file sizes; past them it is killed (with its
process group) and the command stops with a clear error (exit 2), having written nothing. A
trusted template renders the same way without the limits (its hooks may install things). The
child writes only below the folder it is given, reports back in a JSON file (what it wrote,
or the error), and its output (hooks print) goes to stderr, never to stdout.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from generator import errors
from generator.errors import BadInputError, ExternalTemplateError, FieldProblem

DEFAULT_TIMEOUT = 120.0
_MEMORY = 2 << 30  # bytes of address space an untrusted render may use
_FILE_SIZE = 512 << 20  # the largest file an untrusted render may write


class RenderRequest(BaseModel):
    """What the child renders: the template on disk, the checked answers, where to write."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["copier", "cookiecutter"]
    source: str
    path: str
    commit: str | None
    ref: str | None
    render_ref: str | None = None  # what Copier is told to render (see external.fetch)
    copier_source: str | None = None  # the source Copier clones; None: the folder as it is
    cruft_template: str = ""  # the template as .cruft.json records it
    output_dir: str = ""  # where the project goes (Cookiecutter's _output_dir)
    answers: dict[str, Any]
    problems: list[tuple[str, str]] = []  # scaffold's own, reported with Copier's
    trust: bool
    dry_run: bool
    output: str


class RenderOutcome(BaseModel):
    """What the child did: the files, the recorded answers, Cookiecutter's folder name."""

    model_config = ConfigDict(extra="forbid")

    files: list[str]
    answers: dict[str, Any]
    folder: str | None = None


def render_timeout() -> float:
    """Seconds an untrusted template may take to render ($SCAFFOLD_RENDER_TIMEOUT)."""
    raw = os.environ.get("SCAFFOLD_RENDER_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 86400:
        raise BadInputError(
            f"SCAFFOLD_RENDER_TIMEOUT={raw!r}: give the seconds an untrusted template may take "
            "to render, a number above 0 (default 120)"
        )
    return value


def render(request: RenderRequest) -> RenderOutcome:
    """Render in a child process (time-limited unless trusted); its error, re-raised here."""
    from generator.render.staging import scratch

    timeout = None if request.trust else render_timeout()
    with scratch("render-ipc") as ipc:
        asked, answered = ipc / "request.json", ipc / "result.json"
        asked.write_text(request.model_dump_json(), encoding="utf-8")
        output = _run_child(asked, answered, timeout, request)
        if output:
            sys.stderr.write(output)  # hook output: never on stdout, which --json owns
            sys.stderr.flush()
        try:
            payload = json.loads(answered.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            payload = None
    if not isinstance(payload, dict) or not ("ok" in payload or "error" in payload):
        raise ExternalTemplateError(
            f"template {request.source!r}: the render stopped without a result{_tail(output)}; "
            "nothing was written"
        )
    if "error" in payload:
        raise _error(payload["error"])
    return RenderOutcome.model_validate(payload["ok"])


def _run_child(asked: Path, answered: Path, timeout: float | None, request: RenderRequest) -> str:
    package_root = str(Path(__file__).resolve().parents[2])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.render.isolated", str(asked), str(answered)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        process_group=0,  # its hooks with it: the whole group is stopped together
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise ExternalTemplateError(
            f"template {request.source!r} took longer than {timeout:g} s to render and was "
            "stopped (an untrusted template gets SCAFFOLD_RENDER_TIMEOUT seconds; read it, then "
            "raise the limit or pass --trust); nothing was written"
        ) from None
    except BaseException:  # Ctrl-C, SIGTERM: the child goes too
        _stop(process)
        raise
    text = output.decode("utf-8", errors="replace")
    if process.returncode < 0:
        name = signal.Signals(-process.returncode).name
        raise ExternalTemplateError(
            f"template {request.source!r} was stopped by {name} while rendering (an untrusted "
            f"template may use {_MEMORY >> 30} GiB of memory, files of {_FILE_SIZE >> 20} MiB "
            f"and its time limit){_tail(text)}; nothing was written"
        )
    return text


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _tail(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return f" ({lines[-1][:300]})" if lines else ""


def _error(data: dict[str, Any]) -> errors.ScaffoldError:
    kind = getattr(errors, str(data.get("type")), None)
    message = str(data.get("message", "the template failed to render"))
    if kind is errors.InvalidAnswersError:
        problems = [FieldProblem(p["field"], p["problem"]) for p in data.get("problems", [])]
        return errors.InvalidAnswersError(str(data.get("subject", "template")), problems)
    if isinstance(kind, type) and issubclass(kind, BadInputError):
        return kind(message)
    return ExternalTemplateError(message)


# -- the child -------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """A render never outlives the scaffold that started it, even one killed (Linux)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)


def _limit(timeout: float) -> None:
    """Resource limits for an untrusted render."""
    import resource

    cpu = int(timeout) + 5
    for limit, value in (
        (resource.RLIMIT_CPU, cpu),
        (resource.RLIMIT_AS, _MEMORY),
        (resource.RLIMIT_FSIZE, _FILE_SIZE),
        (resource.RLIMIT_CORE, 0),
    ):
        try:
            _soft, hard = resource.getrlimit(limit)
            wanted = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (wanted, hard))
        except (ValueError, OSError):
            pass


def _render(request: RenderRequest) -> RenderOutcome:
    if request.kind == "cookiecutter":
        from generator.render.cookiecutter_render import render_cookiecutter

        return render_cookiecutter(request)
    from generator.render.external import render_copier

    return render_copier(request)


def _failure(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, errors.InvalidAnswersError):
        return {
            "type": "InvalidAnswersError",
            "message": exc.message,
            "subject": exc.service_type,
            "problems": [{"field": p.field, "problem": p.problem} for p in exc.problems],
        }
    if isinstance(exc, errors.ScaffoldError):
        return {"type": type(exc).__name__, "message": exc.message}
    if isinstance(exc, MemoryError):
        return {
            "type": "ExternalTemplateError",
            "message": "the template ran out of memory while rendering (an untrusted template "
            f"may use {_MEMORY >> 30} GiB); nothing was written",
        }
    return {
        "type": "ExternalTemplateError",
        "message": f"the template failed to render: {type(exc).__name__}: {exc}",
    }


def main(argv: list[str] | None = None) -> int:
    """The child: render the request, write the result file."""
    asked, answered = argv if argv is not None else sys.argv[1:3]
    _die_with_parent()
    request = RenderRequest.model_validate_json(Path(asked).read_text(encoding="utf-8"))
    if not request.trust:
        _limit(render_timeout())
    try:
        payload: dict[str, Any] = {"ok": _render(request).model_dump(mode="json")}
    except Exception as exc:  # everything goes back to the parent as data
        payload = {"error": _failure(exc)}
    Path(answered).write_text(json.dumps(payload, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
