"""`scaffold update` and `scaffold check` against a local git repository of the templates.

Each test copies scaffold's own templates into a fresh git repository tagged v1.0.0, generates
a service from it, commits it, changes the templates and tags v2.0.0, then updates. Every
scenario asserts that no line the user wrote was lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from gitrepo import IDENTITY, git

from generator.api import generate, make_spec
from generator.render.atomic import list_files
from generator.resources import copy_template, template_root


class Templates:
    """A git repository holding a copy of scaffold's templates, released by tags."""

    def __init__(self, root: Path) -> None:
        self.root = root
        copy_template(template_root(), root)
        git(root, "init", "-q")
        self.release("v1.0.0")

    def path(self, rel: str) -> Path:
        return self.root / rel

    def edit(self, rel: str, change: Callable[[str], str]) -> None:
        path = self.path(rel)
        before = path.read_text(encoding="utf-8")
        after = change(before)
        assert after != before, f"the edit of {rel} changed nothing"
        path.write_text(after, encoding="utf-8")

    def renames(self, version: str, *moves: tuple[str, str]) -> None:
        """Declare, in templates/migrations.yml, renames for the update crossing `version`."""
        rename = [{"from": old, "to": new} for old, new in moves]
        document = {"migrations": [{"version": version, "rename": rename}]}
        self.path("templates/migrations.yml").write_text(yaml.safe_dump(document))

    def release(self, tag: str) -> None:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "--allow-empty", "-m", f"release {tag}")
        git(self.root, "tag", tag)


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Templates:
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(tmp_path / "cache"))
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    return Templates(tmp_path / "templates")


