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
import os
import shutil
import sys
import tempfile
import warnings
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
    TemplateSourceError,
    UntrustedTemplateError,
)
from generator.render.atomic import check_destination, list_files, write_atomically
from generator.render.cookiecutter_compat import (
    CapturedOutput,
    captured_hook_output,
    cookiecutter_context_extras,
    cruft_json,
    cruft_template_url,
    fresh_extension_modules,
    replay,
    tail,
)
from generator.render.vcs import TemplateLocation, clone_at, locate, newest_tag, tags
from generator.update.versions import run_git

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
    """A template on disk: where, what kind, and the commit when it came from git.

    `ref` is the ref the user asked for (cruft's `checkout`); `render_ref` what Copier is told
    to render: the commit checked here, or HEAD for a local repository without tags (whose
    uncommitted changes Copier includes).
    """

    source: str
    path: Path
    kind: Kind
    commit: str | None
    ref: str | None
    location: TemplateLocation | None = None
    render_ref: str | None = None


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
def fetch(
    source: str, ref: str | None = None, *, prereleases: bool = False
) -> Iterator[FetchedTemplate]:
    """The template at `source`, at the version its own tool would render (see `vcs`)."""
    location = locate(source)
    if location.folder is not None and ref is None:
        in_place = _in_place(location, prereleases)
        if isinstance(in_place, FetchedTemplate):
            yield in_place
            return
        ref_to_fetch: str | None = in_place
    else:
        ref_to_fetch = ref
    url = location.url
    if url is None:
        raise TemplateSourceError(
            f"--template-ref needs a git repository: {source!r} is a folder outside git, which "
            "Copier and Cookiecutter read as it is"
        )
    with tempfile.TemporaryDirectory(prefix="scaffold-template-") as tmp:
        clone = Path(tmp) / "template"
        commit = clone_at(url, ref_to_fetch, clone)
        kind = _kind(clone, source)
        if kind == "copier" and ref_to_fetch is None:  # Copier renders the newest release
            newest = newest_tag(tags(url), prereleases=prereleases)
            if newest is not None:
                clone = Path(tmp) / "release"
                commit = clone_at(url, newest, clone)
                kind = _kind(clone, source)
        yield FetchedTemplate(source, clone.absolute(), kind, commit, ref, location, commit)


def _in_place(location: TemplateLocation, prereleases: bool) -> FetchedTemplate | str:
    """A local folder read as it is, or the release tag of it that Copier would render."""
    folder = location.folder
    assert folder is not None
    kind = _kind(folder, location.source)
    if location.url is None:
        return FetchedTemplate(location.source, folder, kind, None, None, location, None)
    if kind == "copier":
        newest = newest_tag(tags(location.url), prereleases=prereleases)
        if newest is not None:
            return newest
    # Cookiecutter reads the folder as it is; Copier renders HEAD and its uncommitted changes
    return FetchedTemplate(location.source, folder, kind, _head(folder), None, location, "HEAD")


def _head(folder: Path) -> str | None:
    done = run_git("rev-parse", "HEAD", cwd=folder)
    return done.stdout.strip() if done.returncode == 0 else None


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


class _CopierLoader(yaml.SafeLoader):
    """copier.yml as Copier reads it: several documents, and `!include` of other files."""

    includes = False


def _include(loader: _CopierLoader, node: yaml.Node) -> None:
    _CopierLoader.includes = True  # questions may come from elsewhere: Copier validates them
    return None


_CopierLoader.add_constructor("!include", _include)


def _copier_config(path: Path) -> tuple[dict[str, Any], bool]:
    """The merged copier.yml documents, and whether it includes other files."""
    file = next(path / name for name in _COPIER_FILES if (path / name).is_file())
    _CopierLoader.includes = False
    try:
        documents = list(yaml.load_all(file.read_text(encoding="utf-8"), Loader=_CopierLoader))
    except yaml.YAMLError as exc:
        raise ExternalTemplateError(
            f"{file.name} of the template is not valid YAML: {exc}"
        ) from None
    merged: dict[str, Any] = {}
    for document in documents:
        if isinstance(document, dict):
            merged.update(document)
        elif document is not None:
            raise ExternalTemplateError(f"{file.name} of the template is not a mapping")
    return merged, _CopierLoader.includes


