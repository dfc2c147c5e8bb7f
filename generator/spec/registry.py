"""The service types scaffold knows, loaded from the `scaffold.service_types` entry points.

The built-in types (`generator/service_types/`) are registered in scaffold's own
`pyproject.toml`; an installed package adds one with its own entry point:

    [project.entry-points."scaffold.service_types"]
    worker-service = "acme_scaffold_worker:TYPE"

A run from a source tree that was never installed has no entry points: the built-ins are then
loaded directly. A plugin that fails to load, is not a `ServiceType`, or clashes with another
type's name or alias is reported by name (exit 2), never skipped silently.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points

from generator.errors import PluginError, UnknownServiceTypeError
from generator.spec.models import ServiceSpec
from generator.spec.plugin import Capabilities, ServiceType

__all__ = [
    "BACKUP_COPY_MODULE",
    "DATABASE_MODULES",
    "ENTRY_POINT_GROUP",
    "Capabilities",
    "ServiceType",
    "all_types",
    "resolve_type",
    "terraform_modules",
]

ENTRY_POINT_GROUP = "scaffold.service_types"
#: The built-in plugins, as `pyproject.toml` registers them (used when not installed).
BUILTIN = {
    "web-service": "generator.service_types.web:TYPE",
    "batch-service": "generator.service_types.batch:TYPE",
    "event-service": "generator.service_types.event:TYPE",
}

#: Values scaffold derives for every template (ServiceSpec.derived, copier.yml's hidden questions):
#: a spec field of the same name would be overwritten by them.
RESERVED_NAMES = frozenset({
    "service_type", "package", "capabilities", "with_database", "tf_modules", "budgets",
    "schedule_interval_seconds", "visibility_timeout_seconds", "template_source",
    "template_version",
})  # fmt: skip

#: Modules added when a web service has a database: the instance and its AWS Backup plan.
DATABASE_MODULES = ("database", "backup")
#: The module added when backups are copied to another region: the copy vault there.
BACKUP_COPY_MODULE = "backup-vault"


def _load(entry: EntryPoint) -> ServiceType:
    try:
        loaded = entry.load()
    except Exception as exc:  # a broken plugin must not look like an unknown type
        raise PluginError(
            f"service type plugin {entry.name!r} ({entry.value}) failed to load: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    if not isinstance(loaded, ServiceType):
        raise PluginError(
            f"service type plugin {entry.name!r} ({entry.value}) is a "
            f"{type(loaded).__name__}, not a generator.spec.plugin.ServiceType"
        )
    return loaded


def _check(types: list[ServiceType]) -> None:
    seen: dict[str, str] = {}
    for service_type in types:
        model_type = getattr(service_type.model, "service_type", None)
        if not issubclass(service_type.model, ServiceSpec) or model_type != service_type.name:
            raise PluginError(
                f"service type {service_type.name!r}: its model must subclass ServiceSpec and "
                f"set service_type = {service_type.name!r} (it has {model_type!r})"
            )
        clash = sorted(set(service_type.model.model_fields) & RESERVED_NAMES)
        if clash:
            raise PluginError(
                f"service type {service_type.name!r}: its model's field(s) {', '.join(clash)} "
                "are names of values scaffold derives for the templates; rename them"
            )
        for key in (service_type.name, service_type.alias):
            if key in seen:
                raise PluginError(
                    f"service type {service_type.name!r}: {key!r} is already taken by "
                    f"{seen[key]!r}; a plugin needs a name and alias of its own"
                )
            seen[key] = service_type.name


@cache
def all_types() -> tuple[ServiceType, ...]:
    """Every registered service type: the built-ins first, then plugins by name."""
    found = {e.name: e for e in entry_points(group=ENTRY_POINT_GROUP)}
    for name, value in BUILTIN.items():
        found.setdefault(name, EntryPoint(name, value, ENTRY_POINT_GROUP))
    order = [*BUILTIN, *sorted(set(found) - set(BUILTIN))]
    types = [_load(found[name]) for name in order]
    _check(types)
    return tuple(types)


def resolve_type(name: str) -> ServiceType:
    """Find a service type by its name or alias; raise a clear error naming what is allowed."""
    for service_type in all_types():
        if name in (service_type.name, service_type.alias):
            return service_type
    allowed = ", ".join(f"{t.name} ({t.alias})" for t in all_types())
    raise UnknownServiceTypeError(f"unknown service type {name!r}. Allowed: {allowed}")


def terraform_modules(spec: ServiceSpec) -> list[str]:
    """The library modules a service's infra/ vendors, for its type and options."""
    modules = list(resolve_type(spec.service_type).terraform_modules)
    if getattr(spec, "database", "none") == "postgres":
        modules += [m for m in DATABASE_MODULES if m not in modules]
    if getattr(spec, "backup_copy_region", ""):
        modules.append(BACKUP_COPY_MODULE)
    return modules