def generated(templates: Templates, tmp_path: Path, version: str = "v1.0.0") -> Path:
    """A batch service generated from `templates` at `version`, committed in its own git repo."""
    spec = make_spec("batch", "nightly-report", data=["owner_team=analytics"])
    out = tmp_path / "service"
    generate(
        spec,
        out,
        template_dir=templates.root,
        template_source=str(templates.root),
        template_version=version,
    )
    git(out, "init", "-q")
    commit(out, "generated")
    return out


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def user_edit(repo: Path, rel: str, change: Callable[[str], str]) -> list[str]:
    """Apply the user's change to `rel`; return the lines the user wrote (to find later)."""
    path = repo / rel
    before = path.read_text(encoding="utf-8")
    after = change(before)
    path.write_text(after, encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added, "the user edit must add lines"
    return added


def update_json(cli, repo: Path, exit_code: int = 0, *args: str) -> dict:
    """`scaffold update REPO --json ARGS`, its exit code checked; the parsed answer."""
    result = cli("update", str(repo), "--json", *args)
    assert result.exit_code == exit_code, result.output
    return json.loads(result.stdout)


def snapshot(repo: Path) -> dict[str, bytes]:
    return {p: (repo / p).read_bytes() for p in list_files(repo) if not p.startswith(".git/")}


def assert_lines_kept(repo: Path, rel: str, lines: list[str]) -> None:
    text = (repo / rel).read_text(encoding="utf-8").splitlines()
    missing = [line for line in lines if line not in text]
    assert not missing, f"user lines lost from {rel}: {missing}"


def test_generated_repository_records_source_and_version(templates: Templates, tmp_path) -> None:
    repo = generated(templates, tmp_path)
    answers = (repo / ".copier-answers.yml").read_text()
    assert f"_src_path: {templates.root}" in answers
    assert "_commit: v1.0.0" in answers


def test_clean_update_equals_a_fresh_render_of_the_new_version(
    templates: Templates, tmp_path: Path, cli
) -> None:
    repo = generated(templates, tmp_path)
    templates.edit(
        "templates/_shared/editorconfig.jinja", lambda t: t + "\n[*.sql]\nindent_size = 2\n"
    )
    templates.path("templates/batch/docs/oncall.md.jinja").write_text("# On call for {{ name }}\n")
    templates.path("templates/batch/.pymarkdown.json.jinja").unlink()
    templates.release("v2.0.0")

    data = update_json(cli, repo)
    actions = {c["path"]: c["action"] for c in data["changes"]}
    assert actions == {
        ".editorconfig": "updated",
        "docs/oncall.md": "added",
        ".pymarkdown.json": "deleted",
    }
    assert (data["from_version"], data["to_version"], data["conflicts"]) == ("v1.0.0", "v2.0.0", [])
    fresh = tmp_path / "fresh"
    spec = make_spec("batch", "nightly-report", data=["owner_team=analytics"])
    generate(
        spec,
        fresh,
        template_dir=templates.root,
        template_source=str(templates.root),
        template_version="v2.0.0",
    )
    assert snapshot(repo) == snapshot(fresh)
    assert "_commit: v2.0.0" in (repo / ".copier-answers.yml").read_text()


def test_edits_in_different_places_are_merged(templates: Templates, tmp_path: Path, cli) -> None:
    repo = generated(templates, tmp_path)
    mine = user_edit(
        repo,
        "CONTRIBUTING.md",
        lambda t: t.replace("\n", "\n\nOur team reviews every pull request within a day.\n", 1),
    )
    commit(repo, "our contributing rules")
    templates.edit(
        "templates/_shared/CONTRIBUTING.md.jinja",
        lambda t: t.rstrip("\n") + "\n\nTemplate v2 adds this closing line.\n",
    )
    templates.release("v2.0.0")

    data = update_json(cli, repo)
    changes = {c["path"]: c["action"] for c in data["changes"]}
    assert changes["CONTRIBUTING.md"] == "merged"
    text = (repo / "CONTRIBUTING.md").read_text()
    assert "Template v2 adds this closing line." in text and "<<<<<<<" not in text
    assert_lines_kept(repo, "CONTRIBUTING.md", mine)


def test_same_lines_changed_on_both_sides_conflict_exit_3(
    templates: Templates, tmp_path: Path, cli
) -> None:
    repo = generated(templates, tmp_path)
    mine = user_edit(
        repo, ".editorconfig", lambda t: t.replace("indent_size = 4", "indent_size = 3")
    )
    commit(repo, "three spaces")
    templates.edit(
        "templates/_shared/editorconfig.jinja",
        lambda t: t.replace("indent_size = 4", "indent_size = 8"),
    )
    templates.release("v2.0.0")

    result = cli("update", str(repo))

    assert result.exit_code == 3, result.output
    assert ".editorconfig" in result.stderr and "conflict" in result.stderr
    text = (repo / ".editorconfig").read_text()
    assert "<<<<<<< yours (v1.0.0)" in text and ">>>>>>> template v2.0.0" in text
    assert "indent_size = 8" in text  # the template's side
    assert_lines_kept(repo, ".editorconfig", mine)  # and ours
    assert "_commit: v2.0.0" in (repo / ".copier-answers.yml").read_text()
    assert not list(repo.rglob("*.rej")) and not list(repo.rglob("*.orig"))


def test_deleted_seeded_file_stays_deleted(templates: Templates, tmp_path: Path, cli) -> None:
    repo = generated(templates, tmp_path)
    (repo / "src/nightly_report/interrupts.py").unlink()
    mine = user_edit(repo, "src/nightly_report/job.py", lambda t: t + "\n# our own job step\n")
    commit(repo, "drop the interrupt handler; our own step")
    templates.edit(
        "templates/batch/src/{{package}}/interrupts.py", lambda t: t + "\n# template v2 change\n"
    )
    templates.edit(
        "templates/batch/src/{{package}}/job.py.jinja", lambda t: t + "\n# template v2 change\n"
    )
    templates.release("v2.0.0")

    data = update_json(cli, repo)
    assert not (repo / "src/nightly_report/interrupts.py").exists()
    changes = {c["path"]: c for c in data["changes"]}
    assert changes["src/nightly_report/job.py"]["action"] == "kept"
    assert "seeded" in changes["src/nightly_report/job.py"]["detail"]
    assert "template v2 change" not in (repo / "src/nightly_report/job.py").read_text()
    assert_lines_kept(repo, "src/nightly_report/job.py", mine)


def test_deleted_managed_file_is_restored(templates: Templates, tmp_path: Path, cli) -> None:
    repo = generated(templates, tmp_path)
    (repo / "docs/slo.md").unlink()
    commit(repo, "no SLO doc")
    templates.edit("templates/_shared/editorconfig.jinja", lambda t: t + "\n# v2\n")
    templates.release("v2.0.0")

    data = update_json(cli, repo)
    changes = {c["path"]: c["action"] for c in data["changes"]}
    assert changes["docs/slo.md"] == "restored"
    assert (repo / "docs/slo.md").is_file()


def test_renamed_file_is_moved_by_the_migration_and_keeps_edits(
    templates: Templates, tmp_path: Path, cli
) -> None:
    repo = generated(templates, tmp_path)
    mine = user_edit(
        repo,
        "docs/dr.md",
        lambda t: t.replace("\n", "\n\nOur DR contact is the data platform team.\n", 1),
    )
    commit(repo, "our DR contact")
    old = templates.path("templates/batch/docs/dr.md.jinja")
    moved = templates.path("templates/batch/docs/operations/dr.md.jinja")
    moved.parent.mkdir()
    moved.write_text(old.read_text())
    old.unlink()
    templates.edit(
        "templates/_shared/docs/dr.md.jinja",
        lambda t: t.rstrip("\n") + "\n\nTemplate v2 moved this file.\n",
    )
    templates.renames("2.0.0", ("docs/dr.md", "docs/operations/dr.md"))
    templates.release("v2.0.0")

    data = update_json(cli, repo)
    assert data["migrations"] == ["v2.0.0: rename docs/dr.md -> docs/operations/dr.md"]
    change = next(c for c in data["changes"] if c["path"] == "docs/operations/dr.md")
    assert (change["action"], change["renamed_from"]) == ("merged", "docs/dr.md")
    assert not (repo / "docs/dr.md").exists()
    text = (repo / "docs/operations/dr.md").read_text()
    assert "Template v2 moved this file." in text
    assert_lines_kept(repo, "docs/operations/dr.md", mine)


def test_uncommitted_changes_are_refused_and_nothing_is_touched(
    templates: Templates, tmp_path: Path, cli
) -> None:
    repo = generated(templates, tmp_path)
    mine = user_edit(repo, "README.md", lambda t: t + "\nWork in progress.\n")
    templates.edit("templates/_shared/editorconfig.jinja", lambda t: t + "\n# v2\n")
    templates.release("v2.0.0")
    before = snapshot(repo)

    result = cli("update", str(repo))

    assert result.exit_code == 2
    assert "uncommitted changes (README.md)" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(repo) == before
    assert_lines_kept(repo, "README.md", mine)


def test_downgrade_is_refused_and_nothing_is_touched(
    templates: Templates, tmp_path: Path, cli
) -> None:
    templates.edit("templates/_shared/editorconfig.jinja", lambda t: t + "\n# v2\n")
    templates.release("v2.0.0")
    repo = generated(templates, tmp_path, version="v2.0.0")
    mine = user_edit(repo, "README.md", lambda t: t + "\nOur notes.\n")
    commit(repo, "notes")
    before = snapshot(repo)

    result = cli("update", str(repo), "--to", "v1.0.0")

    assert result.exit_code == 2
    assert "--to v1.0.0 is older than v2.0.0" in result.stderr
    assert snapshot(repo) == before
    assert_lines_kept(repo, "README.md", mine)


def test_dry_run_shows_the_diff_and_writes_nothing(
    templates: Templates, tmp_path: Path, cli
) -> None:
    repo = generated(templates, tmp_path)
    templates.edit(
        "templates/_shared/editorconfig.jinja", lambda t: t + "\n[*.sql]\nindent_size = 2\n"
    )
    templates.release("v2.0.0")
    before = snapshot(repo)

    result = cli("update", str(repo), "--dry-run")

    assert result.exit_code == 0, result.output
    assert "+[*.sql]" in result.stdout and "+_commit: v2.0.0" in result.stdout
    assert snapshot(repo) == before


def test_unknown_version_and_current_version(templates: Templates, tmp_path: Path, cli) -> None:
    repo = generated(templates, tmp_path)
    unknown = cli("update", str(repo), "--to", "v9.0.0")
    assert unknown.exit_code == 2 and "has no version v9.0.0" in unknown.stderr
    bad = cli("update", str(repo), "--to", "latest")
    assert bad.exit_code == 2 and "not a template version" in bad.stderr
    current = cli("update", str(repo))
    assert current.exit_code == 0 and "nothing to do" in current.stderr


def test_not_a_generated_repository(tmp_path: Path, cli) -> None:
    result = cli("update", str(tmp_path))
    assert result.exit_code == 2 and "has no .copier-answers.yml" in result.stderr
    result = cli("check", str(tmp_path), "--json")
    assert result.exit_code == 2 and json.loads(result.stdout)["error"]


def test_unreachable_template_repository_exits_5(templates: Templates, tmp_path: Path, cli) -> None:
    repo = generated(templates, tmp_path)
    answers = repo / ".copier-answers.yml"
    answers.write_text(answers.read_text().replace(str(templates.root), str(tmp_path / "gone")))
    commit(repo, "moved templates")
    result = cli("check", str(repo))
    assert result.exit_code == 5, result.output
    assert "cannot list the versions of the template repository" in result.stderr


def test_check_reports_version_and_content_drift(templates: Templates, tmp_path: Path, cli) -> None:
    repo = generated(templates, tmp_path)
    current = cli("check", str(repo), "--json")
    assert current.exit_code == 0, current.output
    assert json.loads(current.stdout)["ok"] is True

    user_edit(repo, ".editorconfig", lambda t: t + "\n# ours\n")
    user_edit(repo, "src/nightly_report/job.py", lambda t: t + "\n# ours\n")
    (repo / "docs/slo.md").unlink()
    for tag in ("v1.1.0", "v2.0.0rc1", "v2.0.0"):
        templates.edit(
            "templates/_shared/editorconfig.jinja", lambda t, tag=tag: t + f"\n# {tag}\n"
        )
        templates.release(tag)

    result = cli("check", str(repo), "--json")

    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["update_available"] is True
    assert (data["current_version"], data["latest_version"]) == ("v1.0.0", "v2.0.0")
    assert data["versions_behind"] == ["v1.1.0", "v2.0.0"]  # no pre-release
    drift = {d["path"]: (d["owner"], d["state"]) for d in data["content_drift"]}
    assert drift == {
        ".editorconfig": ("managed", "modified"),
        "src/nightly_report/job.py": ("seeded", "modified"),
        "docs/slo.md": ("managed", "missing"),
    }
    assert data["managed_drift"] == 2


def test_ownership_agrees_with_copiers_skip_if_exists(repo: Path) -> None:
    """Plain `copier update` skips exactly the files scaffold treats as seeded."""
    import pathspec
    import yaml

    from generator.update.policy import Ownership

    patterns = yaml.safe_load((repo / "copier.yml").read_text())["_skip_if_exists"]
    skip = pathspec.PathSpec.from_lines("gitignore", patterns)
    owners: dict[str, set[str]] = {}
    for sample in sorted(p for p in (repo / "samples").iterdir() if p.is_dir()):
        service_type = yaml.safe_load((sample / ".copier-answers.yml").read_text())["service_type"]
        ownership = Ownership.load(repo, service_type)
        for path in list_files(sample):
            owner = ownership.owner(path)
            owners.setdefault(owner, set()).add(path)
            assert (owner == "seeded") == skip.match_file(path), path
    assert "src/nightly_report/job.py" in owners["seeded"]
    assert "tests/test_docs.py" in owners["managed"] and "docs/runbook.md" in owners["managed"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("rules:\n  - {path: ../outside, owner: seeded}\n", "relative path inside the repository"),
        ("rules:\n  - {path: src/**, owner: mine}\n", "'managed', 'seeded' or 'unmanaged'"),
        ("rules:\n  - {path: src/**, owner: seeded, extra: 1}\n", "Extra inputs"),
    ],
)
def test_a_broken_ownership_file_is_named(tmp_path: Path, text: str, problem: str) -> None:
    from generator.errors import BadInputError
    from generator.update.policy import REPOSITORY_OWNERSHIP_FILE, Ownership

    (tmp_path / ".scaffold").mkdir()
    (tmp_path / REPOSITORY_OWNERSHIP_FILE).write_text(text)
    with pytest.raises(BadInputError, match=r"\.scaffold/ownership\.yml") as caught:
        Ownership.load(template_root(), "batch-service", tmp_path)
    assert problem in caught.value.message