def _cookiecutter_config(path: Path) -> dict[str, Any]:
    try:
        context = json.loads((path / "cookiecutter.json").read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ExternalTemplateError(
            f"cookiecutter.json of the template is not valid JSON: {exc}"
        ) from None
    if not isinstance(context, dict):
        raise ExternalTemplateError("cookiecutter.json of the template is not a JSON object")
    return context


def _escaping_links(path: Path) -> list[str]:
    root = path.resolve()
    found = []
    for link in path.rglob("*"):
        if ".git" in link.relative_to(path).parts or not link.is_symlink():
            continue
        target = link.resolve()
        if target != root and root not in target.parents:
            found.append(link.relative_to(path).as_posix())
    return sorted(found)


def _refuse_untrusted(template: FetchedTemplate, trust: bool) -> None:
    """Refuse, without --trust, a template that would run code or read outside itself."""
    if trust:
        return
    runs: list[str] = []
    if template.kind == "cookiecutter":
        runs += _hooks(template.path)
        if "_extensions" in _cookiecutter_config(template.path):
            runs.append("_extensions in cookiecutter.json (Jinja extensions are Python code)")
    else:
        config, _ = _copier_config(template.path)
        runs += [k for k in _UNSAFE_COPIER_KEYS if k in config]
    if runs:
        raise UntrustedTemplateError(
            f"template {template.source!r} runs code on this machine: {', '.join(runs)}. "
            "Read it, then pass --trust to allow it; nothing was written"
        )
    links = _escaping_links(template.path)
    if links:
        raise UntrustedTemplateError(
            f"template {template.source!r} has symbolic links to files outside it "
            f"({', '.join(links)}), which would copy them into the result; pass --trust to "
            "allow it; nothing was written"
        )


@dataclass(frozen=True)
class Question:
    """One question of a template: its default and what it accepts."""

    default: Any
    choices: list[Any] | None = None
    multiselect: bool = False


def _choice_values(choices: Any) -> list[Any] | None:
    if isinstance(choices, dict):
        return list(choices.values())
    if isinstance(choices, list):  # items, or [label, value] pairs
        return [c[1] if isinstance(c, list | tuple) and len(c) == 2 else c for c in choices]
    return None  # a templated string: Copier checks it


def _questions(template: FetchedTemplate) -> tuple[dict[str, Question], bool]:
    """Each question the user may answer, and whether the list is complete."""
    if template.kind == "cookiecutter":
        context = _cookiecutter_config(template.path)
        return {
            k: Question(v[0], v) if isinstance(v, list) and v else Question(v)
            for k, v in context.items()
            if not k.startswith("_")
        }, True
    config, includes = _copier_config(template.path)
    questions: dict[str, Question] = {}
    for key, spec in config.items():
        if key.startswith("_"):
            continue
        if isinstance(spec, dict):
            default = spec.get("default", "")
            if spec.get("type") == "bool" and not isinstance(default, bool):
                default = False
            questions[key] = Question(
                default, _choice_values(spec.get("choices")), bool(spec.get("multiselect"))
            )
        else:
            questions[key] = Question(spec)  # the short form: `key: default`
    return questions, not includes


def _coerce(name: str, value: Any, question: Question, problems: list[FieldProblem]) -> Any:
    if question.choices:
        allowed = ", ".join(str(c) for c in question.choices)
        if question.multiselect:
            picked = value if isinstance(value, list) else [v for v in str(value).split(",") if v]
            chosen = [_choice(v, question.choices) for v in picked]
            if any(c is _MISSING for c in chosen):
                problems.append(FieldProblem(name, f"each value must be one of {allowed}"))
            return chosen
        chosen = _choice(value, question.choices)
        if chosen is _MISSING:
            problems.append(FieldProblem(name, f"must be one of {allowed}"))
            return value
        return chosen
    if isinstance(question.default, bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        problems.append(FieldProblem(name, "must be true or false"))
        return value
    if isinstance(question.default, dict):
        if not isinstance(value, dict):
            problems.append(FieldProblem(name, "must be a mapping (use --data-file)"))
        return value
    return value if isinstance(value, str | int | float | list) else str(value)


_MISSING = object()


def _choice(value: Any, choices: list[Any]) -> Any:
    """The choice `value` names (by value or by its text), keeping the choice's own type."""
    for choice in choices:
        if value == choice or str(value) == str(choice):
            return choice
    return _MISSING


def checked_answers(
    template: FetchedTemplate, answers: Mapping[str, Any]
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The answers checked against the template's questions, and every problem found.

    A Copier template's values stay as given: Copier's own questions parse and check them
    during the render (see `copier_answers`), so only unknown keys are found here.
    """
    questions, complete = _questions(template)
    problems: list[FieldProblem] = []
    checked: dict[str, Any] = {}
    for name, value in answers.items():
        if name not in questions:
            if complete:
                allowed = ", ".join(questions) or "none"
                problems.append(
                    FieldProblem(name, f"is not a question of this template ({allowed})")
                )
            else:
                checked[name] = value
            continue
        if template.kind == "copier":
            checked[name] = value
        else:
            checked[name] = _coerce(name, value, questions[name], problems)
    return checked, problems


def validate_answers(template: FetchedTemplate, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers checked against the template's questions; every problem at once."""
    checked, problems = checked_answers(template, answers)
    if problems:
        raise InvalidAnswersError(f"template {template.source}", problems)
    return checked


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Hooks and tasks print; stdout belongs to scaffold's own output (--json)."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (embedded): nothing to protect
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


@contextmanager
def _cookiecutter_environment(template: Path, trust: bool) -> Iterator[None]:
    """Untrusted: Jinja's sandbox (no reaching Python internals from a template); trusted:
    the template folder is importable, for its local `_extensions`."""
    import cookiecutter.utils
    from cookiecutter.environment import ExtensionLoaderMixin
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class SandboxedStrictEnvironment(ExtensionLoaderMixin, SandboxedEnvironment):  # type: ignore[misc]
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(undefined=StrictUndefined, **kwargs)

    original = cookiecutter.utils.StrictEnvironment
    if trust:
        sys.path.insert(0, str(template))
    else:
        cookiecutter.utils.StrictEnvironment = SandboxedStrictEnvironment
    try:
        yield
    finally:
        cookiecutter.utils.StrictEnvironment = original
        if trust and str(template) in sys.path:
            sys.path.remove(str(template))


def _refuse_escaping_paths(template: FetchedTemplate, context: dict[str, Any]) -> None:
    """Every rendered file name stays inside the project folder (checked before rendering)."""
    from cookiecutter.find import find_template
    from cookiecutter.utils import create_env_with_context

    env = create_env_with_context(context)
    project = Path(find_template(template.path, env))
    for path in [project, *project.rglob("*")]:
        for part in path.relative_to(template.path).parts:
            name = env.from_string(part).render(**context)
            if name in {".", ".."} or "/" in name or "\\" in name:
                raise ExternalTemplateError(
                    f"template {template.source!r} renders the path {part!r} as {name!r}, "
                    "outside the project folder; nothing was written"
                )


def _render_cookiecutter(
    template: FetchedTemplate,
    answers: dict[str, Any],
    trust: bool,
    dry_run: bool,
    into: Path,
    output_dir: Path | None = None,
) -> tuple[dict[str, Any], str]:
    """Render into `into`; the answers and the project folder name Cookiecutter chose.

    `output_dir` is the folder the project goes into (Cookiecutter's `_output_dir`).
    """
    from cookiecutter.exceptions import CookiecutterException, FailedHookException
    from cookiecutter.generate import generate_context, generate_files
    from cookiecutter.prompt import prompt_for_config
    from jinja2 import TemplateError as JinjaError

    extras = cookiecutter_context_extras(
        template.source, template.path, output_dir or Path.cwd(), template.ref
    )
    hooks: CapturedOutput | None = None
    try:
        with (
            _cookiecutter_environment(template.path, trust),
            fresh_extension_modules(template.path, _extensions(template.path)),
            _stdout_to_stderr(),
        ):
            context = generate_context(
                context_file=str(template.path / "cookiecutter.json"), extra_context=answers
            )
            context["_cookiecutter"] = {
                k: v for k, v in context["cookiecutter"].items() if not k.startswith("_")
            }
            rendered = prompt_for_config(context, no_input=True)
            rendered.update(extras)
            context["cookiecutter"] = rendered
            _refuse_escaping_paths(template, context)
            with (
                tempfile.TemporaryDirectory(prefix="scaffold-cookiecutter-") as tmp,
                captured_hook_output() as hooks,
            ):
                project = Path(
                    generate_files(
                        repo_dir=str(template.path),
                        context=context,
                        output_dir=tmp,
                        accept_hooks=trust and not dry_run,  # a dry run runs no template code
                    )
                )
                _move_tree(project, into)
            replay(hooks)
    except FailedHookException as exc:
        output = tail(hooks.text) if hooks is not None else ""
        raise ExternalTemplateError(
            f"a hook of template {template.source!r} failed: {exc}"
            + (f"; its output ended with:\n{output}" if output else "")
        ) from None
    except ExternalTemplateError:
        raise
    except (CookiecutterException, JinjaError) as exc:
        hint = "" if trust else " (Jinja's sandbox applies without --trust)"
        raise ExternalTemplateError(
            f"template {template.source!r} failed to render: {exc}{hint}"
        ) from None
    except Exception as exc:  # a template's expression can raise anything (TypeError, ...)
        raise ExternalTemplateError(
            f"template {template.source!r} failed to render: {type(exc).__name__}: {exc}"
        ) from None
    _write_cruft_file(template, {k: v for k, v in rendered.items() if k not in extras}, into)
    return {k: v for k, v in rendered.items() if not k.startswith("_")}, project.name


def _extensions(path: Path) -> list[str]:
    found = _cookiecutter_config(path).get("_extensions", [])
    return [str(e) for e in found] if isinstance(found, list) else []


def _write_cruft_file(template: FetchedTemplate, context: dict[str, Any], into: Path) -> None:
    """`.cruft.json` as cruft writes it, so `cruft check`/`update` and --data-file read it."""
    url = cruft_template_url(template.location) if template.location else str(template.path)
    text = cruft_json(url, template.commit, template.ref, context)
    (into / CRUFT_FILE).write_text(text, encoding="utf-8")


def _move_tree(source: Path, into: Path) -> None:
    """Move every file and folder (empty ones too) of `source` into `into`."""
    for folder in sorted(p for p in source.rglob("*") if p.is_dir() and not p.is_symlink()):
        (into / folder.relative_to(source)).mkdir(parents=True, exist_ok=True)
    for rel in list_files(source):
        shutil.move(source / rel, into / rel)


def _render_copier(
    template: FetchedTemplate,
    answers: dict[str, Any],
    trust: bool,
    dry_run: bool,
    into: Path,
    problems: list[FieldProblem],
) -> tuple[dict[str, Any], None]:
    """Render into `into`; the answers (the destination is always given for Copier).

    A git source is rendered by Copier from git at the ref checked above (the newest release
    tag, as Copier picks it, unless --template-ref says otherwise), so its answers file records
    the source and the release, and plain `copier update` accepts the result. Every answer is
    checked by Copier's questions before anything renders; `problems` (scaffold's own) are
    reported with Copier's.
    """
    from copier.errors import CopierError, CopierWarning, PathError, TaskError
    from jinja2 import TemplateError as JinjaError

    from generator.render.copier_answers import AnswerProblems, CheckingWorker, comma_lists

    location = template.location
    git = location is not None and template.render_ref is not None
    source = location.copier_source() if git and location else str(template.path)
    data = comma_lists(_copier_config(template.path)[0], answers)
    try:
        with _stdout_to_stderr(), warnings.catch_warnings():
            # shown, never raised: e.g. that a local template's uncommitted changes were used
            warnings.simplefilter("default", CopierWarning)
            worker = CheckingWorker(
                src_path=source,
                dst_path=into,
                data=data,
                defaults=True,
                overwrite=True,
                quiet=True,
                unsafe=trust,
                skip_tasks=not trust or dry_run,  # a dry run runs no template code
                vcs_ref=template.render_ref if git else None,
            )
            worker.extra_problems = problems
            with worker:
                worker.run_copy()
    except AnswerProblems as exc:
        raise InvalidAnswersError(f"template {template.source}", exc.problems) from None
    except PathError as exc:  # a path that escapes, or a symlink Copier refuses
        raise ExternalTemplateError(
            f"template {template.source!r} refused by Copier: {exc}"
        ) from None
    except TaskError as exc:
        raise ExternalTemplateError(
            f"a task of template {template.source!r} failed: {exc}"
        ) from None
    except (CopierError, JinjaError) as exc:
        raise ExternalTemplateError(
            f"template {template.source!r} failed to render: {exc}"
        ) from None
    except ValueError as exc:  # Copier could not read the source it was given
        raise TemplateSourceError(f"Copier cannot read template {source!r}: {exc}") from None
    combined = worker.answers.combined
    questions, _ = _questions(template)
    return {k: combined[k] for k in questions if k in combined}, None


def generate_external(
    source: str,
    output: Path | None = None,
    *,
    answers: Mapping[str, Any] | None = None,
    trust: bool = False,
    force: bool = False,
    dry_run: bool = False,
    ref: str | None = None,
    prereleases: bool = False,
) -> ExternalResult:
    """Render an external Copier or Cookiecutter template into `output`, atomically.

    A Copier template in git renders its newest PEP 440 release tag (pre-releases only with
    `prereleases`), or HEAD without tags, as Copier does; `ref` overrides.
    """
    with fetch(source, ref, prereleases=prereleases) as template:
        checked, problems = checked_answers(template, answers or {})
        if problems and template.kind == "cookiecutter":
            raise InvalidAnswersError(f"template {template.source}", problems)
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
                parent = output.expanduser().absolute().parent if output is not None else None
                recorded, folder = _render_cookiecutter(
                    template, checked, trust, dry_run, preview, parent
                )
            else:
                recorded, _ = _render_copier(template, checked, trust, dry_run, preview, problems)
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
