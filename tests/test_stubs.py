"""The generated include stubs that compose each type's folder (templates/_shared/stubs.yml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import TemplateError
from generator.render import stubs
from generator.resources import copy_template, template_root
from generator.spec.registry import all_types, resolve_type


def test_every_built_in_folder_holds_exactly_its_generated_stubs() -> None:
    root = template_root()
    for service_type in all_types():
        folder = root / "templates" / service_type.template_dir
        assert stubs.drifted_stubs(root, folder, service_type.omit_shared) == []
        expected = stubs.expected_stubs(root, folder, service_type.omit_shared)
        assert len(expected) >= 30, service_type.name


def test_a_stub_says_where_its_content_lives_and_renders_only_the_include() -> None:
    text = stubs.stub_text("templates/_shared/gitignore.jinja")
    assert text == (
        "{# generated from templates/_shared/stubs.yml; the content is in "
        'templates/_shared/gitignore.jinja #}{% include "templates/_shared/gitignore.jinja" %}'
    )
    loop = stubs.stub_text("terraform/modules/{{ module }}/main.tf")
    assert loop.endswith('{% include "terraform/modules/" ~ module ~ "/main.tf" %}')


@pytest.fixture
def batch(tmp_path: Path) -> tuple[Path, Path]:
    root = copy_template(template_root(), tmp_path / "root")
    return root, root / "templates" / resolve_type("batch").template_dir


def test_an_edited_missing_or_stale_stub_is_drift_and_write_repairs_it(
    batch: tuple[Path, Path],
) -> None:
    root, folder = batch
    edited = folder / ".editorconfig.jinja"
    edited.write_text(stubs.MARKER + "x #}hand edit", encoding="utf-8")
    (folder / ".gitignore.jinja").unlink()
    stale = folder / "old.txt.jinja"
    stale.write_text(stubs.stub_text("templates/_shared/gitignore.jinja"), encoding="utf-8")
    drift = [".editorconfig.jinja", ".gitignore.jinja", "old.txt.jinja"]
    assert stubs.drifted_stubs(root, folder) == drift
    assert stubs.write_stubs(root, folder) == drift
    assert stubs.drifted_stubs(root, folder) == []
    assert not stale.exists()
    assert edited.read_text() == stubs.stub_text("templates/_shared/editorconfig.jinja")


def test_a_type_s_own_file_is_kept_and_an_omitted_piece_is_not_written(
    batch: tuple[Path, Path],
) -> None:
    root, folder = batch
    own = folder / "CONTRIBUTING.md.jinja"
    own.write_text("# How to contribute to {{ name }}\n", encoding="utf-8")
    omit = ("src/{{package}}/logs.py.jinja",)
    changed = stubs.write_stubs(root, folder, omit)
    assert changed == ["src/{{package}}/logs.py.jinja"]  # a stale stub, removed
    assert own.read_text() == "# How to contribute to {{ name }}\n"
    assert not (folder / "src/{{package}}/logs.py.jinja").exists()


def test_a_broken_manifest_is_a_template_error(batch: tuple[Path, Path]) -> None:
    root, folder = batch
    (root / stubs.MANIFEST).write_text("stubs: {a: b}\nextra: 1\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"stubs\.yml cannot be read"):
        stubs.expected_stubs(root, folder)
