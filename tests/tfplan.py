"""What Terraform would create, offline: the JSON plan of a root module, for assertions.

`plan(root)` copies the tree, writes a `terraform test` file with one `command = plan` run and
runs `terraform test -json -verbose` (embedded Terraform, the local AWS provider mirror): the
verbose run prints the plan in Terraform's JSON plan format. The real AWS provider renders every
`aws_iam_policy_document` locally, with fake credentials; the only data sources that would call
AWS (caller identity, availability zones, endpoint services, the OIDC provider) get fixed values
through `override_data`, found by walking the module calls. Values known only after apply stay
unknown (`after` holds null for them, `after_unknown` says so).

Without the provider mirror the caller skips, saying so (never a silent pass).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from generator.infra import hcl
from generator.infra.terraform import _command, _errors, provider_mirror

ACCOUNT = "123456789012"
REGION = "eu-west-1"
#: Stands for a value Terraform only knows after apply.
UNKNOWN = "(known after apply)"


def _overrides(region: str, account: str) -> dict[str, dict[str, Any]]:
    """Fixed values for the data sources that would call AWS, by data source type."""
    return {
        "aws_caller_identity": {
            "account_id": account,
            "arn": f"arn:aws:iam::{account}:user/offline",
            "user_id": "OFFLINE",
        },
        "aws_availability_zones": {
            "names": [f"{region}{z}" for z in "abc"],
            "zone_ids": [f"euw1-az{i}" for i in (1, 2, 3)],
        },
        "aws_vpc_endpoint_service": {"service_name": f"com.amazonaws.{region}.service"},
        "aws_iam_openid_connect_provider": {
            "arn": f"arn:aws:iam::{account}:oidc-provider/token.actions.githubusercontent.com"
        },
    }


def _data_sources(folder: Path, address: str) -> Iterator[tuple[str, str]]:
    """(address, type) of every data source in `folder` and the local modules it calls."""
    parsed = hcl.load_dir(folder)
    for block in parsed.get("data", []):
        for dtype, named in block.items():
            for name in named:
                yield f"{address}data.{dtype}.{name}", dtype
    for name, body in hcl.blocks(parsed, "module").items():
        source = str(body.get("source", ""))
        if source.startswith("."):
            yield from _data_sources((folder / source).resolve(), f"{address}module.{name}.")


def _with_unknowns(after: Any, unknown: Any) -> Any:
    """`after` with every value `after_unknown` marks as unknown replaced by UNKNOWN."""
    if unknown is True:
        return UNKNOWN
    if isinstance(unknown, dict):
        merged = dict(after) if isinstance(after, dict) else {}
        for key, marker in unknown.items():
            merged[key] = _with_unknowns(merged.get(key), marker)
        return merged
    if isinstance(unknown, list) and isinstance(after, list):
        return [_with_unknowns(a, u) for a, u in zip(after, unknown, strict=False)] + after[
            len(unknown) :
        ]
    return after


def _hcl(value: Any) -> str:
    """A Terraform literal (JSON is valid HCL for values)."""
    return json.dumps(value)


def _provider(region: str, alias: str | None = None) -> list[str]:
    """An offline AWS provider block: fake credentials, no call to AWS to check them."""
    return [
        'provider "aws" {',
        *([f'  alias                       = "{alias}"'] if alias else []),
        f'  region                      = "{region}"',
        '  access_key                  = "offline-test"',
        '  secret_key                  = "offline-test"',
        "  skip_credentials_validation = true",
        "  skip_requesting_account_id  = true",
        "  skip_metadata_api_check     = true",
        "  skip_region_validation      = true",
        "}",
    ]


def _aliases(root: Path) -> dict[str, str]:
    """The root's aliased AWS providers (e.g. a backup copy region): alias -> region."""
    found = {}
    for block in hcl.load_dir(root).get("provider", []):
        body = block.get("aws")
        if isinstance(body, dict) and body.get("alias"):
            found[str(body["alias"])] = str(body.get("region", REGION))
    return found


def _test_file(root: Path, variables: Mapping[str, Any], region: str, account: str) -> str:
    known = _overrides(region, account)
    lines = _provider(region)
    for alias, alias_region in _aliases(root).items():
        lines += _provider(alias_region, alias)
    for address, dtype in _data_sources(root, ""):
        if dtype in known:
            lines += [
                "override_data {",
                f"  target = {address}",
                f"  values = {_hcl(known[dtype])}",
                "}",
            ]
    lines.append("variables {")
    lines += [f"  {name} = {_hcl(value)}" for name, value in variables.items()]
    lines += ["}", 'run "plan" {', "  command = plan", "}"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Plan:
    """The planned changes of one root: `after` values by resource address."""

    changes: dict[str, dict[str, Any]]
    outputs: dict[str, Any] = field(default_factory=dict)

    def of_type(self, rtype: str) -> dict[str, dict[str, Any]]:
        """`after` of every planned resource of `rtype`, by address."""
        return {
            address: change["after"]
            for address, change in self.changes.items()
            if change["type"] == rtype and change["mode"] == "managed"
        }

    def after(self, address: str) -> dict[str, Any]:
        """The planned values of the resource at `address`."""
        return self.changes[address]["after"]

    def named(self, rtype: str, suffix: str) -> dict[str, Any]:
        """The one resource of `rtype` whose address ends with `suffix`."""
        found = [a for a in self.of_type(rtype) if a.endswith(suffix)]
        assert len(found) == 1, f"{rtype} ...{suffix}: {found or sorted(self.of_type(rtype))}"
        return self.after(found[0])

    def policy(self, rtype: str, suffix: str, attribute: str = "policy") -> dict[str, Any]:
        """A planned IAM (or key, queue, topic) policy document, parsed."""
        text = self.named(rtype, suffix)[attribute]
        assert text, f"{rtype} ...{suffix}: {attribute} is only known after apply"
        parsed: dict[str, Any] = json.loads(text)
        return parsed


def plan(
    root: Path,
    *,
    tree: Path | None = None,
    variables: Mapping[str, Any] | None = None,
    region: str = REGION,
    account: str = ACCOUNT,
) -> Plan:
    """The plan of `root` (inside `tree`, copied so relative module sources resolve)."""
    mirror = provider_mirror()
    if mirror is None:
        pytest.skip("provider unavailable: set SCAFFOLD_TF_PROVIDER_MIRROR to plan offline")
    base = tree or root
    with tempfile.TemporaryDirectory(prefix="scaffold-plan-") as tmp:
        copy = Path(tmp) / "tree"
        shutil.copytree(base, copy, ignore=shutil.ignore_patterns(".terraform", "tests"))
        folder = copy / root.relative_to(base)
        (folder / "tests").mkdir()
        (folder / "tests" / "plan.tftest.hcl").write_text(
            _test_file(folder, dict(variables or {}), region, account), encoding="utf-8"
        )
        tf = _command(folder)
        init = tf.init(backend=False, plugin_dirs=[str(mirror)], check=False)
        assert init.retcode == 0, f"init: {init.error}"
        tested = tf.test(check=False, verbose=True)
    messages = tested.value if isinstance(tested.value, list) else []
    plans = [m["test_plan"] for m in messages if isinstance(m, dict) and "test_plan" in m]
    assert tested.retcode == 0 and plans, _errors(messages, str(tested.error))
    found = plans[0]
    changes = {
        c["address"]: {
            **c,
            "after": _with_unknowns(c["change"]["after"], c["change"].get("after_unknown")),
        }
        for c in found["resource_changes"]
    }
    outputs = {k: v.get("after") for k, v in found.get("output_changes", {}).items()}
    return Plan(changes=changes, outputs=outputs)
