"""Turn user answers (--data, --data-file, interactive input) into a validated spec.

Every problem is collected and reported at once, each naming its field and what is allowed.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.fields import FieldInfo

from generator.errors import BadInputError, DataFileError, FieldProblem, InvalidAnswersError
from generator.spec.models import ServiceSpec

_NAME_KEY = "name"


class Question(BaseModel):
    """One question scaffold asks for a field of a spec model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    prompt: str
    help: str
    default: Any = None
    required: bool
    choices: tuple[str, ...] = ()
    kind: str  # str, int, float, bool, list, dict


def _kind(info: FieldInfo) -> str:
    annotation = info.annotation
    origin = getattr(annotation, "__origin__", None)
    metadata_origin = getattr(origin, "__name__", "")
    for kind, python_type in (("bool", bool), ("int", int), ("float", float), ("str", str)):
        if annotation is python_type:
            return kind
    if origin is list or metadata_origin == "list":
        return "list"
    if origin is dict or metadata_origin == "dict":
        return "dict"
    return "str"


def _choices(info: FieldInfo) -> tuple[str, ...]:
    args = getattr(info.annotation, "__args__", ())
    if getattr(info.annotation, "__origin__", None) is not None and all(
        isinstance(a, str) for a in args
    ):
        return tuple(args)
    return ()


def questions(model: type[ServiceSpec]) -> list[Question]:
    """The questions for a spec model, in field order; derived from the model, never listed."""
    result = []
    for field, info in model.model_fields.items():
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        result.append(
            Question(
                field=field,
                prompt=info.title or field,
                help=info.description or "",
                default=default,
                required=info.is_required(),
                choices=_choices(info),
                kind=_kind(info),
            )
        )
    return result


def coerce(model: type[ServiceSpec], field: str, raw: str) -> Any:
    """Turn the text a user typed for `field` into a Python value (YAML for non-strings)."""
    info = model.model_fields[field]
    kind = _kind(info)
    if kind == "str" and not _choices(info):
        return raw
    if kind == "list" and raw and not raw.lstrip().startswith("["):
        return [item.strip() for item in raw.split(",") if item.strip()]
    if kind == "dict" and "=" in raw and not raw.lstrip().startswith("{"):
        return _pairs(raw)
    try:
        return yaml.safe_load(raw) if raw.strip() else raw
    except (yaml.YAMLError, ValueError, RecursionError):  # ValueError: a 5000-digit number
        return raw  # let the model report the type error against the field


def _pairs(raw: str) -> dict[str, str] | str:
    """`key=value,key2=value2` as a mapping; the text itself (for the model to report) when an
    item is not key=value or a key repeats."""
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or key.strip() in pairs:
            return raw
        pairs[key.strip()] = value.strip()
    return pairs


def parse_data_pairs(
    pairs: Iterable[str], option: str = "--data", example: str = "memory_mb=512"
) -> list[tuple[str, str]]:
    """Split `KEY=VALUE` strings from --data (or `option`); a pair without '=' is a clear error."""
    parsed: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadInputError(f"{option} {pair!r}: expected KEY=VALUE, e.g. {option} {example}")
        key = key.strip()
        if key in parsed and parsed[key] != value:
            raise BadInputError(
                f"{option} {key} is given twice ({parsed[key]!r}, then {value!r}); "
                "give each answer once. Nothing was written"
            )
        parsed[key] = value
    return list(parsed.items())


def load_data_file(path: Path) -> dict[str, Any]:
    """Read a YAML or JSON mapping of answers; any problem is a DataFileError naming the file.

    Bounded (`generator.limits`): size, nesting, alias expansion and number length.
    """
    from generator.limits import load_data

    data = load_data(path)
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise DataFileError(
            f"data file {str(path)!r} must be a mapping of answer names to values, "
            f"got {type(data).__name__}"
        )
    return data


