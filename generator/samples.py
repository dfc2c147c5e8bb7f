"""Committed samples: how template maintainers and CI see the effect of a template change.

`samples/<sample>.yml` holds a sample's type, name and answers; `samples/<sample>/` holds its
committed render. Regenerating rewrites the renders (and copier.yml, which is derived
from the spec models, and the shared variable blocks of the Terraform modules); checking renders
into a temporary folder and reports every difference.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator import signals
from generator.errors import BadInputError, DataFileError
from generator.infra import shared_variables, skips
from generator.render import stubs
from generator.render.atomic import list_files
from generator.request import GenerateRequest, new, plan
from generator.resources import release_tag, repo_root, template_root
from generator.spec.copier_yml import render_copier_yml
from generator.spec.registry import ServiceType, all_types

_DIFF_LINES = 40
COPIER_YML = "copier.yml"
SHARED_VARIABLES = "terraform/modules/*/variables.tf"


class SampleFile(BaseModel):
    """One sample definition, `samples/<sample>.yml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str
    name: str
    purpose: str = Field(min_length=1)
    answers: dict[str, Any] = {}


class FileChange(BaseModel):
    """One file that differs between the committed sample and a fresh render."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    kind: Literal["added", "removed", "changed"]
    diff: str = ""


class SampleStatus(BaseModel):
    """The state of one sample after a check or a regeneration."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    status: Literal["current", "regenerated", "drift"]
    changes: list[FileChange]


class SamplesReport(BaseModel):
    """Every sample's status; `clean` is False when a check found drift."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    items: list[SampleStatus]
    clean: bool


class SampleInfo(BaseModel):
    """A sample as listed for CI matrices."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sample: str
    type: str
    name: str
    purpose: str
    path: str


def default_samples_dir() -> Path:
    """The `samples/` folder of the source checkout (samples are not shipped in the wheel)."""
    root = repo_root()
    if root is None:
        raise BadInputError("samples live in the scaffold source checkout; run this from a clone")
    return root / "samples"


def load_samples(samples_dir: Path) -> dict[str, SampleFile]:
    """Read and validate every `*.yml` sample definition, by sample name."""
    found: dict[str, SampleFile] = {}
    for path in sorted(samples_dir.glob("*.yml")):
        try:
            sample = SampleFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, ValidationError) as exc:
            raise DataFileError(f"sample {path.name}: {exc}") from None
        plan(_request(sample))  # fail early, naming the field
        found[path.stem] = sample
    if not found:
        raise DataFileError(f"no sample definitions (*.yml) in {samples_dir}")
    return found


def list_samples(samples_dir: Path | None = None) -> list[SampleInfo]:
    """Every sample, for `scaffold samples matrix` and CI fan-out."""
    folder = samples_dir or default_samples_dir()
    return [
        SampleInfo(sample=key, type=s.type, name=s.name, purpose=s.purpose, path=str(folder / key))
        for key, s in load_samples(folder).items()
    ]


def _request(sample: SampleFile, into: Path | None = None) -> GenerateRequest:
    return GenerateRequest(
        service_type=sample.type, name=sample.name, answers=sample.answers, destination=into
    )


def _render(sample: SampleFile, into: Path, root: Path, out_dir: Path) -> None:
    source = os.path.relpath(root, out_dir)  # stable across machines, usable by copier
    # the version being released, not the checkout's commit: renders stay the same per commit
    new(
        _request(sample, into),
        template_dir=root,
        template_source=source,
        template_version=release_tag(),
    )


def _diff(path: str, old: Path | None, new: Path | None) -> FileChange:
    if old is None:
        return FileChange(path=path, kind="added")
    if new is None:
        return FileChange(path=path, kind="removed")
    try:
        before = old.read_text(encoding="utf-8").splitlines()
        after = new.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return FileChange(path=path, kind="changed", diff="(binary files differ)")
    lines = list(
        difflib.unified_diff(
            before, after, f"committed/{path}", f"rendered/{path}", lineterm="", n=1
        )
    )
    if len(lines) > _DIFF_LINES:
        lines = [*lines[:_DIFF_LINES], f"... {len(lines) - _DIFF_LINES} more diff lines"]
    return FileChange(path=path, kind="changed", diff="\n".join(lines))


def compare_trees(committed: Path, rendered: Path) -> list[FileChange]:
    """Every file added, removed or changed in `rendered` relative to `committed`."""
    old = set(list_files(committed)) if committed.is_dir() else set()
    new = set(list_files(rendered))
    changes = []
    for rel in sorted(old | new):
        a = committed / rel if rel in old else None
        b = rendered / rel if rel in new else None
        if a is None or b is None or a.read_bytes() != b.read_bytes():
            changes.append(_diff(rel, a, b))
    return changes


def _generated_file_status(
    path: Path, expected: str, write: bool, name: str | None = None
) -> SampleStatus:
    """Compare (or rewrite) one generated file with what it must contain."""
    name = name or path.name
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if current == expected:
        return SampleStatus(name=name, status="current", changes=[])
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(expected, encoding="utf-8")
        return SampleStatus(
            name=name, status="regenerated", changes=[FileChange(path=name, kind="changed")]
        )
    lines = difflib.unified_diff(
        current.splitlines(), expected.splitlines(), "committed", "generated", lineterm="", n=1
    )
    return SampleStatus(
        name=name,
        status="drift",
        changes=[FileChange(path=name, kind="changed", diff="\n".join(list(lines)[:_DIFF_LINES]))],
    )


def builtin_types() -> list[ServiceType]:
    """The service types whose folders ship with scaffold (not composed plugins)."""
    return [t for t in all_types() if t.template_source is None]


def _stubs_status(root: Path, write: bool) -> SampleStatus:
    """The built-in types' generated include stubs (templates/_shared/stubs.yml)."""
    changes = []
    for service_type in builtin_types():  # a plugin's folder gets its stubs when composed
        folder = root / "templates" / service_type.template_dir
        act = stubs.write_stubs if write else stubs.drifted_stubs
        for path in act(root, folder, service_type.omit_shared):
            changes.append(FileChange(path=f"templates/{service_type.template_dir}/{path}",
                                      kind="changed"))  # fmt: skip
    status = "current" if not changes else ("regenerated" if write else "drift")
    return SampleStatus(name="template stubs", status=status, changes=changes)


def _shared_variables_status(root: Path, modules: Path, write: bool) -> SampleStatus:
    """The shared variable blocks in every module's variables.tf, against their one source."""
    statuses = [
        _generated_file_status(path, text, write, path.relative_to(root).as_posix())
        for path, text in shared_variables.expected_files(modules).items()
    ]
    changes = [change for status in statuses for change in status.changes]
    status = next((s.status for s in statuses if s.status != "current"), "current")
    return SampleStatus(name=SHARED_VARIABLES, status=status, changes=changes)


def _process(samples_dir: Path, root: Path, write: bool, only: Sequence[str] = ()) -> SamplesReport:
    items = [
        # the repository's own copier.yml asks for the built-in types (a plugin installed
        # beside scaffold is composed in at render time, never written into it)
        _generated_file_status(root / COPIER_YML, render_copier_yml(builtin_types()), write),
        _stubs_status(root, write),
    ]
    modules = root / "terraform" / "modules"
    if modules.is_dir():
        items.append(_shared_variables_status(root, modules, write))
    if modules.is_dir() and (root / "docs").is_dir():
        doc = skips.render_doc(skips.collect(modules))
        items.append(_generated_file_status(root / skips.DOC_PATH, doc, write))
    defined = load_samples(samples_dir)
    unknown = [name for name in only if name not in defined]
    if unknown:
        raise BadInputError(
            f"unknown sample(s) {', '.join(map(repr, unknown))}. Allowed: {', '.join(defined)}"
        )
    for key, sample in defined.items():
        if only and key not in only:
            continue
        out_dir = samples_dir / key
        with tempfile.TemporaryDirectory(prefix=f".{key}-", dir=samples_dir) as tmp:
            fresh = Path(tmp) / key
            _render(sample, fresh, root, out_dir)
            changes = compare_trees(out_dir, fresh)
            if write and changes:
                with signals.critical():  # never a sample half-replaced, or missing
                    if out_dir.exists():
                        out_dir.rename(Path(tmp) / "previous")
                    fresh.rename(out_dir)
        status = "current" if not changes else ("regenerated" if write else "drift")
        items.append(SampleStatus(name=key, status=status, changes=changes))
    clean = all(item.status != "drift" for item in items)
    return SamplesReport(items=items, clean=clean)


def regenerate_samples(
    samples_dir: Path | None = None, root: Path | None = None, only: Sequence[str] = ()
) -> SamplesReport:
    """Rewrite copier.yml and every sample render (or those in `only`) from the templates.

    `root` is the Copier template root (default: the bundled one).
    """
    return _process(samples_dir or default_samples_dir(), root or template_root(), True, only)


def check_samples(
    samples_dir: Path | None = None, root: Path | None = None, only: Sequence[str] = ()
) -> SamplesReport:
    """Render every sample (or those in `only`) into a temporary folder; report differences."""
    return _process(samples_dir or default_samples_dir(), root or template_root(), False, only)
