"""The variables the Terraform modules share, defined once and written into each module.

Terraform cannot import a variable, so every module's `variables.tf` carries its own copy of
`name`, `environment`, `tags`, ... This file is their one source. Each copy stands between

    # BEGIN shared: name environment tags (generated ...; do not edit)
    # END shared

and the BEGIN line names the variables it holds, in order. `scaffold samples regenerate`
rewrites the blocks between the markers and `--check` (and a test) fail when a module drifts.
A module adds its own sentence to a shared description through `NOTES`.

The service-name rule (pattern and lengths) and the environments come from the spec model
(`ServiceName`, `ENVIRONMENTS`), so Terraform and scaffold accept the same names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Final

from pydantic import BaseModel, ConfigDict, TypeAdapter

from generator.errors import DataFileError
from generator.spec import fields

SOURCE: Final = "generator/infra/shared_variables.py"
END: Final = "# END shared"
_BEGIN_TAIL: Final = (
    f"(generated from scaffold's {SOURCE} by `scaffold samples regenerate`; do not edit)"
)
_REGION: Final = re.compile(
    r"^# BEGIN shared: (?P<names>[a-z0-9_ ]+?) \([^\n]*\)\n(?P<body>.*?)^# END shared[^\n]*\n",
    re.S | re.M,
)
_JINJA: Final = ("{{", "{%", "{#")


class Validation(BaseModel):
    """One `validation` block: the HCL condition and the message Terraform shows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    condition: str
    error_message: str


class SharedVariable(BaseModel):
    """One shared `variable` block. `default` is an HCL expression (None: required)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: str
    description: str
    default: str | None = None
    validations: tuple[Validation, ...] = ()


def hcl_string(text: str) -> str:
    """`text` as a quoted HCL string (template sequences escaped, so it stays a literal)."""
    return json.dumps(text, ensure_ascii=False).replace("${", "$${").replace("%{", "%%{")


def service_name_rule() -> tuple[str, int, int]:
    """The spec model's service-name pattern, minimum and maximum length."""
    schema = TypeAdapter(fields.ServiceName).json_schema()
    return schema["pattern"], schema["minLength"], schema["maxLength"]


def _service_name() -> SharedVariable:
    pattern, low, high = service_name_rule()
    return SharedVariable(
        name="name",
        type="string",
        description=f"Service name (lower-case kebab-case, {low}-{high} characters).",
        validations=(
            Validation(
                condition=f"can(regex({hcl_string(pattern)}, var.name)) && "
                f"length(var.name) >= {low} && length(var.name) <= {high}",
                error_message=f"name must be {low}-{high} characters of lower-case letters, "
                "digits and single hyphens, starting with a letter and ending with a letter or "
                'digit (e.g. "orders-api").',
            ),
        ),
    )


def _environment() -> SharedVariable:
    names = fields.ENVIRONMENTS
    listed = ", ".join(hcl_string(env) for env in names)
    return SharedVariable(
        name="environment",
        type="string",
        description=f"Deployment environment: {', '.join(names[:-1])} or {names[-1]}.",
        validations=(
            Validation(
                condition=f"contains([{listed}], var.environment)",
                error_message=f"environment must be one of: {', '.join(names)}.",
            ),
        ),
    )


_TAGS: Final = SharedVariable(
    name="tags",
    type="map(string)",
    description="Extra tags merged into every taggable resource (the provider's default_tags "
    "carry service, owner, environment and cost-center).",
    default="{}",
    validations=(
        Validation(
            condition="alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && "
            "length(v) <= 256])",
            error_message="tags keys must be 1-128 characters and values at most 256 characters.",
        ),
    ),
)

