"""One door to a new repository: a `GenerateRequest`, `plan` (the validated answers) and `new`.

Every front door builds a request and calls these: `scaffold new` (whose arguments are the
request's fields), the MCP tools, the samples, and so the Backstage bootstrap (which runs
`scaffold new`) and the LLM path (`--describe`, `--draft-docs`). The rules of a new repository
live here, not in a front door:

- the answers come from `answers` (typed, like a data file's), then a data file, then
  `KEY=VALUE` pairs, each winning over the ones before;
- with a description, the user's own answers win over the model's (they are never dropped);
- an external template's own tests run its code: `verify_skip` leaves them out unless trusted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from generator.api import GenerateResult, generate, load_spec
from generator.errors import BadInputError, FieldProblem
from generator.spec.answers import (
    collect_answers,
    from_data_file,
    invalid_answers,
    load_data_file,
    parse_data_pairs,
    problems_from,
)
from generator.spec.models import ServiceSpec
from generator.spec.registry import resolve_type

if TYPE_CHECKING:
    from generator.llm.client import CallRecord
    from generator.llm.spec import ProposedSpec
    from generator.render.external import ExternalResult


class GenerateRequest(BaseModel):
    """What to generate, where, and how: the arguments of `scaffold new` as data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: A service type's name or alias (None with `describe`, which may choose it, or `template`).
    service_type: str | None = None
    #: The service name (None with `describe`, which may propose it, or `template`).
    name: str | None = None
    #: Typed answers, as a data file holds them.
    answers: dict[str, Any] = {}
    #: A YAML or JSON file of answers (a generated repository's .copier-answers.yml too).
    data_file: Path | None = None
    #: `KEY=VALUE` answers; they win over `answers` and the data file.
    data: tuple[str, ...] = ()
    #: The destination folder (default: ./NAME).
    destination: Path | None = None
    #: Write into a non-empty folder, replacing generated files only.
    force: bool = False
    #: List what would be written; write nothing.
    dry_run: bool = False
    #: A plain-language description an LLM proposes the answers from.
    describe: str | None = None
    #: Also let the LLM draft the README overview, the ADR context and the runbook's failure modes.
    draft_docs: bool = False
    #: An external Copier or Cookiecutter template (a path, gh:ORG/REPO or a git URL).
    template: str | None = None
    #: The git tag, branch or commit of `template`.
    template_ref: str | None = None
    #: Let the newest tag of a Copier `template` be a pre-release.
    template_prereleases: bool = False
    #: Let an external template's hooks, tasks, migrations and tests run code here.
    trust: bool = False

    @property
    def verify_skip(self) -> tuple[str, ...]:
        """The checks a verification of the result skips: an external template's tests run its
        code (build backend, conftest), so they run only when it is trusted."""
        return ("tests",) if self.template is not None and not self.trust else ()


@dataclass(frozen=True)
class Plan:
    """A request's validated answers: the spec of a service type, or an external template's
    answers (validated against its questions when it renders); nothing is written yet."""

    request: GenerateRequest
    spec: ServiceSpec | None = None
    #: What the answers set aside (e.g. a data file's own name), for the user to see.
    notes: tuple[str, ...] = ()
    #: With `describe`: where each value came from, and what was read but not used.
    proposal: ProposedSpec | None = None
    template_answers: dict[str, Any] | None = None


def _check_options(request: GenerateRequest) -> None:
    """Options that only apply to an external template, or only to scaffold's own types."""
    if request.template is not None:
        if request.service_type is not None or request.name is not None:
            raise BadInputError(
                "with --template, TYPE and NAME are not used: the template asks its own "
                "questions (answer them with --data/--data-file) and -o/--output names the "
                "destination"
            )
        if request.describe is not None or request.draft_docs:
            raise BadInputError(
                "--describe and --draft-docs work with scaffold's own service types"
            )
    elif request.template_ref is not None or request.trust or request.template_prereleases:
        raise BadInputError(
            "--template-ref, --template-prereleases and --trust only apply with --template"
        )
    elif request.describe is None and (request.service_type is None or request.name is None):
        raise BadInputError(
            "TYPE and NAME are required (e.g. `scaffold new web-service orders-api`), "
            'unless --describe "..." lets the LLM propose them'
        )


def _template_answers(request: GenerateRequest) -> dict[str, Any]:
    from generator.render.external import load_answers_file

    answers = dict(request.answers)
    if request.data_file is not None:
        answers.update(load_answers_file(request.data_file))
    answers.update(parse_data_pairs(request.data))
    return answers


def _described(request: GenerateRequest) -> Plan:
    """The spec an LLM proposes from the description; the user's own answers win."""
    from generator.llm.spec import propose_spec

    assert request.describe is not None
    given: dict[str, Any] | None = dict(request.answers) if request.answers else None
    notes: list[str] = []
    if request.data_file is not None:  # an answers file's own name is dropped, as without it
        from_file, notes = from_data_file(load_data_file(request.data_file), request.name or "")
        given = {**(given or {}), **from_file}
    spec, proposed = propose_spec(
        request.describe,
        request.service_type,
        request.name,
        given=given,
        given_pairs=parse_data_pairs(request.data),
    )
    return Plan(request, spec, tuple(notes) if request.name else (), proposed)


