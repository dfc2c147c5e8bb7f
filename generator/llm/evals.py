"""Prompt evals: the cases of each eval suite, run against the configured model.

A suite is a folder `prompts/evals/<suite>/` of YAML cases; the suite `spec-from-description`
runs the whole description -> spec pipeline (`generator.llm.spec`). A case:

    description: An internet-facing orders API that stores orders in Postgres.
    inputs:
      description: We need an HTTP API for customer orders, stored in PostgreSQL.
    expect:
      service_type: web-service
      answers:               # fields of the validated spec that must have these values
        database: postgres
      name: orders-api       # optional: the exact name
      secrets: [AKIA...]     # optional: strings that must appear nowhere in the result

A case passes only with a valid spec (`outcome: spec`, the default) that has the expected type
and answers, **no invented setting** (a field the case does not expect that is changed from
its default or reported as set from the description), a safe name made of the description's
words (never a prompt's example) and no secret. An error is a failure, never a pass:
`outcome: refused` cases pass only on a deliberate refusal by scaffold (bad input), never on
an LLM error.

The report has per-case results, per-field accuracy, the invented fields, the goal of issue 18
(valid or refused 100 %, type >= 80 %, key fields >= 75 %, 0 invented, 0 unsafe names,
0 echoed secrets; the key fields are those a type's hints mark `key`), tokens and latency;
with a baseline (an earlier `--json` report) the regressions.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.errors import BadInputError, LlmError, PromptError, ScaffoldError
from generator.llm.client import LlmSettings, StructuredLlm

#: Names prompts have used as examples: a name equal to one that its description does not
#: contain is the prompt's, not the description's.
PROMPT_EXAMPLE_NAMES: Final = frozenset({"orders-api", "nightly-report", "payment-events"})
GOAL: Final = {"valid_or_refused": 1.0, "type": 0.8, "key_fields": 0.75}


class Expectation(BaseModel):
    """What a case must produce."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    outcome: Literal["spec", "refused"] = "spec"
    service_type: str | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    name: str | None = None
    secrets: list[str] = Field(default_factory=list)


class EvalCase(BaseModel):
    """One eval case file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    inputs: dict[str, str]
    # Answers the person gives beside the description (as `--data`): what only they can know,
    # such as the callers' ranges of an internal service. Never scored as read or invented.
    given: dict[str, Any] = Field(default_factory=dict)
    expect: Expectation


class CaseResult(BaseModel):
    """How one case went."""

    model_config = ConfigDict(extra="forbid")

    prompt: str
    case: str
    passed: bool
    outcome: str
    fields_correct: int = 0
    fields_total: int = 0
    field_results: dict[str, bool] = Field(default_factory=dict)
    invented: list[str] = Field(default_factory=list)
    name: str = ""
    unsafe_name: bool = False
    echoed_secret: bool = False
    sources: dict[str, str] = Field(default_factory=dict)
    tokens: int = 0
    latency_ms: int = 0
    calls: int = 0
    problems: list[str] = Field(default_factory=list)


class EvalReport(BaseModel):
    """Every case, and the totals."""

    model_config = ConfigDict(extra="forbid")

    model: str
    cases: list[CaseResult]
    passed: int
    tokens: int
    latency_ms: int = 0
    field_accuracy: dict[str, float]
    invented: int = 0
    unsafe_names: int = 0
    echoed_secrets: int = 0
    goal: dict[str, float] = Field(default_factory=dict)
    goal_met: bool = False
    goal_problems: list[str] = Field(default_factory=list)


def load_cases(suite: str, folder: Path) -> dict[str, EvalCase]:
    """The eval cases of one suite, by file stem; a broken case names its file."""
    cases = {}
    for path in sorted((folder / suite).glob("*.yaml")):
        try:
            cases[path.stem] = EvalCase.model_validate(yaml.safe_load(path.read_text("utf-8")))
        except (yaml.YAMLError, ValidationError) as error:
            raise PromptError(f"eval case {suite}/{path.name}: {error}") from None
    return cases


def _secret_problems(result_text: str, secrets: list[str]) -> list[str]:
    from generator.verify.checks.secrets import scan_text

    problems = [f"echoes the secret {s[:6]}..." for s in secrets if s in result_text]
    problems += [f"carries a {kind}" for kind in scan_text(result_text)]
    return problems


def name_problem(name: str, description: str, suffixes: frozenset[str]) -> str | None:
    """Why `name` is not a safe name made of the description's words, or None."""
    from generator.spec.fields import _name_problem

    problem = _name_problem(name)
    if problem:
        return f"name {name!r}: {problem}"
    words = re.findall(r"[a-z0-9]+", description.lower())
    for part in name.split("-"):
        if part in suffixes or any(w.startswith(part[:4]) or part.startswith(w[:4]) for w in words):
            continue
        if name in PROMPT_EXAMPLE_NAMES:
            return f"name {name!r} is a prompt's example, not the description's"
        return f"name {name!r}: {part!r} is not a word of the description"
    return None


