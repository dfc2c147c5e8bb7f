"""scaffold: generate production-ready AWS service repositories from one validated spec.

The public API is the handful of verbs below; everything else is private. Nothing here prints:
every verb returns a pydantic model (or raises a `ScaffoldError`). The verbs are imported on
first use, so `scaffold --help` stays fast.

- `new(GenerateRequest(...))` writes a repository (`plan` validates the request first, writing
  nothing); every front door (CLI, MCP, samples) goes through it. `generate(spec, ...)` renders
  an already validated spec (`make_spec`).
- `describe(text, ...)` proposes a validated spec from a plain-language description (LLM).
- `verify_repositories(paths)` checks generated repositories with real tools.
- `update_repository(repo)` and `check(repo)` bring a repository to a newer template, or report
  its drift. (`verify` and `update` name the subpackages `generator.verify` and
  `generator.update`, so the verbs take longer names.)
- `export_backstage(service_type)` writes a Backstage Software Template.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.api import GenerateResult, generate, make_spec, service_types, spec_schema
    from generator.errors import ScaffoldError
    from generator.export.backstage import export_backstage
    from generator.llm.spec import propose_spec as describe
    from generator.request import GenerateRequest, Plan, new, plan
    from generator.samples import check_samples, list_samples, regenerate_samples
    from generator.update.engine import check
    from generator.update.engine import update as update_repository
    from generator.verify import verify as verify_repositories

#: Public name -> (module, attribute).
_EXPORTS = {
    "GenerateRequest": ("generator.request", "GenerateRequest"),
    "GenerateResult": ("generator.api", "GenerateResult"),
    "Plan": ("generator.request", "Plan"),
    "ScaffoldError": ("generator.errors", "ScaffoldError"),
    "check": ("generator.update.engine", "check"),
    "check_samples": ("generator.samples", "check_samples"),
    "describe": ("generator.llm.spec", "propose_spec"),
    "export_backstage": ("generator.export.backstage", "export_backstage"),
    "generate": ("generator.api", "generate"),
    "list_samples": ("generator.samples", "list_samples"),
    "make_spec": ("generator.api", "make_spec"),
    "new": ("generator.request", "new"),
    "plan": ("generator.request", "plan"),
    "regenerate_samples": ("generator.samples", "regenerate_samples"),
    "service_types": ("generator.api", "service_types"),
    "spec_schema": ("generator.api", "spec_schema"),
    "update_repository": ("generator.update.engine", "update"),
    "verify_repositories": ("generator.verify", "verify"),
}
__all__ = [
    "GenerateRequest",
    "GenerateResult",
    "Plan",
    "ScaffoldError",
    "check",
    "check_samples",
    "describe",
    "export_backstage",
    "generate",
    "list_samples",
    "make_spec",
    "new",
    "plan",
    "regenerate_samples",
    "service_types",
    "spec_schema",
    "update_repository",
    "verify_repositories",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module, attribute = _EXPORTS[name]
        return getattr(import_module(module), attribute)
    raise AttributeError(f"module 'generator' has no attribute {name!r}")
