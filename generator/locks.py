"""The dependency locks of generated services (ADR 0013).

Every generated repository carries `requirements.txt` (the image), `requirements-dev.txt`
(CI and `make install`) and `scripts/requirements.txt` (the workflow jobs' scripts): every
package pinned with its hashes. `scaffold new` must work offline and the committed samples must
not change with every PyPI release, so the locks are template files, resolved by a template
maintainer with `scaffold samples lock` and rendered as they are. The dependencies depend on
the type and, for web, on the database only, so there is one set of locks per variant, in
`templates/_shared/locks/<variant>/`.

`refresh_locks` renders each variant and runs that repository's own `make lock` (the command its
owners run after editing pyproject.toml), which keeps the current pins unless `upgrade`, then
copies the lock files back into the templates.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from generator.errors import BadInputError, ToolFailedError
from generator.resources import repo_root


def variants() -> dict[str, tuple[str, dict[str, Any]]]:
    """variant => (service type, answers that select its dependencies), from the registry."""
    from generator.spec.registry import all_types

    return {
        name: (service_type.name, answers)
        for service_type in all_types()
        for name, answers in service_type.lock_variants
    }


LOCK_FILES = ("requirements-dev.txt", "requirements.txt", "scripts/requirements.txt")
LOCKS_DIR = Path("templates") / "_shared" / "locks"


class LockError(ToolFailedError):
    """The locks could not be resolved (PyPI unreachable, or requirements that conflict)."""


class VariantLocks(BaseModel):
    """The outcome of one variant's refresh."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str
    service_type: str
    changed: list[str]
    seconds: float


class LockReport(BaseModel):
    """Every refreshed variant."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    upgrade: bool
    variants: list[VariantLocks]


def variant_of(service_type: str, answers: dict[str, Any]) -> str:
    """The lock variant a generated repository of this type and answers uses."""
    from generator.spec.registry import resolve_type

    for name, selecting in resolve_type(service_type).lock_variants:
        if all(answers.get(key) == value for key, value in selecting.items()):
            return name
    raise BadInputError(
        f"{service_type} has no dependency locks in {LOCKS_DIR}: a plugin type keeps its own"
    )


def _uv() -> str:
    from generator.testenv import uv_binary

    return uv_binary()


def _checkout(root: Path | None) -> Path:
    found = root or repo_root()
    if found is None or not (found / LOCKS_DIR).parent.is_dir():
        raise BadInputError(
            "scaffold samples lock rewrites the templates: run it in a scaffold source checkout"
        )
    return found


def _refresh_one(root: Path, variant: str, upgrade: bool) -> VariantLocks:
    from generator.request import GenerateRequest, new

    start = time.perf_counter()
    service_type, answers = variants()[variant]
    target = root / LOCKS_DIR / variant
    for name in LOCK_FILES:  # a new variant starts from empty locks
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).touch()
    with tempfile.TemporaryDirectory(prefix="scaffold-lock-") as tmp:
        request = GenerateRequest(
            service_type=service_type,
            name=f"lock-{variant}",
            answers=answers,
            destination=Path(tmp) / "repo",
        )
        repo = Path(new(request, template_dir=root).destination)
        command = ["make", "lock", f"UV={_uv()}", *(["UPGRADE=1"] if upgrade else [])]
        done = subprocess.run(command, cwd=repo, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise LockError(f"`make lock` failed for {variant}:\n{done.stdout}{done.stderr}")
        changed = []
        for name in LOCK_FILES:
            fresh = (repo / name).read_bytes()
            if fresh != (target / name).read_bytes():
                (target / name).write_bytes(fresh)
                changed.append(name)
    return VariantLocks(
        variant=variant,
        service_type=service_type,
        changed=changed,
        seconds=round(time.perf_counter() - start, 2),
    )


def refresh_locks(
    root: Path | None = None, *, upgrade: bool = False, only: Iterable[str] = ()
) -> LockReport:
    """Re-resolve each variant's locks into the templates (needs PyPI); what changed."""
    checkout = _checkout(root)
    wanted = list(only) or list(variants())
    unknown = [v for v in wanted if v not in variants()]
    if unknown:
        raise BadInputError(f"unknown variant(s) {unknown}; allowed: {', '.join(variants())}")
    if shutil.which("make") is None:
        raise BadInputError("make is needed (the generated repository's `make lock` resolves)")
    return LockReport(
        upgrade=upgrade, variants=[_refresh_one(checkout, v, upgrade) for v in wanted]
    )
