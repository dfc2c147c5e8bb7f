"""Plans of a generated environment root, offline, as `terraform test` sees them.

`plans(infra, environment, runs)` writes `runs` (run blocks of a .tftest.hcl) next to the
environment root of a copy of `infra/`, with the real AWS provider from the local mirror,
fake credentials and every data source that would call AWS overridden, and runs
`terraform test -json -verbose`: each run's plan comes back as JSON (what Terraform would
create, change or destroy), for assertions in Python. Nothing reaches AWS: plans only.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from generator.infra import hcl
from generator.infra.terraform import _command, provider_mirror

ACCOUNT = "123456789012"

#: Data sources that call AWS, and the values they are overridden with.
_CALLS_AWS = {
    "aws_caller_identity": lambda region: {
        "account_id": ACCOUNT,
        "arn": f"arn:aws:iam::{ACCOUNT}:user/test",
        "user_id": "AIDATEST",
    },
    "aws_region": lambda region: {"id": region, "name": region},
    "aws_availability_zones": lambda region: {
        "names": [f"{region}{z}" for z in "abc"],
        "zone_ids": [f"{region[:3]}-az{i}" for i in (1, 2, 3)],
    },
    "aws_iam_openid_connect_provider": lambda region: {
        "arn": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
    },
}


def _module_addresses(infra: Path) -> dict[str, Path]:
    """module address (module.service.module.x...) => its folder, from the root down."""
    found = {"module.service": infra / "service"}
    pending = list(found.items())
    while pending:
        address, folder = pending.pop()
        for path in sorted(folder.glob("*.tf")):
            for block in hcl.load(path).get("module", []):
                ((name, body),) = block.items()
                child = (folder / body["source"]).resolve()
                found[f"{address}.module.{name}"] = child
                pending.append((f"{address}.module.{name}", child))
    return found


def _overrides(infra: Path, region: str) -> str:
    blocks = []
    for address, folder in sorted(_module_addresses(infra).items()):
        for path in sorted(folder.glob("*.tf")):
            for block in hcl.load(path).get("data", []):
                ((kind, named),) = block.items()
                for name, body in named.items():
                    if kind == "aws_vpc_endpoint_service":
                        values = {"service_name": f"com.amazonaws.{region}.{body['service']}"}
                    elif kind in _CALLS_AWS:
                        values = _CALLS_AWS[kind](region)
                    else:
                        continue
                    blocks.append(
                        f"override_data {{\n  target = {address}.data.{kind}.{name}\n"
                        f"  values = {json.dumps(values)}\n}}\n"
                    )
    return "\n".join(blocks)


def provider(region: str) -> str:
    """The AWS provider offline: fake credentials, no call made at start."""
    return f"""provider "aws" {{
  region                      = "{region}"
  access_key                  = "offline-test"
  secret_key                  = "offline-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  max_retries                 = 1
}}
"""


def plans(infra: Path, environment: str, region: str, runs: str) -> dict[str, dict[str, Any]]:
    """{run name: plan JSON} of `runs` against infra/envs/<environment>; skipped offline."""
    mirror = provider_mirror()
    if mirror is None:
        pytest.skip("provider unavailable: set SCAFFOLD_TF_PROVIDER_MIRROR or TF_PLUGIN_CACHE_DIR")
    with tempfile.TemporaryDirectory(prefix="scaffold-tfplan-") as tmp:
        copy = Path(tmp) / "infra"
        shutil.copytree(infra, copy, ignore=shutil.ignore_patterns(".terraform"))
        root = copy / "envs" / environment
        (root / "tests").mkdir()
        (root / "tests" / "plans.tftest.hcl").write_text(
            provider(region) + "\n" + _overrides(copy, region) + "\n" + runs, encoding="utf-8"
        )
        tf = _command(root)
        init = tf.init(backend=False, plugin_dirs=[str(mirror)], check=False)
        assert init.retcode == 0, init.error
        done = tf.run("test", args=["-json", "-verbose"], chdir=str(root), backend="thread")
    code, out, err = done
    messages = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    errors = [
        f"{m['diagnostic'].get('summary')}: {m['diagnostic'].get('detail')}"
        for m in messages
        if m.get("type") == "diagnostic" and m.get("@level") == "error"
    ]
    assert code == 0 and not errors, "\n".join(errors) or err
    return {m["@testrun"]: m["test_plan"] for m in messages if m.get("type") == "test_plan"}


def planned(
    plan: dict[str, Any], actions: tuple[str, ...] = ("create",)
) -> dict[str, dict[str, Any]]:
    """address => the planned values of each managed resource with one of `actions`."""
    return {
        change["address"]: change["change"]["after"]
        for change in plan.get("resource_changes", [])
        if change["mode"] == "managed" and any(a in change["change"]["actions"] for a in actions)
    }
