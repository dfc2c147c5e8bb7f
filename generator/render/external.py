"""External templates: a team's own Copier or Cookiecutter template, rendered like scaffold's.

`scaffold new --template PATH|gh:ORG/REPO|GIT-URL` fetches the template (a shallow clone for
git sources), finds what it is (copier.yml or cookiecutter.json), checks the answers against
its questions (unknown keys, choices, booleans) and refuses templates that run code (Cookiecutter
hooks; Copier tasks, migrations or Jinja extensions) unless `trust` is given. The render goes
through the same atomic write as scaffold's own templates. The answers are recorded so the
result can be regenerated: Copier writes its answers file (when the template has one), and a
Cookiecutter render gets a `.cruft.json` (cruft's format: template, commit, context), which
`--data-file` reads back.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict

from generator.errors import (
    BadInputError,
    DataFileError,
    ExternalTemplateError,
    FieldProblem,
    InvalidAnswersError,
    UntrustedTemplateError,
)
from generator.render.atomic import check_destination, list_files, write_atomically
from generator.update.versions import git_url, run_git

Kind = Literal["copier", "cookiecutter"]
CRUFT_FILE = ".cruft.json"
_COPIER_FILES = ("copier.yml", "copier.yaml")
_HOOK_NAMES = ("pre_prompt", "pre_gen_project", "post_gen_project")
_UNSAFE_COPIER_KEYS = ("_tasks", "_migrations", "_jinja_extensions", "_external_data")
_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}


class ExternalResult(BaseModel):
    """What `generate_external` did (or, with dry_run, would do)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    template: str
    kind: Kind
    commit: str | None
    destination: str
    dry_run: bool
    files: list[str]
    replaced: list[str]
    answers: dict[str, Any]


@dataclass(frozen=True)
class FetchedTemplate:
    """A template on disk: where, what kind, and the commit when it came from git."""

    source: str
    path: Path
    kind: Kind
    commit: str | None
    ref: str | None


def _is_remote(source: str) -> bool:
    url = git_url(source)
    return "://" in url or url.startswith("git@") or url != source


def _kind(path: Path, source: str) -> Kind:
    if any((path / name).is_file() for name in _COPIER_FILES):
        return "copier"
    if (path / "cookiecutter.json").is_file():
        return "cookiecutter"
    raise BadInputError(
        f"template {source!r} has neither copier.yml nor cookiecutter.json at its root: "
        "scaffold renders Copier and Cookiecutter templates"
    )


@contextmanager
def fetch(source: str, ref: str | None = None) -> Iterator[FetchedTemplate]:
    """The template at `source` (a folder, or a git URL / gh:ORG/REPO cloned shallowly)."""
    if not _is_remote(source):
        path = Path(source).expanduser()
        if not path.is_dir():
            raise BadInputError(
                f"template {source!r} is not a folder; give a path, gh:ORG/REPO or a git URL"
            )
        head = run_git("rev-parse", "HEAD", cwd=path) if (path / ".git").exists() else None
        if ref is not None:
            raise BadInputError("--template-ref needs a git URL or gh:ORG/REPO template")
        commit = head.stdout.strip() if head is not None and head.returncode == 0 else None
        yield FetchedTemplate(source, path.absolute(), _kind(path, source), commit, None)
        return
    with tempfile.TemporaryDirectory(prefix="scaffold-template-") as tmp:
        clone = Path(tmp) / "template"
        args = ["clone", "--quiet", "--depth", "1"]
        if ref is not None:
            args += ["--branch", ref]
        done = run_git(*args, "--", git_url(source), str(clone))
        if done.returncode != 0:
            raise BadInputError(
                f"cannot fetch template {source!r}"
                + (f" at {ref!r}" if ref else "")
                + f": {done.stderr.strip() or 'git clone failed'}"
            )
        commit = run_git("rev-parse", "HEAD", cwd=clone).stdout.strip() or None
        yield FetchedTemplate(source, clone, _kind(clone, source), commit, ref)


