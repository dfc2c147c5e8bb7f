"""The one-line include files that compose a type's folder from `templates/_shared/`.

Copier renders one folder per type (`_subdirectory`), so each shared piece needs a file in each
type's folder that includes it. Those files are generated, never written by hand: the list is
`templates/_shared/stubs.yml`, each stub carries a marker naming the file that holds its
content, `scaffold samples regenerate` writes them into the built-in types' folders (plain
`copier copy` of the repository needs them there) and scaffold writes them into a plugin's folder
when it composes the template root. A file without the marker is the type's own and is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from generator.errors import TemplateError

MANIFEST = "templates/_shared/stubs.yml"
MARKER = "{# generated from templates/_shared/stubs.yml; the content is in "
_LOOP_VARIABLE = re.compile(r"\{\{ *([a-z_]+) *\}\}")


class StubManifest(BaseModel):
    """templates/_shared/stubs.yml: destination in a type's folder -> file it includes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stubs: dict[str, str]


@dataclass(frozen=True)
class Stub:
    """One generated file: its path in the type's folder and its exact text."""

    path: str
    text: str


def load_manifest(root: Path) -> StubManifest:
    """Read the stub list of the template root `root`."""
    path = root / MANIFEST
    try:
        return StubManifest.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise TemplateError(f"{MANIFEST} cannot be read: {exc}") from exc


def stub_text(source: str) -> str:
    """The include of `source`, with the marker saying where its content lives.

    The marker is a Jinja comment, so the rendered file is exactly the included one.
    """
    target = '"' + _LOOP_VARIABLE.sub(r'" ~ \1 ~ "', source) + '"'
    target = target.removeprefix('"" ~ ').removesuffix(' ~ ""')
    return f"{MARKER}{source} #}}{{% include {target} %}}"


def is_generated(path: Path) -> bool:
    """Whether the file at `path` is a generated stub (else the type's own file)."""
    try:
        return path.read_text(encoding="utf-8").startswith(MARKER)
    except (OSError, UnicodeDecodeError):
        return False


def expected_stubs(root: Path, folder: Path, omit: tuple[str, ...] = ()) -> list[Stub]:
    """The stubs a type's `folder` must hold: every listed one it neither omits nor owns."""
    stubs = []
    for dest, source in load_manifest(root).stubs.items():
        if dest in omit:
            continue
        existing = folder / dest
        if existing.is_file() and not is_generated(existing):
            continue  # the type's own file at that path
        stubs.append(Stub(dest, stub_text(source)))
    return stubs


def _stale(folder: Path, expected: list[Stub]) -> list[str]:
    """Generated files in `folder` that `expected` no longer lists (or the type omits)."""
    listed = {s.path for s in expected}
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*.jinja")
        if p.is_file() and is_generated(p) and str(p.relative_to(folder)) not in listed
    )


def _differs(folder: Path, stub: Stub) -> bool:
    path = folder / stub.path
    return not path.is_file() or path.read_text(encoding="utf-8") != stub.text


def write_stubs(root: Path, folder: Path, omit: tuple[str, ...] = ()) -> list[str]:
    """Write the stubs `folder` lacks or holds out of date, remove stale ones; list them."""
    expected = expected_stubs(root, folder, omit)
    changed = []
    for stub in expected:
        if _differs(folder, stub):
            path = folder / stub.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(stub.text, encoding="utf-8")
            changed.append(stub.path)
    for stale in _stale(folder, expected):
        (folder / stale).unlink()
        changed.append(stale)
    return sorted(changed)


def drifted_stubs(root: Path, folder: Path, omit: tuple[str, ...] = ()) -> list[str]:
    """Stubs of `folder` that are missing, changed or stale (what `write_stubs` would do)."""
    expected = expected_stubs(root, folder, omit)
    drift = [stub.path for stub in expected if _differs(folder, stub)]
    return sorted(drift + _stale(folder, expected))
