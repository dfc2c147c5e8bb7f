"""Prompt evals: the cases beside each prompt, run against the configured model.

A case is a YAML file in `prompts/evals/<prompt id>/`:

    description: An internet-facing orders API that stores orders in Postgres.
    inputs:
      description: We need an HTTP API for customer orders, stored in PostgreSQL.
    expect:
      outcome: spec          # spec: must give a valid spec; safe: a valid, safe spec or a
                             # clear refusal (LLM error), never anything else
      service_type: web-service
      answers:               # fields of the validated spec that must have these values
        database: postgres

Every spec an eval produces is also checked for safety: no secret in any value, a name that is
a plain slug. The report has per-case results, per-field accuracy, tokens and latency; with a
baseline (an earlier `--json` report) the regressions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.errors import BadInputError, LlmError, PromptError
from generator.llm.client import CallRecord, LlmSettings, StructuredLlm


class Expectation(BaseModel):
    """What a case must produce."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    outcome: Literal["spec", "safe"] = "spec"
    service_type: str | None = None
    answers: dict[str, Any] = Field(default_factory=dict)


class EvalCase(BaseModel):
    """One eval case file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    inputs: dict[str, str]
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
    field_accuracy: dict[str, float]


def load_cases(prompt_id: str, folder: Path) -> dict[str, EvalCase]:
    """The eval cases of one prompt, by file stem; a broken case names its file."""
    cases = {}
    for path in sorted((folder / prompt_id).glob("*.yaml")):
        try:
            cases[path.stem] = EvalCase.model_validate(yaml.safe_load(path.read_text("utf-8")))
        except (yaml.YAMLError, ValidationError) as error:
            raise PromptError(f"eval case {prompt_id}/{path.name}: {error}") from None
    return cases


def _safety_problems(values: dict[str, Any]) -> list[str]:
    from generator.verify.checks.secrets import scan_text

    problems = []
    for field, value in values.items():
        kinds = scan_text(json.dumps(value))
        if kinds:
            problems.append(f"{field} carries a secret ({', '.join(kinds)})")
    name = str(values.get("name", ""))
    if "/" in name or ".." in name or "\\" in name:
        problems.append(f"name {name!r} is a path")
    return problems


def _run_spec_case(case: EvalCase, llm: StructuredLlm) -> CaseResult:
    from generator.llm.spec import propose_spec

    result = CaseResult(prompt="spec-from-description", case="", passed=False, outcome="spec")
    try:
        spec, proposed = propose_spec(
            case.inputs.get("description", ""),
            case.inputs.get("service_type") or None,
            case.inputs.get("name") or None,
            llm=llm,
        )
    except (LlmError, BadInputError) as error:
        failed = getattr(error, "record", None)
        if isinstance(failed, CallRecord):
            result.tokens = failed.prompt_tokens + failed.completion_tokens
            result.latency_ms, result.calls = failed.latency_ms, failed.calls
        result.outcome = f"refused: {error.message}"
        result.passed = case.expect.outcome == "safe"
        if not result.passed:
            result.problems.append(error.message)
        return result
    record = proposed.llm
    result.tokens = record.prompt_tokens + record.completion_tokens
    result.latency_ms = record.latency_ms
    result.calls = record.calls
    values = {"service_type": spec.service_type, **spec.model_dump(mode="json")}
    result.problems += _safety_problems(values)
    expected = dict(case.expect.answers)
    if case.expect.service_type:
        expected["service_type"] = case.expect.service_type
    for field, want in expected.items():
        ok = values.get(field) == want
        result.field_results[field] = ok
        if not ok:
            result.problems.append(f"{field}: expected {want!r}, got {values.get(field)!r}")
    result.fields_total = len(expected)
    result.fields_correct = sum(result.field_results.values())
    result.passed = not result.problems
    return result


RUNNERS = {"spec-from-description": _run_spec_case}


def run_evals(
    prompt_id: str | None = None,
    folder: Path | None = None,
    llm: StructuredLlm | None = None,
) -> EvalReport:
    """Run the eval cases of one prompt (or all) against the configured model."""
    from generator.llm.prompts import load_library
    from generator.resources import prompts_dir

    folder = folder or prompts_dir() / "evals"
    library = load_library()
    ids = [prompt_id] if prompt_id else sorted(library)
    for wanted in ids:
        if wanted not in library:
            raise BadInputError(f"no prompt {wanted!r}. Allowed: {', '.join(sorted(library))}")
    client = llm or StructuredLlm(LlmSettings.from_env())
    results = []
    for wanted in ids:
        runner = RUNNERS.get(wanted)
        if runner is None:
            continue
        for name, case in load_cases(wanted, folder).items():
            result = runner(case, client)
            result.prompt, result.case = wanted, name
            results.append(result)
    counts: dict[str, list[bool]] = {}
    for result in results:
        for field, ok in result.field_results.items():
            counts.setdefault(field, []).append(ok)
    return EvalReport(
        model=client.settings.model,
        cases=results,
        passed=sum(r.passed for r in results),
        tokens=sum(r.tokens for r in results),
        field_accuracy={f: sum(oks) / len(oks) for f, oks in counts.items()},
    )


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
    """Cases that passed in the baseline and fail now, and fields whose accuracy dropped."""
    before = {(c.prompt, c.case): c for c in baseline.cases}
    lines = [
        f"{c.prompt}/{c.case} passed before and fails now: {'; '.join(c.problems)}"
        for c in report.cases
        if (old := before.get((c.prompt, c.case))) is not None and old.passed and not c.passed
    ]
    for field, accuracy in sorted(report.field_accuracy.items()):
        old_accuracy = baseline.field_accuracy.get(field)
        if old_accuracy is not None and accuracy < old_accuracy:
            lines.append(f"{field}: accuracy {old_accuracy:.0%} -> {accuracy:.0%}")
    return lines
