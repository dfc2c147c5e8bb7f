"""The lock files pin what pyproject.toml asks for: what CI tests is what the image runs.

`make install` and the Dockerfile install only from the locks, with hashes required, so a
dependency added to pyproject.toml without `make lock` would be missing at run time. These
checks need no network; installing with `--require-hashes` (CI's `make install`) then proves
that nothing a locked package needs is missing.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(path: Path) -> dict[str, str]:
    """Package name => pinned version; every pin must carry at least one hash."""
    found: dict[str, str] = {}
    blocks = re.split(r"\n(?=\S)", path.read_text(encoding="utf-8"))
    for block in blocks:
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{path.name}: {match[1]} has no hash"
            found[canonicalize_name(match[1])] = match[2]
    return found


def requirements(*, extra: str | None = None) -> list[Requirement]:
    """What pyproject.toml asks for (the runtime dependencies, or one extra's)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(line) for line in listed]


@pytest.mark.parametrize(
    ("lock", "extras"),
    [
        ("requirements.txt", []),
        ("requirements-dev.txt", ["dev"]),
    ],
)
def test_every_requirement_is_pinned_within_its_range(lock: str, extras: list[str]) -> None:
    pinned = pins(ROOT / lock)
    wanted = requirements() + [r for extra in extras for r in requirements(extra=extra)]
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in {lock}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {name}=={pinned[name]}, outside {requirement}: run `make lock`"
        )


def test_the_image_runs_the_versions_ci_tests() -> None:
    runtime, dev = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-dev.txt")
    differ = {n: (v, dev[n]) for n, v in runtime.items() if n in dev and dev[n] != v}
    assert differ == {}, "requirements.txt and requirements-dev.txt disagree: run `make lock`"


def test_the_scripts_lock_pins_what_the_workflows_install() -> None:
    pinned = pins(ROOT / "scripts" / "requirements.txt")
    listed = (ROOT / "scripts" / "requirements.in").read_text(encoding="utf-8").splitlines()
    for line in listed:
        if line.strip() and not line.startswith("#"):
            requirement = Requirement(line)
            assert requirement.specifier.contains(pinned[canonicalize_name(requirement.name)])
