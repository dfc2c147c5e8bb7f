"""JSON Schemas of the MCP tools' arguments, generated from the spec models and the checks.

An agent reads a tool's input schema, not scaffold's docs: so `service_type` lists the types
(and aliases), `name` carries the service name's pattern and length, `answers` describes every
answer of every type (its type, choices, range, default and description, and which types take
it), and a conditional (`allOf` of `if`/`then`) gives the exact answers schema of the chosen
type. `only`/`skip` of verify list the check names. Nothing here is written by hand: a new
field, type or check appears in the tools' schemas by itself.
"""

from __future__ import annotations

import copy
import inspect
from typing import Any

from generator.api import spec_schema
from generator.spec.registry import all_types

_NAME = "name"


def clean(text: str) -> str:
    """A docstring as one clean description: no indentation, paragraphs joined."""
    return " ".join(line.strip() for line in inspect.cleandoc(text).splitlines()).strip()


def _type_schemas() -> dict[str, dict[str, Any]]:
    return {t.name: _inlined(spec_schema(t.name)) for t in all_types()}


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with its `$defs` references replaced by what they name."""
    defs = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result


def service_type_schema() -> dict[str, Any]:
    """`service_type`: the types and their aliases."""
    listed = " ".join(f"{t.name} (or {t.alias}): {t.summary}" for t in all_types())
    return {
        "type": "string",
        "enum": [n for t in all_types() for n in (t.name, t.alias)],
        "description": f"The service type. {listed}",
    }


def name_schema() -> dict[str, Any]:
    """`name`: the service name as the spec models define it."""
    field: dict[str, Any] = copy.deepcopy(next(iter(_type_schemas().values()))["properties"][_NAME])
    field.pop("title", None)
    field["description"] = f"{field.get('description', '')} Also the default output folder.".strip()
    return field


def _answers_of(schema: dict[str, Any]) -> dict[str, Any]:
    """A type's answers: its schema without the name (a tool argument of its own)."""
    properties = {k: v for k, v in schema["properties"].items() if k != _NAME}
    return {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "description": clean(schema.get("description", "")),
    }


def _summary(field: dict[str, Any]) -> str:
    parts = []
    if "default" in field:
        parts.append(f"default {field['default']}")
    if "minimum" in field or "maximum" in field:
        parts.append(f"{field.get('minimum', '')}..{field.get('maximum', '')}")
    if "enum" in field:
        parts.append("one of " + ", ".join(map(str, field["enum"])))
    return ", ".join(parts) or "see get_schema"


def _merged(name: str, per_type: dict[str, dict[str, Any]], all_types: int) -> dict[str, Any]:
    """One schema for an answer several types take (with differences per type)."""
    schemas = list(per_type.values())
    field = copy.deepcopy(schemas[0])
    field.pop("title", None)
    description = field.get("description", "")
    if any(s != schemas[0] for s in schemas[1:]):
        for key in ("default", "enum"):
            field.pop(key, None)
        lows = [s["minimum"] for s in schemas if "minimum" in s]
        highs = [s["maximum"] for s in schemas if "maximum" in s]
        if lows and len(lows) == len(schemas):
            field["minimum"] = min(lows)
        if highs and len(highs) == len(schemas):
            field["maximum"] = max(highs)
        description += " Per type: " + "; ".join(f"{t}: {_summary(s)}" for t, s in per_type.items())
    if len(per_type) < all_types:
        description += f" ({', '.join(per_type)} only.)"
    field["description"] = description.strip()
    return field


def answers_schema() -> dict[str, Any]:
    """`answers`: every answer any type takes (the chosen type's exact schema is in `allOf`)."""
    schemas = _type_schemas()
    per_field: dict[str, dict[str, dict[str, Any]]] = {}
    for type_name, schema in schemas.items():
        for field, prop in schema["properties"].items():
            if field != _NAME:
                per_field.setdefault(field, {})[type_name] = prop
    return {
        "type": "object",
        "properties": {f: _merged(f, per, len(schemas)) for f, per in per_field.items()},
        "additionalProperties": False,
        "default": {},
        "description": "The answers, by field name; every answer not given takes its "
        "default. The fields of the chosen service_type are listed by get_schema, and each "
        "invalid answer is reported by name, all at once.",
    }


def answers_by_type() -> list[dict[str, Any]]:
    """`allOf` conditions: for each service type (or its alias), its exact answers schema."""
    by_name = {t.name: t for t in all_types()}
    return [
        {
            "if": {
                "properties": {"service_type": {"enum": [name, by_name[name].alias]}},
                "required": ["service_type"],
            },
            "then": {"properties": {"answers": _answers_of(schema)}},
        }
        for name, schema in _type_schemas().items()
    ]


def check_names_schema(description: str) -> dict[str, Any]:
    """`only` / `skip` of verify: a list of check names."""
    from generator.verify import available_checks

    checks = available_checks()
    listed = "; ".join(f"{c.name}: {c.description}" for c in checks)
    return {
        "type": "array",
        "items": {"type": "string", "enum": [c.name for c in checks]},
        "uniqueItems": True,
        "description": f"{description} Checks: {listed}.",
    }
