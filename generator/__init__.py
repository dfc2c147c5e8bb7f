"""scaffold: generate production-ready AWS service repositories from one validated spec.

The public API is the handful of verbs below; everything else is private. Nothing here prints:
every verb returns a pydantic model (or raises a `ScaffoldError`). The verbs are imported on
first use, so `scaffold --help` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.api import GenerateResult, generate, make_spec, service_types, spec_schema
    from generator.errors import ScaffoldError
    from generator.samples import check_samples, list_samples, regenerate_samples

_EXPORTS = {
    "GenerateResult": "generator.api",
    "generate": "generator.api",
    "make_spec": "generator.api",
    "service_types": "generator.api",
    "spec_schema": "generator.api",
    "ScaffoldError": "generator.errors",
    "check_samples": "generator.samples",
    "list_samples": "generator.samples",
    "regenerate_samples": "generator.samples",
}
__all__ = [
    "GenerateResult",
    "ScaffoldError",
    "check_samples",
    "generate",
    "list_samples",
    "make_spec",
    "regenerate_samples",
    "service_types",
    "spec_schema",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'generator' has no attribute {name!r}")
