"""External templates: a team's own Copier or Cookiecutter template, rendered like scaffold's.

`scaffold new --template PATH|gh:ORG/REPO|GIT-URL` fetches the template (a shallow clone for
git sources), finds what it is (copier.yml or cookiecutter.json), checks the answers against
its questions (unknown keys, choices, booleans) and refuses templates that run code (Cookiecutter
hooks; Copier tasks, migrations or Jinja extensions) unless `trust` is given. The render runs
in a child process (`generator.render.isolated`, time- and memory-limited without `trust`;
Cookiecutter's paths are planned and contained by `generator.render.cookiecutter_render`) and
goes through the same atomic write as scaffold's own templates. The answers are recorded so the
result can be regenerated: Copier writes its answers file (when the template has one), and a
Cookiecutter render gets a `.cruft.json` (cruft's format: template, commit, context), which
`--data-file` reads back.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

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
from generator.git import check_source, run_git
from generator.render.atomic import (
    check_destination,
    list_files,
    resolve_output,
    write_atomically,
)
from generator.render.staging import scratch
from generator.render.vcs import TemplateLocation, clone_at, locate, newest_tag, tags

if TYPE_CHECKING:
    from generator.render.isolated import RenderOutcome, RenderRequest

Kind = Literal["copier", "cookiecutter"]
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
    """The template at `source`, at the version its own tool would render (see `vcs`).

    A source, a URL it stands for or a ref that git could read as an option is refused.
    """
    check_source(source, "template")
    check_source(source.removeprefix("git+"), "template")  # Copier clones what follows git+
    if ref is not None:
        check_source(ref, "--template-ref")
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
    with scratch("template") as tmp:
        clone = tmp / "template"
        commit = clone_at(url, ref_to_fetch, clone)
        kind = _kind(clone, source)
        if kind == "copier" and ref_to_fetch is None:  # Copier renders the newest release
            newest = newest_tag(tags(url), prereleases=prereleases)
            if newest is not None:
                clone = tmp / "release"
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
    """Answers from YAML/JSON: a plain mapping, Copier's answers file or cruft's `.cruft.json`.

    Bounded like every data file (`generator.limits`).
    """
    from generator.limits import load_yaml, read_text

    data = load_yaml(read_text(path), f"data file {str(path)!r}")
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


def _template_file(file: Path) -> str:
    """A configuration file of the template, read within the data-file bounds."""
    from generator.limits import read_text

    try:
        return read_text(file, f"{file.name} of the template")
    except DataFileError as exc:
        raise ExternalTemplateError(exc.message) from None


def _copier_config(path: Path) -> tuple[dict[str, Any], bool]:
    """The merged copier.yml documents, and whether it includes other files."""
    from generator.limits import load_yaml_documents

    file = next(path / name for name in _COPIER_FILES if (path / name).is_file())
    _CopierLoader.includes = False
    try:
        documents = load_yaml_documents(
            _template_file(file), f"{file.name} of the template", _CopierLoader
        )
    except DataFileError as exc:
        raise ExternalTemplateError(exc.message) from None
    merged: dict[str, Any] = {}
    for document in documents:
        if isinstance(document, dict):
            merged.update(document)
        elif document is not None:
            raise ExternalTemplateError(f"{file.name} of the template is not a mapping")
    return merged, _CopierLoader.includes


def _cookiecutter_config(path: Path) -> dict[str, Any]:
    from generator.limits import load_json

    file = path / "cookiecutter.json"
    try:
        context = load_json(_template_file(file), "cookiecutter.json of the template")
    except DataFileError as exc:
        raise ExternalTemplateError(exc.message) from None
    if not isinstance(context, dict):
        raise ExternalTemplateError("cookiecutter.json of the template is not a JSON object")
    return context


def _escaping_links(path: Path) -> list[str]:
    """Links that lead out of the template, or nowhere (a loop, a missing target)."""
    root = path.resolve()
    found = []
    for link in path.rglob("*"):
        if ".git" in link.relative_to(path).parts or not link.is_symlink():
            continue
        try:
            target = link.resolve(strict=True)
        except (OSError, RuntimeError):  # a loop (RuntimeError before Python 3.13) or dangling
            found.append(f"{link.relative_to(path).as_posix()} (leads nowhere)")
            continue
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
    from generator.spec.answers import secret_problems

    problems += secret_problems(checked)
    return checked, problems


def validate_answers(template: FetchedTemplate, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers checked against the template's questions; every problem at once."""
    checked, problems = checked_answers(template, answers)
    if problems:
        raise InvalidAnswersError(f"template {template.source}", problems)
    return checked


