"""Generate the Copier questionnaire (copier.yml at the template root) from the spec models.

copier.yml is an artifact of the models, never edited by hand: `scaffold samples regenerate`
rewrites it and `--check` (and a test) fail when it drifts. Plain `copier copy` of the template
gets the same questions, defaults and the validation that Copier can express (patterns, ranges,
choices); scaffold adds the rest (Fargate CPU/memory pairs, cron syntax, time zones).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import yaml

from generator.spec.costs import budgets_jinja
from generator.spec.registry import (
    BACKUP_COPY_MODULE,
    DATABASE_MODULES,
    ServiceType,
    all_types,
)
from generator.spec.schedule import INTERVAL_JINJA

HEADER = """\
# GENERATED from generator/spec/models.py by `scaffold samples regenerate`. Do not edit:
# a test fails when this file and the spec models disagree.
"""
_JSON_TO_COPIER = {"string": "str", "integer": "int", "number": "float", "boolean": "bool",
                   "array": "yaml", "object": "yaml"}  # fmt: skip


# Values computed from the answers, never asked and never stored (Copier's `when: false`).
_DERIVED: dict[str, Any] = {
    "package": {
        "type": "str",
        "help": "Python package name derived from the service name.",
        "default": "{{ name | replace('-', '_') }}",
        "when": False,
    },
    "template_source": {
        "type": "str",
        "help": "Template repository recorded as _src_path (scaffold passes it; plain Copier "
        "records the source it was given).",
        "default": "",
        "when": False,
    },
    "template_version": {
        "type": "str",
        "help": "Template version recorded as _commit (scaffold passes its release tag; plain "
        "Copier records the git tag it rendered).",
        "default": "",
        "when": False,
    },
}


def _validator(field: str, prop: dict[str, Any]) -> str | None:
    checks = []
    if "pattern" in prop:
        checks.append(
            (
                # `is none`, not falsiness: a pattern may match the empty string
                f"({field} | regex_search({json.dumps(prop['pattern'])})) is none",
                f"must match {prop['pattern']}",
            )
        )
    if "maxLength" in prop:
        checks.append(
            (
                f"{field} | length > {prop['maxLength']}",
                f"must be at most {prop['maxLength']} characters",
            )
        )
    if "minimum" in prop:
        checks.append((f"{field} < {prop['minimum']}", f"must be at least {prop['minimum']}"))
    if "maximum" in prop:
        checks.append((f"{field} > {prop['maximum']}", f"must be at most {prop['maximum']}"))
    if not checks:
        return None
    body = "".join(f"{{% elif {cond} %}}{msg}" for cond, msg in checks)
    return "{% if false %}" + body + "{% endif %}"


def _by_type(values: dict[str, Any]) -> Any:
    """One value when every type agrees, else a Jinja expression picking it by service_type."""
    distinct = {json.dumps(v, sort_keys=True) for v in values.values()}
    if len(distinct) == 1:
        return next(iter(values.values()))
    return "{{ " + json.dumps(values) + "[service_type] }}"


def _question(field: str, props: dict[str, dict[str, Any]], all_types: list[str]) -> Any:
    first = next(iter(props.values()))
    question: dict[str, Any] = {
        "type": _JSON_TO_COPIER[first["type"]],
        "help": _by_type({t: f"{p['title']}: {p['description']}" for t, p in props.items()}),
    }
    if "enum" in first and first["type"] == "string":
        question["choices"] = first["enum"]
    if any("default" in p for p in props.values()):
        question["default"] = _by_type({t: p.get("default") for t, p in props.items()})
    validators = {t: _validator(field, p) for t, p in props.items()}
    if any(validators.values()):
        if len({v for v in validators.values()}) == 1:
            question["validator"] = next(iter(validators.values()))
        else:
            question["validator"] = "".join(
                f"{{% if service_type == '{t}' %}}{v or ''}{{% endif %}}"
                for t, v in validators.items()
            )
    if sorted(props) != sorted(all_types):
        question["when"] = "{{ service_type in " + json.dumps(sorted(props)) + " }}"
    return question


def copier_config(types: Sequence[ServiceType] | None = None) -> dict[str, Any]:
    """The copier.yml content as data: settings plus one question per spec field.

    `types`: the service types it asks for (default: every registered one, plugins included).
    """
    types = tuple(types) if types is not None else all_types()
    names = [t.name for t in types]
    dirs = {t.name: f"templates/{t.template_dir}" for t in types}
    config: dict[str, Any] = {
        "_min_copier_version": "9.17.2",
        "_subdirectory": "{{ " + json.dumps(dirs) + "[service_type] }}",
        "_templates_suffix": ".jinja",
        # A value a template uses that the answers and derived values lack is an error naming
        # the file, never an empty string.
        "_envops": {"undefined": "jinja2.StrictUndefined"},
        "_answers_file": ".copier-answers.yml",
        "_exclude": ["__pycache__", "*.py[co]", ".DS_Store", "~*"],
        "_skip_if_exists": _skip_if_exists(),
        "service_type": {
            "type": "str",
            "help": "Service type: " + "; ".join(f"{t.name}: {t.summary}" for t in types),
            "choices": names,
        },
    }
    fields: dict[str, dict[str, dict[str, Any]]] = {}
    for service_type in types:
        schema = service_type.model.model_json_schema()
        for field, prop in schema["properties"].items():
            fields.setdefault(field, {})[service_type.name] = prop
    for field, props in fields.items():
        config[field] = _question(field, props, names)
    config.update(_DERIVED)
    config["schedule_interval_seconds"] = {
        "type": "int",
        "help": "Longest expected gap between two scheduled runs (batch-service).",
        "default": "{% if service_type == 'batch-service' %}"
        + INTERVAL_JINJA
        + "{% else %}0{% endif %}",
        "when": False,
    }
    config["capabilities"] = {
        "type": "yaml",
        "help": "What the service type offers, for the shared templates (its plugin's "
        "capabilities).",
        "default": "{{ "
        + json.dumps({t.name: t.capabilities.model_dump(mode="json") for t in types})
        + "[service_type] | tojson }}",
        "when": False,
    }
    config["with_database"] = {
        "type": "bool",
        "help": "Whether the service has its PostgreSQL database.",
        "default": "{{ (database | default('none')) == 'postgres' }}",
        "when": False,
    }
    config["visibility_timeout_seconds"] = {
        "type": "int",
        "help": "The queue's visibility timeout: six times the function timeout (event-service).",
        "default": "{{ 6 * (function_timeout_seconds | default(0)) }}",
        "when": False,
    }
    config["budgets"] = {
        "type": "yaml",
        "help": "Monthly budget (USD) of each environment: twice its idle cost, or the "
        "monthly_budget_usd answer for the last one (generator/spec/costs.py).",
        "default": budgets_jinja(),
        "when": False,
    }
    config["tf_modules"] = {
        "type": "yaml",
        "help": "Terraform modules vendored into infra/modules (from the module library).",
        "default": _tf_modules_expression(types),
        "when": False,
    }
    return config


def _skip_if_exists() -> list[str]:
    """The seeded files of templates/ownership.yml as Copier `_skip_if_exists` patterns.

    So a plain `copier update` also leaves application code and the other seeded files alone.
    Gitignore syntax, anchored with `/`; a later managed or unmanaged rule becomes `!pattern`.
    Copier has no per-type patterns, so a rule limited to some types applies to all here.
    """
    from generator.resources import template_root
    from generator.update.policy import OWNERSHIP_FILE, OwnershipFile, load_policy_file

    rules = load_policy_file(template_root() / OWNERSHIP_FILE, OwnershipFile).rules
    patterns: list[str] = []
    for rule in rules:
        if rule.owner == "seeded":
            patterns.append("/" + rule.path)
        elif patterns:
            patterns.append("!/" + rule.path)
    return patterns


def _tf_modules_expression(types: Sequence[ServiceType]) -> str:
    """Jinja for the module list: the type's modules, plus the database ones when chosen."""
    by_type = {t.name: list(t.terraform_modules) for t in types}
    extra = json.dumps(list(DATABASE_MODULES))
    copy = json.dumps([BACKUP_COPY_MODULE])
    return (
        "{{ ("
        + json.dumps(by_type)
        + "[service_type] + ("
        + extra
        + " if (database | default('none')) == 'postgres' else []) + ("
        + copy
        + " if backup_copy_region | default('') else [])) | tojson }}"
    )


def render_copier_yml(types: Sequence[ServiceType] | None = None) -> str:
    """The exact text of copier.yml (for `types`, default every registered type)."""
    body = yaml.safe_dump(copier_config(types), sort_keys=False, width=4096, allow_unicode=True)
    return HEADER + body
