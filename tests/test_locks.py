"""The generated services' lock files (ADR 0013): offline, deterministic, consistent.

Every repository renders the locks of its variant from templates/_shared/locks/, so `scaffold
new` needs no network and the same answers always give the same bytes; each lock pins what
the rendered pyproject.toml asks for. `scaffold samples lock` re-resolves them (with PyPI).
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from generator import generate, make_spec
from generator.errors import BadInputError
from generator.locks import LOCK_FILES, LOCKS_DIR, refresh_locks, variant_of, variants

REPO = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(text: str) -> dict[str, str]:
    found = {}
    for block in re.split(r"\n(?=\S)", text):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{match[1]} has no hash"
            found[canonicalize_name(match[1])] = match[2]
    return found


def _render(variant: str, folder: Path) -> Path:
    service_type, answers = variants()[variant]
    data = [f"{k}={v}" for k, v in answers.items()]
    return Path(generate(make_spec(service_type, f"lock-{variant}", data=data), folder).destination)


@pytest.mark.parametrize("variant", sorted(variants()))
def test_each_variant_renders_its_locks_offline_and_they_pin_its_requirements(
    tmp_path: Path, variant: str
) -> None:
    repo = _render(variant, tmp_path / "one")
    for name in LOCK_FILES:
        assert (repo / name).read_bytes() == (REPO / LOCKS_DIR / variant / name).read_bytes()
    again = _render(variant, tmp_path / "two")
    assert all((repo / n).read_bytes() == (again / n).read_bytes() for n in LOCK_FILES)

    project = tomllib.loads((repo / "pyproject.toml").read_text())["project"]
    runtime = pins((repo / "requirements.txt").read_text())
    dev = pins((repo / "requirements-dev.txt").read_text())
    extras = project["optional-dependencies"]
    for lock, lines in (
        (runtime, project["dependencies"] + extras.get("image", [])),
        (dev, project["dependencies"] + extras["dev"]),
    ):
        for requirement in map(Requirement, lines):
            name = canonicalize_name(requirement.name)
            assert name in lock, f"{variant}: {name} is not pinned"
            assert requirement.specifier.contains(lock[name], prereleases=True), (variant, name)
    assert {n: v for n, v in runtime.items() if n in dev and dev[n] != v} == {}
    assert "boto3" in pins((repo / "scripts/requirements.txt").read_text())


def test_the_variant_follows_the_type_and_database() -> None:
    assert variant_of("web-service", {"database": "postgres"}) == "web-postgres"
    assert variant_of("web-service", {"database": "none"}) == "web"
    assert variant_of("batch-service", {}) == "batch"
    assert variant_of("event-service", {"source": "sns"}) == "event"


def test_refresh_refuses_an_unknown_variant() -> None:
    with pytest.raises(BadInputError, match="unknown variant"):
        refresh_locks(REPO, only=["lambda"])


@pytest.mark.slow
def test_refresh_resolves_a_variant_with_its_own_make_lock(tmp_path: Path) -> None:
    """Needs PyPI: `scaffold samples lock` in a copy of the templates keeps every pin."""
    copy = tmp_path / "checkout"
    for part in ("copier.yml", "templates", "terraform/modules"):
        source = REPO / part
        target = copy / part
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    (copy / LOCKS_DIR / "batch" / "requirements.txt").write_text("")  # lost: made again

    report = refresh_locks(copy, only=["batch"])

    (result,) = report.variants
    assert result.changed == ["requirements.txt"]
    for name in LOCK_FILES:
        fresh = pins((copy / LOCKS_DIR / "batch" / name).read_text())
        committed = pins((REPO / LOCKS_DIR / "batch" / name).read_text())
        assert fresh == committed, f"{name}: the current pins are kept"
