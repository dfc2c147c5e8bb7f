"""The alarms a generated repository's `infra/` defines, and the runbook anchor each links to.

Two sources, both read from the repository itself:

- **The observability module.** Its alarms are data: the block between `# BEGIN
  alarm-definitions` and `# END alarm-definitions` in `infra/modules/observability/main.tf` is
  pure logic (no resource or data-source reference), ending in `local.alarm_catalog`
  (key => {anchor, severity}). That block is evaluated by real Terraform (embedded, offline, no
  provider needed) with the arguments each environment passes: literals as written, `var.x`
  followed to the environment root's `module "service"` call or the variable's default, and
  anything only known after apply (module outputs) as a placeholder of the right type. So the
  catalog is exactly what Terraform would create, conditions included (an alarm that only
  exists with a database or for a short enough schedule).
- **Any other alarm resource** in `infra/` (a team's own `aws_cloudwatch_metric_alarm` or
  composite alarm): its `alarm_description` must carry the link `#alarm-<key>`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ConfigDict

from generator.infra import hcl
from generator.infra.terraform import _command, _errors
from generator.render.staging import scratch

BEGIN: Final = "# BEGIN alarm-definitions"
END: Final = "# END alarm-definitions"
OBSERVABILITY_SOURCE: Final = "../modules/observability"
ALARM_TYPES: Final = ("aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm")
ANCHOR: Final = re.compile(r"#(alarm-[a-z0-9-]+)")
_REFERENCE: Final = re.compile(r"^\$\{(var|local)\.([A-Za-z0-9_]+)\}$")


class InfraAlarms(BaseModel):
    """The runbook anchors `infra/` links to, where each comes from, and what could not be read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    anchors: dict[str, list[str]]
    runbook_urls: list[str]
    problems: list[str]


def _literal(value: Any) -> bool:
    """True for a value written as a literal (no `${...}` interpolation inside)."""
    if isinstance(value, str):
        return "${" not in value
    if isinstance(value, list):
        return all(_literal(v) for v in value)
    if isinstance(value, dict):
        return all(_literal(v) for v in value.values())
    return True


def _kind(type_expr: Any) -> str:
    """`map(string)` from the parsed `${map(string)}`."""
    return str(type_expr or "any").removeprefix("${").removesuffix("}").strip()


def _typed(value: Any, type_expr: Any) -> Any:
    """Undo the parser's list wrapping of a map or object value (blocks and maps look alike)."""
    wrapped = isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict)
    if wrapped and _kind(type_expr).startswith(("map", "object")):
        return value[0]
    return value


def _placeholder(type_expr: str) -> Any:
    """A value of the variable's type standing for something known only after apply."""
    kind = _kind(type_expr)
    if kind == "number":
        return 1
    if kind == "bool":
        return False
    if kind.startswith(("list", "set", "tuple")):
        return []
    if kind.startswith(("map", "object")):
        return {}
    return "(known after apply)"


def _environment_values(
    env: Path, service: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The service module's variables as this environment sets them, and its literal locals."""
    root = hcl.load_dir(env)
    call = hcl.blocks(root, "module").get("service", {})
    values: dict[str, Any] = {}
    for name, body in hcl.blocks(service, "variable").items():
        if name in call and _literal(call[name]):
            values[name] = call[name]
        elif "default" in body and _literal(body["default"]):
            values[name] = body["default"]
    locals_: dict[str, Any] = {}
    for block in service.get("locals", []):
        locals_.update({k: v for k, v in block.items() if _literal(v)})
    return values, locals_


def _resolve(value: Any, variables: dict[str, Any], locals_: dict[str, Any]) -> Any | None:
    """A module argument's value, or None when it is only known after apply."""
    if _literal(value):
        return value
    match = _REFERENCE.match(value) if isinstance(value, str) else None
    if match:
        scope, name = match.groups()
        return (variables if scope == "var" else locals_).get(name)
    return None


def _evaluate(module_dir: Path, calls: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], str]:
    """Evaluate the alarm-definitions block once per call; {call: catalog} or an error."""
    source = (module_dir / "main.tf").read_text(encoding="utf-8")
    if BEGIN not in source or END not in source:
        return {}, (
            f"infra/modules/observability/main.tf has no '{BEGIN}' ... '{END}' block: "
            "its alarms cannot be listed"
        )
    block = source[source.index(BEGIN) : source.index(END)]
    declared = hcl.blocks(hcl.load(module_dir / "variables.tf"), "variable")
    with scratch("alarms") as tmp:
        catalog = Path(tmp) / "catalog"
        catalog.mkdir()
        # The variables without their validations: placeholders need not look real.
        (catalog / "variables.tf").write_text(
            "".join(
                f'variable "{name}" {{\n  type    = {_kind(body.get("type"))}\n'
                f"  default = {json.dumps(_typed(body.get('default'), body.get('type')))}\n}}\n"
                for name, body in declared.items()
            ),
            encoding="utf-8",
        )
        (catalog / "main.tf").write_text(
            block + '\noutput "alarms" {\n  value = local.alarm_catalog\n}\n', encoding="utf-8"
        )
        root = "".join(
            f'module "{name}" {{\n  source = "./catalog"\n'
            + "".join(f"  {k} = {json.dumps(v)}\n" for k, v in sorted(args.items()))
            + f'}}\n\noutput "{name}" {{\n  value = module.{name}.alarms\n}}\n'
            for name, args in calls.items()
        )
        (Path(tmp) / "main.tf").write_text(root, encoding="utf-8")
        tf = _command(Path(tmp))
        init = tf.init(backend=False, check=False)
        if init.retcode != 0:
            return {}, f"terraform init of the alarm catalog failed: {init.error}"
        applied = tf.apply(check=False)
        if applied.retcode != 0:
            detail = _errors(applied.value, str(applied.error))
            return {}, f"the alarm catalog does not evaluate: {detail}"
        outputs = tf.output(check=False)
        value = outputs.value if isinstance(outputs.value, dict) else {}
        return {name: item.get("value", {}) for name, item in value.items()}, ""