def load_answers_file(path: Path) -> dict[str, Any]:
    """Answers from YAML/JSON: a plain mapping, Copier's answers file or cruft's `.cruft.json`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(f"data file {str(path)!r} does not exist") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataFileError(f"data file {str(path)!r} cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise DataFileError(f"data file {str(path)!r} must hold a mapping of answers")
    context = data.get("context")
    if isinstance(context, dict) and isinstance(context.get("cookiecutter"), dict):
        data = context["cookiecutter"]  # a .cruft.json
    return {str(k): v for k, v in data.items() if not str(k).startswith("_")}


def _hooks(path: Path) -> list[str]:
    folder = path / "hooks"
    if not folder.is_dir():
        return []
    return sorted(
        f"hooks/{p.name}" for p in folder.iterdir() if p.is_file() and p.stem in _HOOK_NAMES
    )


def _copier_config(path: Path) -> dict[str, Any]:
    file = next(path / name for name in _COPIER_FILES if (path / name).is_file())
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise BadInputError(f"{file.name} of the template is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise BadInputError(f"{file.name} of the template is not a mapping")
    return data


def _refuse_untrusted(template: FetchedTemplate, trust: bool) -> None:
    if trust:
        return
    if template.kind == "cookiecutter":
        runs = _hooks(template.path)
        what = "hooks that run code on this machine: " + ", ".join(runs)
    else:
        runs = [k for k in _UNSAFE_COPIER_KEYS if k in _copier_config(template.path)]
        what = "settings that run code on this machine: " + ", ".join(runs)
    if runs:
        raise UntrustedTemplateError(
            f"template {template.source!r} has {what}. Read them, then pass --trust to allow "
            "them; nothing was written"
        )


def _coerce(name: str, value: Any, default: Any, problems: list[FieldProblem]) -> Any:
    if isinstance(default, list) and default:
        allowed = [str(c) for c in default]
        if str(value) not in allowed:
            problems.append(FieldProblem(name, f"must be one of {', '.join(allowed)}"))
        return str(value)
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        problems.append(FieldProblem(name, "must be true or false"))
        return value
    if isinstance(default, dict):
        if not isinstance(value, dict):
            problems.append(FieldProblem(name, "must be a mapping (use --data-file)"))
        return value
    return value if isinstance(value, str | int | float) else str(value)


def _questions(template: FetchedTemplate) -> dict[str, Any]:
    """Each question the user may answer, with its default (a list: the choices)."""
    if template.kind == "cookiecutter":
        try:
            context = json.loads((template.path / "cookiecutter.json").read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BadInputError(
                f"cookiecutter.json of the template is not valid JSON: {exc}"
            ) from None
        if not isinstance(context, dict):
            raise BadInputError("cookiecutter.json of the template is not a JSON object")
        return {k: v for k, v in context.items() if not k.startswith("_")}
    questions: dict[str, Any] = {}
    for key, spec in _copier_config(template.path).items():
        if key.startswith("_"):
            continue
        if isinstance(spec, dict):
            choices = spec.get("choices")
            if isinstance(choices, dict):
                choices = list(choices.values())
            default = choices if isinstance(choices, list) else spec.get("default", "")
            if spec.get("type") == "bool" and not isinstance(default, bool):
                default = False
            questions[key] = default
        else:
            questions[key] = spec  # the short form: `key: default`
    return questions


def validate_answers(template: FetchedTemplate, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers checked against the template's questions; every problem at once."""
    questions = _questions(template)
    problems: list[FieldProblem] = []
    checked: dict[str, Any] = {}
    for name, value in answers.items():
        if name not in questions:
            allowed = ", ".join(questions) or "none"
            problems.append(FieldProblem(name, f"is not a question of this template ({allowed})"))
            continue
        checked[name] = _coerce(name, value, questions[name], problems)
    if problems:
        raise InvalidAnswersError(f"template {template.source}", problems)
    return checked