def from_data_file(file_answers: Mapping[str, Any], name: str) -> tuple[dict[str, Any], list[str]]:
    """A data file's answers for the service NAME, and notes on what was set aside.

    A generated repository's `.copier-answers.yml` is a valid data file: Copier's own keys
    (`_src_path`, `_commit`) are ignored by `collect_answers`, and the file's `name` is dropped
    here because NAME names the service (a different name gets a note, never an error).
    """
    answers = dict(file_answers)
    recorded = answers.pop(_NAME_KEY, None)
    notes = []
    if recorded is not None and recorded != name:
        notes.append(
            f"the data file is for {recorded!r}; its name is ignored and the service is named "
            f"{name!r} (the NAME argument)"
        )
    return answers, notes


def _answer_names(model: type[ServiceSpec]) -> list[str]:
    return [f for f in model.model_fields if f != _NAME_KEY]


def _unknown_key_problem(model: type[ServiceSpec], key: str) -> FieldProblem:
    hint = difflib.get_close_matches(key, _answer_names(model), n=1)
    suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
    if key == _NAME_KEY:
        return FieldProblem(key, "the name is the NAME argument, not an answer")
    return FieldProblem(key, f"not an answer of {model.service_type}{suggestion}")


def invalid_answers(model: type[ServiceSpec], problems: list[FieldProblem]) -> InvalidAnswersError:
    """The error for `problems`; unknown keys get the list of answers once, not on every line."""
    known = {*model.model_fields, "service_type", "answers"}
    unknown = any(p.field.split(".")[0] not in known for p in problems)
    footer = f"Answers of {model.service_type}: {', '.join(_answer_names(model))}"
    return InvalidAnswersError(model.service_type, problems, footer if unknown else "")


def _bounds(model: type[ServiceSpec] | None, field: str) -> str:
    """` (1-1000)` from a field's ge/le constraints, when it has both."""
    info = model.model_fields.get(field) if model is not None else None
    limits = {
        kind: getattr(item, kind)
        for item in (info.metadata if info is not None else [])
        for kind in ("ge", "le")
        if getattr(item, kind, None) is not None
    }
    return f" ({limits['ge']}-{limits['le']})" if {"ge", "le"} <= set(limits) else ""


# What a type error means for someone typing an answer (pydantic's own text names Python types).
_EXPECTED = {
    "bool": "is not true or false. Allowed: true or false (yes/no, on/off and 1/0 work too)",
    "int": "is not a whole number. Allowed: digits only, without units, currency signs or "
    "separators (e.g. 500){bounds}",
    "float": "is not a number. Allowed: digits with an optional decimal point (e.g. 99.9){bounds}",
    "list": "is not a list. Allowed: values separated by commas (e.g. dev,prod)",
    "dict": "is not a mapping. Allowed: key=value pairs separated by commas (e.g. a=1,b=2)",
    "string": "is not text. Allowed: a string (quote it in YAML files)",
}


def _problem_text(error: Mapping[str, Any], model: type[ServiceSpec] | None) -> str:
    kind = str(error["type"]).split("_")[0]
    if kind in _EXPECTED and str(error["type"]).endswith(("_parsing", "_type", "_from_float")):
        field = str(error["loc"][0]) if error["loc"] else ""
        shown = repr(error.get("input"))
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        return f"{shown} " + _EXPECTED[kind].format(bounds=_bounds(model, field))
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def problems_from(
    error: ValidationError, model: type[ServiceSpec] | None = None
) -> list[FieldProblem]:
    """Translate a pydantic ValidationError into field problems users can read."""
    problems = []
    for item in error.errors():
        loc = ".".join(str(part) for part in item["loc"]) or "answers"
        text = "is required" if item["type"] == "missing" else _problem_text(item, model)
        problems.append(FieldProblem(loc, text))
    return problems