def _observability(infra: Path) -> tuple[dict[str, list[str]], list[str], list[str]]:
    """Anchors of the observability module's alarms per environment, runbook URLs, problems."""
    module_dir = infra / "modules" / "observability"
    service_dir = infra / "service"
    envs = sorted(p for p in (infra / "envs").glob("*") if p.is_dir())
    if not (module_dir / "main.tf").is_file() or not service_dir.is_dir() or not envs:
        return {}, [], []
    service = hcl.load_dir(service_dir)
    uses = [
        body
        for body in hcl.blocks(service, "module").values()
        if body.get("source") == OBSERVABILITY_SOURCE
    ]
    if not uses:
        return {}, [], []
    declared = hcl.blocks(hcl.load(module_dir / "variables.tf"), "variable")
    calls: dict[str, dict[str, Any]] = {}
    urls: list[str] = []
    for env in envs:
        variables, locals_ = _environment_values(env, service)
        for index, use in enumerate(uses):
            args = {}
            for name, value in use.items():
                if name not in declared:
                    continue  # source, depends_on, providers ...
                kind = declared[name].get("type")
                resolved = _resolve(_typed(value, kind), variables, locals_)
                args[name] = resolved if resolved is not None else _placeholder(str(kind))
            if isinstance(args.get("runbook_url"), str) and "(known" not in args["runbook_url"]:
                urls.append(args["runbook_url"])
            calls[f"{env.name}_{index}".replace("-", "_")] = args
    catalogs, problem = _evaluate(module_dir, calls)
    anchors: dict[str, list[str]] = {}
    for call, catalog in catalogs.items():
        env_name = call.rsplit("_", 1)[0]
        for key, alarm in catalog.items():
            where = f"{key} ({env_name})"
            anchors.setdefault(alarm.get("anchor", f"alarm-{key}"), []).append(where)
    return anchors, sorted(set(urls)), [problem] if problem else []


def _other_alarms(infra: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Alarm resources outside the observability module, by the anchor their description names."""
    anchors: dict[str, list[str]] = {}
    problems = []
    skip = infra / "modules" / "observability"
    for path in sorted(infra.rglob("*.tf")):
        if skip in path.parents or ".terraform" in path.parts:
            continue
        for (rtype, name), body in hcl.resources(hcl.load(path)).items():
            if rtype not in ALARM_TYPES:
                continue
            where = f"{path.relative_to(infra.parent).as_posix()}: {rtype}.{name}"
            found = ANCHOR.findall(str(body.get("alarm_description", "")))
            if not found:
                problems.append(
                    f"{where} has no runbook link: put 'Runbook: <runbook url>#alarm-<key>' in "
                    "its alarm_description and add the section '### alarm-<key>' to "
                    "docs/runbook.md"
                )
            for anchor in found:
                anchors.setdefault(anchor, []).append(where)
    return anchors, problems


def infra_alarms(repo: Path) -> InfraAlarms:
    """Every alarm `repo/infra` defines, as the runbook anchors they link to."""
    infra = repo / "infra"
    if not infra.is_dir():
        return InfraAlarms(anchors={}, runbook_urls=[], problems=[])
    anchors, urls, problems = _observability(infra)
    others, more = _other_alarms(infra)
    for anchor, where in others.items():
        anchors.setdefault(anchor, []).extend(where)
    return InfraAlarms(anchors=anchors, runbook_urls=urls, problems=problems + more)