def _cruft_template(template: FetchedTemplate) -> str:
    """The template as cruft records it in `.cruft.json`."""
    from generator.render.cookiecutter_compat import cruft_template_url

    if template.location is None:
        return str(template.path)
    return cruft_template_url(template.location)


def _move_tree(source: Path, into: Path) -> None:
    """Move every file and folder (empty ones too) of `source` into `into`."""
    for folder in sorted(p for p in source.rglob("*") if p.is_dir() and not p.is_symlink()):
        (into / folder.relative_to(source)).mkdir(parents=True, exist_ok=True)
    for rel in list_files(source):
        shutil.move(source / rel, into / rel)


def render_copier(request: RenderRequest) -> RenderOutcome:
    """Render a Copier template into `request.output` (in the isolated child process).

    A git source is rendered by Copier from git at the ref checked by `fetch` (the newest
    release tag, as Copier picks it, unless --template-ref says otherwise), so its answers file
    records the source and the release, and plain `copier update` accepts the result. Every
    answer is checked by Copier's questions before anything renders; `request.problems`
    (scaffold's own) are reported with Copier's.
    """
    from copier.errors import CopierError, CopierWarning, PathError, TaskError
    from jinja2 import TemplateError as JinjaError

    from generator.render.copier_answers import AnswerProblems, CheckingWorker, comma_lists
    from generator.render.isolated import RenderOutcome

    template = FetchedTemplate(
        request.source, Path(request.path), "copier", request.commit, request.ref
    )
    source = request.copier_source or str(template.path)
    data = comma_lists(_copier_config(template.path)[0], request.answers)
    try:
        with warnings.catch_warnings():
            # shown, never raised: e.g. that a local template's uncommitted changes were used
            warnings.simplefilter("default", CopierWarning)
            worker = CheckingWorker(
                src_path=source,
                dst_path=Path(request.output),
                data=data,
                defaults=True,
                overwrite=True,
                quiet=True,
                unsafe=request.trust,
                # a dry run runs no template code
                skip_tasks=not request.trust or request.dry_run,
                vcs_ref=request.render_ref if request.copier_source else None,
            )
            worker.extra_problems = [FieldProblem(f, p) for f, p in request.problems]
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
    except Exception as exc:  # a broken copier.yml (_envops, ...) can raise anything
        raise ExternalTemplateError(
            f"template {template.source!r} failed to render: {type(exc).__name__}: {exc}"
        ) from None
    combined = worker.answers.combined
    questions, _ = _questions(template)
    return RenderOutcome(
        files=list_files(Path(request.output)),
        answers={k: combined[k] for k in questions if k in combined},
    )


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
    `prereleases`), or HEAD without tags, as Copier does; `ref` overrides. The render runs in
    a child process (`generator.render.isolated`): time-limited without `trust`. A Cookiecutter
    dry run only plans (nothing is written anywhere).
    """
    from generator.render.isolated import RenderRequest, render

    with fetch(source, ref, prereleases=prereleases) as template:
        checked, problems = checked_answers(template, answers or {})
        if problems and template.kind == "cookiecutter":
            raise InvalidAnswersError(f"template {template.source}", problems)
        _refuse_untrusted(template, trust)
        if output is None and template.kind == "copier":
            raise BadInputError("a Copier template needs a destination: pass -o/--output DIR")
        if output is not None:  # refuse before anything runs (a trusted hook, for one)
            check_destination(resolve_output(output), force)
        location = template.location
        git = location is not None and template.render_ref is not None
        with scratch("external") as tmp:
            request = RenderRequest(
                kind=template.kind,
                source=template.source,
                path=str(template.path),
                commit=template.commit,
                ref=template.ref,
                render_ref=template.render_ref,
                copier_source=location.copier_source() if git and location else None,
                cruft_template=_cruft_template(template),
                output_dir=str(resolve_output(output).parent if output is not None else Path.cwd()),
                answers=checked,
                problems=[(p.field, p.problem) for p in problems],
                trust=trust,
                dry_run=dry_run,
                output=str(tmp),
            )
            outcome = render(request)
            rendered = tmp / outcome.folder if outcome.folder else tmp
            folder = Path(outcome.folder or "project").name  # Cookiecutter's own folder name
            dest = resolve_output(output if output is not None else Path(folder))
            check_destination(dest, force)
            if dry_run:
                files = outcome.files
                replaced = [f for f in files if (dest / f).exists()]
            else:
                files, replaced = write_atomically(
                    dest, lambda into: _move_tree(rendered, into), force
                )
        return ExternalResult(
            template=source,
            kind=template.kind,
            commit=template.commit,
            destination=str(dest),
            dry_run=dry_run,
            files=files,
            replaced=replaced,
            answers=outcome.answers,
        )
