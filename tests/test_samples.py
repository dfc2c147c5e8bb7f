"""Samples and copier.yml: committed renders stay in step with templates and models."""

from __future__ import annotations

import shutil
from pathlib import Path

import copier
import pytest

from generator import check_samples, generate, list_samples, make_spec, regenerate_samples
from generator import samples as samples_module
from generator.render.atomic import list_files
from generator.resources import (
    copy_template,
    recorded_template_version,
    renderable,
    template_root,
)
from generator.samples import compare_trees
from generator.spec.copier_yml import render_copier_yml


@pytest.fixture
def workspace(tmp_path: Path, repo: Path) -> tuple[Path, Path]:
    """A copy of the template root and the samples that a test may edit."""
    copy_template(repo, tmp_path)
    shutil.copytree(repo / "samples", tmp_path / "samples")
    return tmp_path, tmp_path / "samples"


def test_copier_yml_is_generated_from_the_models() -> None:
    committed = (template_root() / "copier.yml").read_text(encoding="utf-8")
    assert committed == render_copier_yml(), "run `scaffold samples regenerate`"


def test_committed_samples_are_current(cli) -> None:
    result = cli("samples", "regenerate", "--check")
    assert result.exit_code == 0, result.stderr
    report = check_samples()
    assert report.clean
    assert {item.name for item in report.items} >= {
        "web-postgres",
        "web-internal",
        "batch",
        "event-sqs",
        "event-sns",
        "copier.yml",
    }


def test_check_fails_after_a_template_edit(workspace: tuple[Path, Path]) -> None:
    root, samples = workspace
    gitignore = root / "templates" / "_shared" / "gitignore.jinja"
    gitignore.write_text(gitignore.read_text() + "*.bak\n")
    report = check_samples(samples, root)
    assert not report.clean
    drifted = {item.name for item in report.items if item.status == "drift"}
    assert "web-postgres" in drifted and "event-sqs" in drifted
    change = next(c for i in report.items for c in i.changes if c.path == ".gitignore")
    assert change.kind == "changed"
    assert "+*.bak" in change.diff
    regenerate_samples(samples, root)
    assert check_samples(samples, root).clean


def test_check_cli_exits_1_and_summarises_the_diff(
    cli, workspace: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, samples = workspace
    (root / "templates" / "_shared" / "editorconfig.jinja").write_text("root = true\n")
    monkeypatch.setattr(samples_module, "default_samples_dir", lambda: samples)
    monkeypatch.setattr(samples_module, "template_root", lambda: root)
    result = cli("samples", "regenerate", "--check")
    assert result.exit_code == 1
    assert "changed .editorconfig" in result.stderr
    assert "-indent_style = space" in result.stderr
    assert "scaffold samples regenerate" in result.stderr


def test_check_reports_copier_yml_drift(workspace: tuple[Path, Path]) -> None:
    root, samples = workspace
    copier_yml = root / "copier.yml"
    copier_yml.write_text(copier_yml.read_text().replace("default: 8080", "default: 8081"))
    report = check_samples(samples, root)
    assert not report.clean
    assert report.items[0].name == "copier.yml" and report.items[0].status == "drift"


def test_added_and_removed_files_are_reported(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    (old / "gone.txt").write_text("x")
    (new / "fresh.txt").write_text("y")
    kinds = {c.path: c.kind for c in compare_trees(old, new)}
    assert kinds == {"gone.txt": "removed", "fresh.txt": "added"}


def test_list_samples_for_ci_matrices() -> None:
    listed = {s.sample: s for s in list_samples()}
    assert listed["batch"].type == "batch-service"
    assert Path(listed["batch"].path).is_dir()


@pytest.mark.parametrize("sample", ["web-postgres", "batch", "event-sns"])
def test_plain_copier_copy_renders_what_scaffold_renders(
    tmp_path: Path, repo: Path, sample: str
) -> None:
    definition = samples_module.load_samples(repo / "samples")[sample]
    spec = make_spec(definition.type, definition.name)
    spec = type(spec).model_validate({**definition.answers, "name": definition.name})
    ours = Path(generate(spec, tmp_path / "scaffold").destination)
    plain = tmp_path / "copier"
    # Copier itself, on a non-git copy of the template root (a git root would be cloned)
    copier.run_copy(
        str(renderable(template_root())),
        str(plain),
        data=spec.answers(),
        defaults=True,
        quiet=True,
    )
    assert list_files(ours) == list_files(plain)
    differing = [c.path for c in compare_trees(ours, plain)]
    # only the template's location and version (plain Copier records no version from a folder)
    assert differing == [".copier-answers.yml"]
    ours_answers = (ours / ".copier-answers.yml").read_text().splitlines()
    plain_answers = (plain / ".copier-answers.yml").read_text().splitlines()
    # what is true of the checkout (issue 16): its tag, `git describe`, or the commit
    assert f"_commit: {recorded_template_version(template_root())}" in ours_answers
    recorded = ("_src_path", "_commit")
    assert [line for line in ours_answers if not line.startswith(recorded)] == [
        line for line in plain_answers if not line.startswith(recorded)
    ]


def test_plain_copier_applies_the_generated_validators(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must match"):
        copier.run_copy(
            str(renderable(template_root())),
            str(tmp_path / "o"),
            defaults=True,
            quiet=True,
            data={"service_type": "web-service", "name": "Bad Name"},
        )


def test_a_checkout_is_rendered_from_a_content_addressed_copy(tmp_path: Path) -> None:
    root = template_root()
    staged = renderable(root)
    if (root / ".git").exists():
        assert (
            staged != root
            and (staged / "copier.yml").read_text() == (root / "copier.yml").read_text()
        )
        assert renderable(root) == staged  # same content, same copy
        assert not (staged / "samples").exists()
    assert renderable(tmp_path) == tmp_path  # not a git root: used as it is
