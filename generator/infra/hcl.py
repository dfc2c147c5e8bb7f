"""Parsed HCL in a plain shape, for assertions on what Terraform files promise.

checkov's `hcl2` parser wraps every attribute value in a one-element list; `load` unwraps
them, so `resource["aws_db_instance"]["this"]["multi_az"]` is the value itself. Blocks stay
lists of dicts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.extras import require


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not k.startswith("__")}
    if isinstance(value, list):
        if len(value) == 1 and not isinstance(value[0], dict):
            return _plain(value[0])
        return [_plain(v) for v in value]
    return value


def load(path: Path) -> dict[str, Any]:
    """One .tf file, parsed and unwrapped (the `hcl2` parser comes with the verify extra)."""
    require("hcl2", "the HCL parser (bc-python-hcl2, with checkov)", "verify")
    import hcl2

    with path.open(encoding="utf-8") as handle:
        parsed: dict[str, Any] = _plain(hcl2.load(handle))  # type: ignore[attr-defined]
    return parsed


def load_dir(folder: Path) -> dict[str, Any]:
    """Every .tf file directly in `folder`, merged by block type (resource, variable, ...)."""
    merged: dict[str, Any] = {}
    for path in sorted(folder.glob("*.tf")):
        for kind, blocks in load(path).items():
            merged.setdefault(kind, []).extend(blocks if isinstance(blocks, list) else [blocks])
    return merged


def blocks(parsed: dict[str, Any], kind: str) -> dict[str, Any]:
    """`variable`, `output`, `module` ... blocks by name: {name: body}."""
    return {name: body for block in parsed.get(kind, []) for name, body in block.items()}


def resources(parsed: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """Resources by (type, name): {("aws_sqs_queue", "main"): body}."""
    found = {}
    for block in parsed.get("resource", []):
        for rtype, named in block.items():
            for name, body in named.items():
                found[(rtype, name)] = body
    return found