_PERMISSIONS_BOUNDARY: Final = SharedVariable(
    name="permissions_boundary_arn",
    type="string",
    description="Managed policy set as the permissions boundary of every IAM role this module "
    "creates (null: none).",
    default="null",
    validations=(
        Validation(
            condition="var.permissions_boundary_arn == null || "
            'can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", '
            "var.permissions_boundary_arn))",
            error_message="permissions_boundary_arn must be null or an IAM managed policy ARN.",
        ),
    ),
)

_KMS_KEY: Final = SharedVariable(
    name="kms_key_arn",
    type="string",
    description="ARN of the customer-managed KMS key (from the kms module)",
    validations=(
        Validation(
            condition='can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/'
            '(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", var.kms_key_arn))',
            error_message="kms_key_arn must be a KMS key ARN such as "
            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab "
            "(not an alias).",
        ),
    ),
)

_DEFINITIONS: Final[tuple[Callable[[], SharedVariable], ...]] = (
    _service_name,
    _environment,
    lambda: _TAGS,
    lambda: _PERMISSIONS_BOUNDARY,
    lambda: _KMS_KEY,
)


def shared_variables() -> dict[str, SharedVariable]:
    """Every shared variable by name, built from the spec model as it is now."""
    return {variable.name: variable for variable in (make() for make in _DEFINITIONS)}


_PREFIX: Final = "Prefix of every resource name (<name>-<environment>)."
_WORKLOAD_BOUNDARY: Final = (
    "Stacks deployed by the ci-oidc deploy role must pass its workload_boundary_arn."
)

# module folder => shared variable => the module's own sentence, appended to the description.
NOTES: Final[dict[str, dict[str, str]]] = {
    "backup": {
        "name": "Prefix of the vault, plan, selection and role names (<name>-<environment>).",
        "permissions_boundary_arn": _WORKLOAD_BOUNDARY,
        "kms_key_arn": "that encrypts the vault's recovery points. The kms module's key policy "
        "already lets this module's role (<name>-<environment>-backup) use it through AWS Backup.",
    },
    "backup-vault": {
        "name": "The copy vault is <name>-<environment>-copy, and the backup module's role "
        "<name>-<environment>-backup writes to it.",
    },
    "batch-job": {
        "name": "Prefix of every resource name (<name>-<environment>) and the container name.",
        "permissions_boundary_arn": _WORKLOAD_BOUNDARY,
        "kms_key_arn": "that encrypts the ECR repository, log group, DynamoDB table, DLQ and the "
        "schedule. Its key policy must allow the CloudWatch Logs service principal (see README).",
    },
    "budget": {"name": "Value of the `service` cost allocation tag the budget filters on."},
    "ci-oidc": {
        "name": "Prefix of the role names (<name>-<environment>-plan and -deploy).",
        "environment": "Also the GitHub environment the deploy role trusts (sub = "
        "repo:<org>/<repo>:environment:<environment>); plans run in the GitHub environment "
        "<environment>-plan.",
        "permissions_boundary_arn": "Here the plan and deploy roles themselves; the stacks they "
        "deploy use the workload_boundary_arn output.",
    },
    "database": {
        "name": _PREFIX,
        "permissions_boundary_arn": _WORKLOAD_BOUNDARY,
        "kms_key_arn": "for storage, Performance Insights, the managed master-user secret and "
        "the log groups. Its key policy must allow logs.<region>.amazonaws.com.",
    },
    "ecr": {"kms_key_arn": "that encrypts the images."},
    "event-consumer": {
        "name": _PREFIX,
        "permissions_boundary_arn": _WORKLOAD_BOUNDARY,
        "kms_key_arn": "that encrypts the queues, topic, ECR repository, log group and the "
        "function's environment. Its key policy must allow the service principals listed in "
        "the README.",
    },
    "kms": {
        "name": "Used in the alias and in the resource-name patterns the key policy grants AWS "
        "services.",
    },
    "network": {
        "name": _PREFIX,
        "permissions_boundary_arn": _WORKLOAD_BOUNDARY,
        "kms_key_arn": "that encrypts the flow-log log group. Its key policy must let "
        "logs.<region>.amazonaws.com use it for log groups whose name contains "
        "<name>-<environment>.",
    },
    "observability": {
        "name": _PREFIX,
        "kms_key_arn": "that encrypts the alarm SNS topic. Its key policy must let the "
        "cloudwatch.amazonaws.com service principal use kms:Decrypt and kms:GenerateDataKey* "
        "(otherwise alarms cannot publish to the encrypted topic; see README).",
    },
    "web-service": {
        "name": _PREFIX,
        "permissions_boundary_arn": _WORKLOAD_BOUNDARY,
        "kms_key_arn": "that encrypts the ECR repository and the CloudWatch log groups. Its key "
        "policy must allow logs.<region>.amazonaws.com.",
    },
}