def invented_fields(
    service_type: str, values: dict[str, Any], set_fields: list[str], expected: set[str]
) -> list[str]:
    """Fields not expected that differ from the type's default or were reported as set."""
    from generator.spec.registry import resolve_type

    model = resolve_type(service_type).model
    stated = expected | {"name", "description", "service_type"}
    changed = {
        field
        for field, info in model.model_fields.items()
        if not info.is_required()
        and values.get(field) != info.get_default(call_default_factory=True)
    }
    return sorted((changed | set(set_fields)) - stated)


def _run_spec_case(case: EvalCase, llm: StructuredLlm) -> CaseResult:
    from generator.llm.spec import propose_spec
    from generator.spec.registry import all_types

    result = CaseResult(prompt="spec-from-description", case="", passed=False, outcome="spec")
    try:
        spec, proposed = propose_spec(
            case.inputs.get("description", ""),
            case.inputs.get("service_type") or None,
            case.inputs.get("name") or None,
            llm=llm,
            given=case.given,
        )
    except ScaffoldError as error:
        usage = getattr(error, "record", None)
        if usage is not None:
            result.tokens = usage.prompt_tokens + usage.completion_tokens
            result.latency_ms, result.calls = usage.latency_ms, usage.calls
        refused = isinstance(error, BadInputError) and not isinstance(error, LlmError)
        result.outcome = f"{'refused' if refused else 'error'}: {error.message}"
        result.passed = refused and case.expect.outcome == "refused"
        if not result.passed:
            result.problems.append(result.outcome)
        result.fields_total = len(case.expect.answers) + bool(case.expect.service_type)
        result.field_results = dict.fromkeys(
            [*(["service_type"] if case.expect.service_type else []), *case.expect.answers], False
        )
        return result
    usage = proposed.llm
    result.tokens, result.latency_ms, result.calls = usage.tokens, usage.latency_ms, usage.calls
    values = {"service_type": spec.service_type, **spec.model_dump(mode="json")}
    result.name = spec.name
    result.sources = {f: e.source for f, e in proposed.evidence.items()}
    if case.expect.outcome == "refused":
        result.problems.append("expected a refusal, got a spec")
    expected = dict(case.expect.answers)
    if case.expect.service_type:
        expected["service_type"] = case.expect.service_type
    if case.expect.name:
        expected["name"] = case.expect.name
    for field, want in expected.items():
        ok = values.get(field) == want
        result.field_results[field] = ok
        if not ok:
            result.problems.append(f"{field}: expected {want!r}, got {values.get(field)!r}")
    result.fields_total = len(expected)
    result.fields_correct = sum(result.field_results.values())
    result.invented = invented_fields(
        spec.service_type,
        values,
        proposed.set_from_description,
        set(case.expect.answers) | set(case.given),
    )
    result.problems += [f"invented {f}: {values.get(f)!r}" for f in result.invented]
    suffixes = frozenset(t.llm.name_suffix for t in all_types())
    problem = None if case.inputs.get("name") else name_problem(
        spec.name, case.inputs.get("description", ""), suffixes
    )  # fmt: skip
    if problem:
        result.unsafe_name = True
        result.problems.append(problem)
    secrets = _secret_problems(json.dumps(values) + proposed.model_dump_json(), case.expect.secrets)
    if secrets:
        result.echoed_secret = True
        result.problems += secrets
    result.passed = not result.problems
    return result


