"""scaffold: generate production-ready AWS service repositories from one validated spec.

The public API is the handful of verbs below; everything else is private. Nothing here prints:
every verb returns a pydantic model (or raises a `ScaffoldError`).
"""

from generator.api import GenerateResult, generate, make_spec, service_types, spec_schema
from generator.errors import ScaffoldError
from generator.samples import check_samples, list_samples, regenerate_samples

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