def _description(variable: SharedVariable, note: str, where: str) -> str:
    if not variable.description.endswith(".") and not note:
        raise DataFileError(
            f"{where}: the shared variable {variable.name!r} needs a note in NOTES of {SOURCE} "
            "(its description is an unfinished sentence)"
        )
    return f"{variable.description} {note}".strip()


def render_block(variable: SharedVariable, note: str = "", where: str = "") -> str:
    """One `variable` block, laid out the way `terraform fmt` writes it."""
    lines = [
        f'variable "{variable.name}" {{',
        f"  type        = {variable.type}",
        f"  description = {hcl_string(_description(variable, note, where))}",
    ]
    if variable.default is not None:
        lines.append(f"  default     = {variable.default}")
    for check in variable.validations:
        lines += [
            "",
            "  validation {",
            f"    condition     = {check.condition}",
            f"    error_message = {hcl_string(check.error_message)}",
            "  }",
        ]
    return "\n".join([*lines, "}", ""])


def render_region(module: str, names: list[str], where: str = "") -> str:
    """The whole marked region of `module` holding the shared variables `names`, in order."""
    known = shared_variables()
    unknown = [name for name in names if name not in known]
    if unknown:
        raise DataFileError(
            f"{where}: no shared variable {', '.join(map(repr, unknown))}. "
            f"Allowed: {', '.join(known)}"
        )
    notes = NOTES.get(module, {})
    blocks = [render_block(known[name], notes.get(name, ""), where) for name in names]
    begin = f"# BEGIN shared: {' '.join(names)} {_BEGIN_TAIL}\n"
    return begin + "\n".join(blocks) + END + "\n"


def render_variables_tf(module: str, text: str, where: str = "") -> str:
    """`text` (a module's variables.tf) with every marked region rewritten from this source."""
    if text.count("# BEGIN shared:") != len(_REGION.findall(text)):
        raise DataFileError(f"{where}: a '# BEGIN shared:' line has no matching '{END}'")
    used: list[str] = []

    def replace(match: re.Match[str]) -> str:
        names = match["names"].split()
        used.extend(names)
        return render_region(module, names, where)

    rendered = _REGION.sub(replace, text)
    stale = sorted(set(NOTES.get(module, {})) - set(used))
    if stale:
        raise DataFileError(f"{where}: NOTES has {', '.join(stale)} but no marked region holds it")
    if any(delimiter in rendered for delimiter in _JINJA):
        raise DataFileError(f"{where}: a Jinja delimiter would reach the vendored module")
    return rendered


def expected_files(modules: Path) -> dict[Path, str]:
    """Every module's variables.tf (under `modules`) as this source says it must read."""
    expected: dict[Path, str] = {}
    for path in sorted(modules.glob("*/variables.tf")):
        where = f"{path.parent.name}/variables.tf"
        text = path.read_text(encoding="utf-8")
        expected[path] = render_variables_tf(path.parent.name, text, where)
    return expected


def region_names(text: str) -> list[str]:
    """The shared variables the marked regions of a variables.tf hold, in order."""
    return [name for match in _REGION.finditer(text) for name in match["names"].split()]