def test_repository_rules_can_take_a_managed_file_out_of_updates(
    templates: Templates, tmp_path: Path, cli
) -> None:
    repo = generated(templates, tmp_path)
    (repo / ".scaffold").mkdir()
    (repo / ".scaffold/ownership.yml").write_text(
        "rules:\n  - {path: .editorconfig, owner: unmanaged}\n"
    )
    commit(repo, "we own .editorconfig")
    templates.edit("templates/_shared/editorconfig.jinja", lambda t: t + "\n# v2\n")
    templates.release("v2.0.0")

    data = update_json(cli, repo)
    assert data["changes"] == []
    assert "# v2" not in (repo / ".editorconfig").read_text()


def test_readme_update_commands_run_as_written(templates: Templates, tmp_path: Path) -> None:
    from test_readme import bash, block

    repo = generated(templates, tmp_path)
    templates.edit("templates/_shared/editorconfig.jinja", lambda t: t + "\n# v2\n")
    templates.release("v2.0.0")
    done = bash(block("update"), repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "template v1.0.0 is behind v2.0.0" in done.stderr  # check's exit 1 is expected
    assert ".editorconfig" in done.stdout  # the dry run's diff, the table, git diff --stat
    assert "_commit: v2.0.0" in (repo / ".copier-answers.yml").read_text()


def test_plain_copier_update_works_on_a_generated_repository(
    templates: Templates, tmp_path: Path
) -> None:
    """The answers file is Copier's: `copier update` alone also brings the new version."""
    import copier

    repo = generated(templates, tmp_path)
    mine = user_edit(repo, "src/nightly_report/job.py", lambda t: t + "\n# our own job step\n")
    commit(repo, "our step")
    templates.edit(
        "templates/_shared/editorconfig.jinja", lambda t: t + "\n[*.sql]\nindent_size = 2\n"
    )
    templates.edit("templates/batch/src/{{package}}/job.py.jinja", lambda t: t + "\n# v2 step\n")
    templates.release("v2.0.0")

    copier.run_update(str(repo), defaults=True, overwrite=True, quiet=True, conflict="inline")

    assert "[*.sql]" in (repo / ".editorconfig").read_text()
    answers = (repo / ".copier-answers.yml").read_text()
    assert "_commit: v2.0.0" in answers and f"_src_path: {templates.root}" in answers
    # seeded files are Copier's _skip_if_exists: the user's version stays
    assert "# v2 step" not in (repo / "src/nightly_report/job.py").read_text()
    assert_lines_kept(repo, "src/nightly_report/job.py", mine)


def test_a_taken_migration_target_keeps_both_files(
    templates: Templates, tmp_path: Path, cli
) -> None:
    repo = generated(templates, tmp_path)
    mine = user_edit(repo, "docs/dr.md", lambda t: t + "\nOur DR notes.\n")
    (repo / "docs/operations").mkdir()
    (repo / "docs/operations/dr.md").write_text("Our own operations DR page.\n")
    commit(repo, "ours")
    old = templates.path("templates/batch/docs/dr.md.jinja")
    moved = templates.path("templates/batch/docs/operations/dr.md.jinja")
    moved.parent.mkdir()
    moved.write_text(old.read_text())
    old.write_text("# DR index for {{ name }}\n")  # a new file at the old path
    templates.renames("2.0.0", ("docs/dr.md", "docs/operations/dr.md"))
    templates.release("v2.0.0")

    data = update_json(cli, repo, 3)
    conflicts = data["conflicts"]
    assert "docs/operations/dr.md" in conflicts and "docs/dr.md" in conflicts
    assert (repo / "docs/operations/dr.md").read_text() == "Our own operations DR page.\n"
    assert_lines_kept(repo, "docs/dr.md", mine)
    assert "DR index for nightly-report" in (repo / "docs/dr.md").read_text()  # as a conflict


def test_a_file_where_the_template_needs_a_folder_is_a_conflict_not_a_crash(
    templates: Templates, tmp_path: Path, cli
) -> None:
    repo = generated(templates, tmp_path)
    (repo / "docs/operations").write_text("our notes, a file\n")
    commit(repo, "a file named like a folder")
    templates.path("templates/batch/docs/operations").mkdir()
    templates.path("templates/batch/docs/operations/oncall.md").write_text("# On call\n")
    templates.edit("templates/_shared/editorconfig.jinja", lambda t: t + "\n# v2\n")
    templates.release("v2.0.0")

    dry = update_json(cli, repo, 3, "--dry-run")
    data = update_json(cli, repo, 3)

    assert dry["conflicts"] == data["conflicts"] == ["docs/operations/oncall.md"]
    assert (repo / "docs/operations").read_text() == "our notes, a file\n"
    assert "# v2" in (repo / ".editorconfig").read_text()


def test_a_moved_file_keeps_its_mode(templates: Templates, tmp_path: Path, cli) -> None:
    repo = generated(templates, tmp_path)
    script = repo / "scripts/rotate.sh"
    script.write_text("#!/bin/sh\necho rotate\n")
    script.chmod(0o755)
    commit(repo, "our script")
    templates.renames("2.0.0", ("scripts", "tools"))
    templates.release("v2.0.0")

    update_json(cli, repo)
    moved = repo / "tools/rotate.sh"
    assert moved.read_text() == "#!/bin/sh\necho rotate\n" and moved.stat().st_mode & 0o111
    assert not (repo / "scripts/rotate.sh").exists()


def test_crlf_checkouts_merge_like_lf_ones(templates: Templates, tmp_path: Path, cli) -> None:
    repo = generated(templates, tmp_path)
    path = repo / "CONTRIBUTING.md"
    text = path.read_text().replace("\n", "\n\nOur rule.\n", 1)
    path.write_bytes(text.replace("\n", "\r\n").encode())
    commit(repo, "CRLF, as a Windows checkout has it")
    assert cli("check", str(repo), "--json").exit_code == 1  # one managed file edited
    templates.edit("templates/_shared/CONTRIBUTING.md.jinja", lambda t: t + "\nTemplate v2.\n")
    templates.release("v2.0.0")

    update_json(cli, repo)
    merged = path.read_bytes()
    assert b"Our rule.\r\n" in merged and b"Template v2.\r\n" in merged
    assert b"\n" not in merged.replace(b"\r\n", b"")


def test_the_dry_run_diff_is_printed_as_written(templates: Templates, tmp_path: Path, cli) -> None:
    repo = generated(templates, tmp_path)
    templates.edit("templates/_shared/editorconfig.jinja", lambda t: t + "\n# :warning: [b]x[/b]\n")
    templates.release("v2.0.0")
    result = cli("update", str(repo), "--dry-run")
    assert "+# :warning: [b]x[/b]" in result.stdout


def test_two_renames_onto_one_path_move_neither(templates: Templates, tmp_path: Path, cli) -> None:
    repo = generated(templates, tmp_path)
    mine = user_edit(repo, "docs/dr.md", lambda t: t + "\nOur DR notes.\n")
    (repo / "ops").mkdir()
    (repo / "ops/dr.md").write_text("Our ops DR page.\n")
    commit(repo, "two DR pages")
    templates.renames("2.0.0", ("docs/dr.md", "docs/ops/dr.md"), ("ops", "docs/ops"))
    templates.release("v2.0.0")

    data = update_json(cli, repo, 3)
    # docs/dr.md stays where it is and meets the template's own docs/dr.md: a conflict too
    assert data["conflicts"] == ["docs/dr.md", "docs/ops/dr.md"]
    change = next(c for c in data["changes"] if c["path"] == "docs/ops/dr.md")
    assert "docs/dr.md and ops/dr.md" in change["detail"]
    assert (repo / "ops/dr.md").read_text() == "Our ops DR page.\n"
    assert_lines_kept(repo, "docs/dr.md", mine)


@pytest.mark.slow
def test_an_updated_repository_still_passes_verify(
    templates: Templates, tmp_path: Path, cli
) -> None:
    """A module change and a runbook change reach an edited repository, which stays valid."""
    repo = generated(templates, tmp_path)
    mine = user_edit(
        repo,
        "docs/runbook.md",
        lambda t: t.replace("## Overview\n", "## Overview\n\nOn call: the analytics rota.\n", 1),
    )
    mine += user_edit(repo, "src/nightly_report/job.py", lambda t: t + "\n\n# our own step\n")
    commit(repo, "our runbook note and job step")
    templates.edit(
        "terraform/modules/observability/main.tf",
        lambda t: t + "\n# v2: alarm thresholds reviewed\n",
    )
    templates.edit(
        "templates/_shared/docs/runbook.md.jinja",
        lambda t: t.rstrip("\n") + "\n\nReview this runbook after every incident.\n",
    )
    templates.release("v2.0.0")

    data = update_json(cli, repo)
    actions = {c["path"]: c["action"] for c in data["changes"]}
    assert actions == {
        "docs/runbook.md": "merged",
        "infra/modules/observability/main.tf": "updated",
    }
    assert_lines_kept(repo, "docs/runbook.md", mine[:1])
    assert_lines_kept(repo, "src/nightly_report/job.py", mine[1:])
    checks = "terraform-fmt,markdown,runbook,conflicts,yamllint,ruff,secrets"
    verified = cli("verify", str(repo), "--only", checks, "--json")
    assert verified.exit_code == 0, verified.stdout
