"""Rendering: atomic writes, --force safety, bytecode caches, delimiters, shared composition."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from generator import generate, make_spec
from generator.errors import DestinationError
from generator.resources import copy_template, template_root, templates_dir
from generator.spec.registry import all_types


class FailingSource:
    """A template source that writes part of a tree, then fails (or is interrupted)."""

    name = "failing"

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def render(self, template: Path, answers: Mapping[str, Any], into: Path) -> None:
        (into / "half-written.txt").write_text("partial")
        raise self.error


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_an_interrupted_render_leaves_nothing_behind(tmp_path: Path, error: BaseException) -> None:
    dest = tmp_path / "svc"
    with pytest.raises(type(error)):
        generate(make_spec("web", "orders-api"), dest, source=FailingSource(error))
    assert list(tmp_path.iterdir()) == []


def test_a_failed_forced_render_keeps_the_existing_files(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    with pytest.raises(RuntimeError):
        generate(
            make_spec("web", "orders-api"),
            dest,
            force=True,
            source=FailingSource(RuntimeError("boom")),
        )
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["svc"]


def test_destination_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "svc"
    target.write_text("not a folder")
    with pytest.raises(DestinationError, match="not a folder"):
        generate(make_spec("web", "orders-api"), target, force=True)


def test_missing_parents_are_created_like_mkdir_p(tmp_path: Path) -> None:
    dest = tmp_path / "build" / "example" / "svc"
    dry = generate(make_spec("web", "orders-api"), dest, dry_run=True)
    assert dry.files and list(tmp_path.iterdir()) == []  # a dry run creates nothing
    generate(make_spec("web", "orders-api"), dest)
    assert (dest / ".copier-answers.yml").is_file()


def test_a_failed_render_removes_the_parents_it_created(tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "keep.txt").write_text("mine")
    dest = tmp_path / "build" / "a" / "b" / "svc"
    with pytest.raises(RuntimeError):
        generate(make_spec("web", "orders-api"), dest, source=FailingSource(RuntimeError("x")))
    assert [p.name for p in (tmp_path / "build").iterdir()] == ["keep.txt"]


def test_a_file_in_the_way_of_the_parents_is_refused(tmp_path: Path) -> None:
    (tmp_path / "build").write_text("a file")
    with pytest.raises(DestinationError, match=r"is a file, so the folder .* cannot be created"):
        generate(make_spec("web", "orders-api"), tmp_path / "build" / "x" / "svc")
    assert (tmp_path / "build").read_text() == "a file"


def test_cli_new_creates_missing_parents(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("new", "batch", "nightly-report", "--defaults", "-o", "build/example/job")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build/example/job/.copier-answers.yml").is_file()


def test_empty_destination_is_used(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    dest.mkdir()
    result = generate(make_spec("batch", "nightly-report"), dest)
    assert result.replaced == []
    assert (dest / ".copier-answers.yml").is_file()


def test_bytecode_caches_in_the_template_are_never_rendered(tmp_path: Path) -> None:
    template = copy_template(template_root(), tmp_path / "root")
    for folder in (template / "templates").rglob("src"):
        cache = folder / "__pycache__"
        cache.mkdir()
        (cache / "mod.cpython-311.pyc").write_bytes(b"\x00\x01")
        (folder / "stray.pyc").write_bytes(b"\x00")
    result = generate(make_spec("web", "orders-api"), tmp_path / "out", template_dir=template)
    assert not [f for f in result.files if "__pycache__" in f or f.endswith(".pyc")]


def _raw_blocks(text: str) -> list[str]:
    return re.findall(r"\{% raw %\}(.*?)\{% endraw %\}", text, flags=re.S)


@pytest.mark.parametrize("service_type", all_types(), ids=lambda t: t.name)
def test_github_and_terraform_delimiters_survive_rendering(tmp_path: Path, service_type) -> None:
    result = generate(make_spec(service_type.name, "delim-check"), tmp_path / "out")
    out = Path(result.destination)
    rendered = "\n".join((out / f).read_text(encoding="utf-8") for f in result.files)
    root = templates_dir()
    sources = [
        *(root / "_shared").rglob("*.jinja"),
        *(root / service_type.template_dir).rglob("*.jinja"),
    ]
    raw = [
        block
        for path in sources
        if "{% if" not in path.as_posix()  # files that only exist for some answers
        for block in _raw_blocks(path.read_text(encoding="utf-8"))
    ]
    assert any("${{" in block for block in raw), "expected GitHub expressions in raw blocks"
    for block in raw:
        assert block in rendered, f"raw block not rendered verbatim: {block[:60]!r}"
    assert "${{ github.ref }}" in (out / ".github/workflows/ci.yml").read_text()
    assert "{% raw %}" not in rendered
    assert not re.search(r"\{\{\s*[a-z_]+\s*\}\}", rendered), "an unrendered Jinja variable"


SHARED_INCLUDE = re.compile(r'\{%-? (?:include|extends|import) "(templates/_shared/[^"]+)"')
# Pieces only some types use: the Python logging helper and the type-specific doc partials.
TYPE_SPECIFIC = {
    "templates/_shared/python/logs.py.jinja",
    "templates/_shared/docs/batch.md.jinja",
    "templates/_shared/docs/event.md.jinja",
    "templates/_shared/docs/backups.md.jinja",  # the types with backups: web (database), batch
}


def test_every_shared_piece_is_composed_into_every_type() -> None:
    root = templates_dir()
    shared = {p.relative_to(root.parent).as_posix() for p in (root / "_shared").rglob("*.jinja")}
    for service_type in all_types():
        used: set[str] = set()
        for path in (root / service_type.template_dir).rglob("*"):
            if path.is_file():
                used |= set(SHARED_INCLUDE.findall(path.read_text(encoding="utf-8")))
        missing = shared - used - TYPE_SPECIFIC
        assert not missing, f"{service_type.name} does not compose {sorted(missing)}"


def test_rendering_into_staging_runs_no_git_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staging folder is new and untracked: Copier's per-file git index sync is skipped
    (one git process per file, a third of a render), and the pinned Copier still has the
    method that skip overrides, so an upgrade that renames it is caught here."""
    import inspect

    from copier import _main

    assert list(inspect.signature(_main.Worker._sync_git_index_executable_bit).parameters) == [
        "self",
        "dst_relpath",
        "src_mode",
    ]
    calls: list[tuple[str, ...]] = []

    def no_git(*args: object, **kwargs: object) -> object:
        calls.append(tuple(map(str, args)))
        raise AssertionError("git was run while rendering into the staging folder")

    monkeypatch.setattr(_main, "get_git", no_git)
    generate(make_spec("batch", "nightly-report"), tmp_path / "svc")
    assert calls == []
    assert (tmp_path / "svc" / "README.md").is_file()


# Copier walks the template with os.scandir and does not close the iterator when a file fails
# to render; Python reports that when the iterator is collected.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_value_the_template_lacks_is_an_error_naming_the_file(tmp_path: Path) -> None:
    """Templates render with StrictUndefined: a missing value is never an empty string."""
    from generator.errors import TemplateError

    template = copy_template(template_root(), tmp_path / "root")
    shared = template / "templates" / "_shared" / "editorconfig.jinja"
    shared.write_text(shared.read_text() + "{{ no_such_answer }}\n")
    with pytest.raises(TemplateError) as caught:
        generate(make_spec("batch", "nightly-report"), tmp_path / "svc", template_dir=template)
    message = str(caught.value)
    assert "templates/_shared/editorconfig.jinja line " in message
    assert "'no_such_answer' is undefined" in message
    assert not (tmp_path / "svc").exists()