RUNNERS = {"spec-from-description": _run_spec_case}


def run_evals(
    suite: str | None = None,
    folder: Path | None = None,
    llm: StructuredLlm | None = None,
) -> EvalReport:
    """Run the cases of one eval suite (or all) against the configured model."""
    from generator.resources import prompts_dir

    folder = folder or prompts_dir() / "evals"
    suites = [suite] if suite else sorted(RUNNERS)
    for wanted in suites:
        if wanted not in RUNNERS:
            raise BadInputError(f"no eval suite {wanted!r}. Allowed: {', '.join(sorted(RUNNERS))}")
    client = llm or StructuredLlm(LlmSettings.from_env())
    results = []
    for wanted in suites:
        for name, case in load_cases(wanted, folder).items():
            result = RUNNERS[wanted](case, client)
            result.prompt, result.case = wanted, name
            results.append(result)
    return summarise(client.settings.model, results)


def summarise(model: str, results: list[CaseResult]) -> EvalReport:
    """The report of these results: totals, per-field accuracy and the goal."""
    counts: dict[str, list[bool]] = {}
    for result in results:
        for field, ok in result.field_results.items():
            counts.setdefault(field, []).append(ok)
    report = EvalReport(
        model=model,
        cases=results,
        passed=sum(r.passed for r in results),
        tokens=sum(r.tokens for r in results),
        latency_ms=sum(r.latency_ms for r in results),
        field_accuracy={f: sum(oks) / len(oks) for f, oks in sorted(counts.items())},
        invented=sum(len(r.invented) for r in results),
        unsafe_names=sum(r.unsafe_name for r in results),
        echoed_secrets=sum(r.echoed_secret for r in results),
    )
    _goal(report, counts)
    return report


def _goal(report: EvalReport, counts: dict[str, list[bool]]) -> None:
    from generator.llm.knowledge import all_fields

    total = len(report.cases) or 1
    valid = sum(not r.outcome.startswith("error") for r in report.cases)
    key_fields = {f for f, proposed in all_fields().items() if proposed.key}
    key = [ok for field, oks in counts.items() if field in key_fields for ok in oks]
    types = counts.get("service_type", [])
    report.goal = {
        "valid_or_refused": valid / total,
        "type": sum(types) / len(types) if types else 1.0,
        "key_fields": sum(key) / len(key) if key else 1.0,
    }
    problems = [
        f"{what} {report.goal[what]:.0%} < {needed:.0%}"
        for what, needed in GOAL.items()
        if report.goal[what] < needed
    ]
    problems += [
        f"{count} {what}"
        for what, count in (
            ("invented settings", report.invented),
            ("unsafe names", report.unsafe_names),
            ("echoed secrets", report.echoed_secrets),
        )
        if count
    ]
    report.goal_problems = problems
    report.goal_met = not problems


def load_baseline(path: Path) -> EvalReport:
    """An earlier `scaffold prompts eval --json` result."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("regressions", None)
        data.pop("ok", None)
        return EvalReport.model_validate(data)
    except (OSError, ValueError, ValidationError) as error:
        raise BadInputError(f"--baseline {path}: not an eval report ({error})") from None


def compare(report: EvalReport, baseline: EvalReport) -> list[str]:
    """Cases that passed in the baseline and fail now, fields whose accuracy dropped, and more
    invented settings, unsafe names or echoed secrets than the baseline had."""
    before = {(c.prompt, c.case): c for c in baseline.cases}
    lines = [
        f"{c.prompt}/{c.case} passed before and fails now: {'; '.join(c.problems)}"
        for c in report.cases
        if (old := before.get((c.prompt, c.case))) is not None and old.passed and not c.passed
    ]
    for field, accuracy in sorted(report.field_accuracy.items()):
        old_accuracy = baseline.field_accuracy.get(field)
        if old_accuracy is not None and accuracy < old_accuracy - 1e-9:
            lines.append(f"{field}: accuracy {old_accuracy:.0%} -> {accuracy:.0%}")
    for what in ("invented", "unsafe_names", "echoed_secrets"):
        now, then = getattr(report, what), getattr(baseline, what)
        if now > then:
            lines.append(f"{what.replace('_', ' ')}: {then} -> {now}")
    return lines