def collect_answers(
    model: type[ServiceSpec],
    file_answers: Mapping[str, Any] | None = None,
    data_pairs: Iterable[tuple[str, str]] = (),
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Merge data-file answers and `--data` strings (which win) into typed values.

    Keys starting with `_` (Copier's own, e.g. `_src_path` in an answers file) are ignored and
    `service_type` must match the model, so a generated repository's answers file is valid input.
    Unknown keys are returned as problems.
    """
    answers: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    sources = [(k, v, False) for k, v in (file_answers or {}).items()]
    sources += [(k, v, True) for k, v in data_pairs]
    for key, value, is_text in sources:
        if key.startswith("_"):
            continue
        if key == "service_type":
            if value != model.service_type:
                problems.append(
                    FieldProblem(
                        key, f"{value!r} does not match the requested type {model.service_type!r}"
                    )
                )
            continue
        if key not in model.model_fields or key == _NAME_KEY:
            problems.append(_unknown_key_problem(model, key))
            continue
        answers[key] = coerce(model, key, value) if is_text else value
    return answers, problems


def secret_problems(answers: Mapping[str, Any]) -> list[FieldProblem]:
    """An answer that holds a key, token, password or private key is refused: answers are
    written into the generated files (and sent to a model with --describe)."""
    from generator.credentials import in_values

    return [
        FieldProblem(
            where if len(where) <= 120 else where[:117] + "...",
            f"looks like a secret ({', '.join(found)}); never put credentials in answers, they "
            "are written into the generated files: reference a secret store instead",
        )
        for where, found in in_values(dict(answers))
    ]


def build_spec(
    model: type[ServiceSpec],
    name: str,
    file_answers: Mapping[str, Any] | None = None,
    data_pairs: Iterable[tuple[str, str]] = (),
) -> ServiceSpec:
    """Validate all answers for `model`; raise InvalidAnswersError listing every problem.

    `file_answers` come typed from a data file; `data_pairs` are `--data` strings, which win.
    """
    answers, problems = collect_answers(model, file_answers, data_pairs)
    problems += secret_problems(answers)
    try:
        spec = model.model_validate({**answers, _NAME_KEY: name})
    except ValidationError as exc:
        problems += problems_from(exc, model)
    if problems:
        raise invalid_answers(model, problems)
    return spec


def type_spec(
    service_type: str,
    name: str,
    answers: Mapping[str, Any] | None = None,
    data_pairs: Iterable[tuple[str, str]] = (),
) -> ServiceSpec:
    """`build_spec` for the type named `service_type` (a name or an alias)."""
    from generator.spec.registry import resolve_type

    return build_spec(resolve_type(service_type).model, name, answers, data_pairs)


def save_answers(spec: ServiceSpec, folder: Path) -> Path:
    """Write `spec`'s answers as a data file in `folder` (replacing an older one for the same
    service); return its path. `--data-file` reads it back to the same spec."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{spec.service_type}-{spec.name}.yml"
    header = (
        f"# Answers for `scaffold new {spec.service_type} {spec.name}`, kept when the summary "
        "was declined.\n# Edit them and pass this file with --data-file.\n"
    )
    body = yaml.safe_dump(spec.answers(), sort_keys=False, allow_unicode=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(header + body, encoding="utf-8")
    os.replace(tmp, path)
    return path


def check_answer(
    model: type[ServiceSpec], field: str, raw: str, answers: Mapping[str, Any]
) -> tuple[Any, str | None]:
    """Validate one typed answer in the context of the answers so far (for interactive use).

    Returns the coerced value and the problem text, or None when the answer is valid.
    """
    value = coerce(model, field, raw)
    leaked = secret_problems({field: value})
    if leaked:
        return value, leaked[0].problem
    candidate = {**answers, field: value}
    try:
        model.model_validate(candidate)
    except ValidationError as exc:
        for problem in problems_from(exc, model):
            if problem.field.split(".")[0] == field:
                return value, problem.problem
    return value, None