def _render_cookiecutter(
    template: FetchedTemplate, answers: dict[str, Any], trust: bool, into: Path
) -> tuple[dict[str, Any], str]:
    """Render into `into`; the answers and the project folder name Cookiecutter chose."""
    from cookiecutter.exceptions import CookiecutterException, FailedHookException
    from cookiecutter.generate import generate_context, generate_files
    from cookiecutter.prompt import prompt_for_config

    try:
        context = generate_context(
            context_file=str(template.path / "cookiecutter.json"), extra_context=answers
        )
        rendered = prompt_for_config(context, no_input=True)
        rendered["_template"] = template.source
        context["cookiecutter"] = rendered
        with tempfile.TemporaryDirectory(prefix="scaffold-cookiecutter-") as tmp:
            project = Path(
                generate_files(
                    repo_dir=str(template.path),
                    context=context,
                    output_dir=tmp,
                    accept_hooks=trust,
                )
            )
            _move_tree(project, into)
    except FailedHookException as exc:
        raise ExternalTemplateError(
            f"a hook of template {template.source!r} failed: {exc}"
        ) from None
    except CookiecutterException as exc:
        raise ExternalTemplateError(
            f"template {template.source!r} failed to render: {exc}"
        ) from None
    record: dict[str, Any] = {
        "template": template.source,
        "commit": template.commit,
        "checkout": template.ref,
        "context": {"cookiecutter": rendered},
        "directory": None,
        "skip": [],
    }
    (into / CRUFT_FILE).write_text(json.dumps(record, indent=2, default=str) + "\n")
    return {k: v for k, v in rendered.items() if not k.startswith("_")}, project.name


def _move_tree(source: Path, into: Path) -> None:
    for rel in list_files(source):
        (into / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source / rel, into / rel)


def _render_copier(
    template: FetchedTemplate, answers: dict[str, Any], trust: bool, into: Path
) -> tuple[dict[str, Any], None]:
    """Render into `into`; the answers (the destination is always given for Copier)."""
    import copier
    from copier.errors import CopierError
    from jinja2 import TemplateError as JinjaError

    # Copier fetches a git source itself, so the answers file records the source and commit
    source = template.source if template.commit is not None else str(template.path)
    try:
        worker = copier.run_copy(
            source,
            str(into),
            data=answers,
            defaults=True,
            overwrite=True,
            quiet=True,
            unsafe=trust,
            skip_tasks=not trust,
            vcs_ref=template.ref,
        )
    except ValueError as exc:  # a question's validator rejected an answer
        raise InvalidAnswersError(
            f"template {template.source}", [FieldProblem("answers", str(exc))]
        ) from None
    except (CopierError, JinjaError) as exc:
        raise ExternalTemplateError(
            f"template {template.source!r} failed to render: {exc}"
        ) from None
    combined = worker.answers.combined
    return {k: combined[k] for k in _questions(template) if k in combined}, None


def generate_external(
    source: str,
    output: Path | None = None,
    *,
    answers: Mapping[str, Any] | None = None,
    trust: bool = False,
    force: bool = False,
    dry_run: bool = False,
    ref: str | None = None,
) -> ExternalResult:
    """Render an external Copier or Cookiecutter template into `output`, atomically."""
    with fetch(source, ref) as template:
        checked = validate_answers(template, answers or {})
        _refuse_untrusted(template, trust)
        if output is None and template.kind == "copier":
            raise BadInputError("a Copier template needs a destination: pass -o/--output DIR")
        if output is not None:  # refuse before anything runs (a trusted hook, for one)
            check_destination(output.expanduser().absolute(), force)
        with tempfile.TemporaryDirectory(prefix="scaffold-external-") as tmp:
            preview = Path(tmp) / "render"
            preview.mkdir()
            folder: str | None = None
            if template.kind == "cookiecutter":
                recorded, folder = _render_cookiecutter(template, checked, trust, preview)
            else:
                recorded, _ = _render_copier(template, checked, trust, preview)
            chosen = output if output is not None else Path(folder or "project")
            dest = chosen.expanduser().absolute()
            check_destination(dest, force)
            if dry_run:
                files = list_files(preview)
                replaced = [f for f in files if (dest / f).exists()]
            else:
                files, replaced = write_atomically(
                    dest, lambda into: _move_tree(preview, into), force
                )
        return ExternalResult(
            template=source,
            kind=template.kind,
            commit=template.commit,
            destination=str(dest),
            dry_run=dry_run,
            files=files,
            replaced=replaced,
            answers=recorded,
        )