def plan(request: GenerateRequest) -> Plan:
    """Validate a request's answers (asking the LLM with `describe`); write nothing."""
    _check_options(request)
    if request.template is not None:
        return Plan(request, template_answers=_template_answers(request))
    if request.describe is not None:
        return _described(request)
    assert request.service_type is not None and request.name is not None
    loaded = load_spec(
        request.service_type,
        request.name,
        answers=request.answers,
        data_file=request.data_file,
        data=request.data,
    )
    return Plan(request, loaded.spec, loaded.notes)


@dataclass(frozen=True)
class Preset:
    """The answers a request gives before anyone is asked, and which of them are invalid."""

    model: type[ServiceSpec]
    answers: dict[str, Any]
    notes: tuple[str, ...]
    #: Given answers the model refuses: to be asked again (a bad name is reported, not asked).
    problems: tuple[FieldProblem, ...]


def preset(request: GenerateRequest) -> Preset:
    """The given answers of a request for a service type, for a person to complete.

    An unknown key is raised (asking cannot fix it); an invalid value is a problem to ask again.
    """
    assert request.service_type is not None and request.name is not None
    model = resolve_type(request.service_type).model
    given: dict[str, Any] = dict(request.answers)
    notes: list[str] = []
    if request.data_file is not None:
        from_file, notes = from_data_file(load_data_file(request.data_file), request.name)
        given.update(from_file)
    answers, problems = collect_answers(model, given, parse_data_pairs(request.data))
    if problems:
        raise invalid_answers(model, problems)
    try:
        model.model_validate({**answers, "name": request.name})
    except ValidationError as exc:
        problems = problems_from(exc, model)
    return Preset(model, answers, tuple(notes), tuple(problems))


def new(
    request: GenerateRequest,
    planned: Plan | None = None,
    *,
    template_dir: Path | None = None,
    template_source: str | None = None,
    template_version: str | None = None,
) -> GenerateResult | ExternalResult:
    """Write the repository a request asks for (with `dry_run`, list it), atomically.

    `planned` is the request's `plan` when the caller has shown or confirmed it first;
    `template_dir`, `template_source` and `template_version` are as for `generate`.
    """
    planned = planned or plan(request)
    if request.template is not None:
        return _new_external(request, planned.template_answers or {})
    assert planned.spec is not None
    post_render = None
    skipped: dict[str, str] = {}
    if request.draft_docs or request.describe is not None:
        post_render, skipped = _llm_step(request, planned)
    result = generate(
        planned.spec,
        request.destination,
        force=request.force,
        dry_run=request.dry_run,
        post_render=post_render,
        template_dir=template_dir,
        template_source=template_source,
        template_version=template_version,
    )
    return result.model_copy(update={"drafts_skipped": skipped}) if skipped else result


def _new_external(request: GenerateRequest, answers: dict[str, Any]) -> ExternalResult:
    from generator.render.external import generate_external

    assert request.template is not None
    return generate_external(
        request.template,
        request.destination,
        answers=answers,
        trust=request.trust,
        force=request.force,
        dry_run=request.dry_run,
        ref=request.template_ref,
        prereleases=request.template_prereleases,
    )


def _llm_step(
    request: GenerateRequest, planned: Plan
) -> tuple[Callable[[Path], None], dict[str, str]]:
    """The drafted sections (with `draft_docs`) and the provenance, as the post-render step,
    and the drafts not used (by prompt id: why).

    A failed draft call reports what every call of this run cost, the spec's included.
    """
    from generator.llm.drafts import post_render

    assert planned.spec is not None
    calls: list[tuple[str, CallRecord]] = []
    if planned.proposal is not None:
        calls += [(f"spec:{purpose}", rec) for purpose, rec in planned.proposal.calls.items()]
    sections: dict[str, str] = {}
    skipped: dict[str, str] = {}
    if request.draft_docs:
        sections, skipped = _draft(planned.spec, request.describe, calls)
    return post_render(sections, calls, skipped), skipped


def _draft(
    spec: ServiceSpec, describe: str | None, calls: list[tuple[str, CallRecord]]
) -> tuple[dict[str, str], dict[str, str]]:
    """The LLM's drafts of the documentation sections; their calls are added to `calls`."""
    from generator.errors import LlmError
    from generator.llm.client import CallRecord, LlmSettings, StructuredLlm, Usage
    from generator.llm.drafts import draft_sections

    client = StructuredLlm(LlmSettings.from_env())
    try:
        drafts = draft_sections(spec, describe or spec.description, client)
    except LlmError as error:
        usage = Usage(model=client.settings.model)
        for record in [*(r for _, r in calls), error.record]:
            if isinstance(record, CallRecord | Usage):
                usage.add(record)
        error.record = usage
        raise
    calls += list(drafts.calls.items())
    return drafts.sections, drafts.skipped
