"""`scaffold update` and `check` against a hostile repository: its answers file, its links, its
.gitignore, a second update at the same time, a failure in the middle of the writes."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest
import test_update
from gitrepo import git
from test_signals import killed_at_step
from test_update import Templates, commit, generated, snapshot, update_json

from generator.render import transaction

templates = test_update.templates  # the fixture: a template repository released as v1.0.0


def set_answer(repo: Path, key: str, value: str) -> None:
    path = repo / ".copier-answers.yml"
    lines = [line for line in path.read_text().splitlines() if not line.startswith(f"{key}:")]
    path.write_text("\n".join([*lines, f"{key}: {value}"]) + "\n")


def status(repo: Path) -> str:
    return git(repo, "status", "--porcelain", "--untracked-files=all", "--ignored")


# -- item 2: values from the answers file never reach git as options --------------------------


@pytest.mark.parametrize(
    "source",
    ["--upload-pack=touch {canary}; git-upload-pack", "ext::sh -c touch% {canary}"],
    ids=["option", "ext-transport"],
)
def test_a_template_source_cannot_run_a_command(
    templates: Templates, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    canary = tmp_path / "CANARY"
    repo = generated(templates, tmp_path)
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    git(repo, "remote", "add", "origin", str(origin))  # a local origin: upload-pack runs here
    git(repo, "push", "-q", "origin", "HEAD")
    set_answer(repo, "_src_path", "'" + source.format(canary=canary) + "'")
    commit(repo, "a hostile template source")
    monkeypatch.chdir(repo)

    for command in (["check"], ["update"], ["update", "--dry-run"]):
        result = cli(*command)
        assert result.exit_code in (2, 5), result.output
        assert not canary.exists(), f"{command} ran the command in _src_path"
    refused = cli("check")
    if source.startswith("-"):
        assert refused.exit_code == 2 and "starts with '-'" in refused.stderr
    new = cli("new", "--template", source.format(canary=canary), "-o", str(tmp_path / "o"))
    assert new.exit_code == 2 and not canary.exists()


# -- item 5: never through a symbolic link -----------------------------------------------------


@pytest.mark.heavy  # a whole update scenario: make test, not make check
def test_update_never_reads_or_writes_through_links(
    templates: Templates, tmp_path: Path, cli
) -> None:
    outside = tmp_path / "outside"
    repo = generated(templates, tmp_path)
    (repo / "docs").rename(outside)
    (repo / "docs").symlink_to(outside)  # the repository's docs live elsewhere
    (outside / "secret.md").write_text("not the repository's\n")
    (repo / "CONTRIBUTING.md").unlink()
    (repo / "CONTRIBUTING.md").symlink_to(outside / "secret.md")
    commit(repo, "docs and CONTRIBUTING.md are links")
    before = snapshot(outside)
    templates.edit("templates/_shared/docs/runbook.md.jinja", lambda t: t + "\nv2 runbook\n")
    templates.edit("templates/_shared/CONTRIBUTING.md.jinja", lambda t: t + "\nv2 rule\n")
    templates.edit("templates/_shared/editorconfig.jinja", lambda t: t + "\n# v2\n")
    templates.release("v2.0.0")

    dry = update_json(cli, repo, 3, "--dry-run")
    assert "not the repository's" not in dry["diff"]  # nothing read through the link
    data = update_json(cli, repo, 3)

    assert "docs/runbook.md" in data["conflicts"] and "CONTRIBUTING.md" in data["conflicts"]
    detail = next(c["detail"] for c in data["changes"] if c["path"] == "docs/runbook.md")
    assert "symbolic link" in detail
    assert snapshot(outside) == before
    assert (repo / "CONTRIBUTING.md").is_symlink() and (repo / "docs").is_symlink()
    assert "# v2" in (repo / ".editorconfig").read_text()  # the rest was updated
    drift = cli("check", str(repo), "--json")
    assert drift.exit_code == 1  # links count as drift; never followed


# -- item 6: one update at a time ---------------------------------------------------------------


@pytest.mark.heavy  # a whole update scenario: make test, not make check
def test_a_second_update_in_the_same_repository_is_refused(
    templates: Templates, tmp_path: Path, cli
) -> None:
    repo = generated(templates, tmp_path)
    templates.edit("templates/_shared/editorconfig.jinja", lambda t: t + "\n# v2\n")
    templates.release("v2.0.0")
    before = snapshot(repo)
    holder = subprocess.Popen(  # another process in the middle of an update
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; "
            "from generator.update.lock import repository_lock\n"
            "with repository_lock(Path(sys.argv[1])):\n"
            "    print('locked', flush=True); sys.stdin.read()",
            str(repo),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        busy = cli("update", str(repo))
        assert busy.exit_code == 2, busy.output
        assert f"process {holder.pid}" in busy.stderr and "Nothing was changed" in busy.stderr
        assert snapshot(repo) == before
    finally:
        holder.communicate("")
    assert cli("update", str(repo)).exit_code == 0  # released when the holder ended
    assert "# v2" in (repo / ".editorconfig").read_text()


# -- item 12: paths git ignores -------------------------------------------------------------


@pytest.mark.heavy  # a whole update scenario: make test, not make check
def test_update_does_not_write_into_files_git_ignores(
    templates: Templates, tmp_path: Path, cli
) -> None:
    repo = generated(templates, tmp_path)
    git(repo, "rm", "-q", "--cached", "docs/runbook.md")
    with (repo / ".gitignore").open("a") as handle:
        handle.write("docs/runbook.md\n")
    commit(repo, "our runbook lives outside git")
    runbook = repo / "docs/runbook.md"
    runbook.write_text(runbook.read_text() + "\nOur private notes.\n")
    templates.edit("templates/_shared/docs/runbook.md.jinja", lambda t: t + "\nv2 runbook\n")
    templates.edit("templates/_shared/editorconfig.jinja", lambda t: t + "\n# v2\n")
    templates.release("v2.0.0")
    mine = runbook.read_bytes()

    data = update_json(cli, repo, 3)

    assert data["conflicts"] == ["docs/runbook.md"]
    detail = next(c["detail"] for c in data["changes"] if c["path"] == "docs/runbook.md")
    assert "git ignores this path" in detail
    assert runbook.read_bytes() == mine  # no markers git could not show or revert
    assert "# v2" in (repo / ".editorconfig").read_text()


# -- item 10: a hostile answer is bad input, not an internal error ----------------------------


# Copier leaves a directory iterator open when it refuses a path: its ResourceWarning, not ours
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_answer_that_renders_a_path_outside_is_bad_input(
    templates: Templates, tmp_path: Path, cli
) -> None:
    repo = generated(templates, tmp_path)
    set_answer(repo, "package", "../..")
    commit(repo, "a package that climbs out")
    templates.edit("templates/_shared/editorconfig.jinja", lambda t: t + "\n# v2\n")
    templates.release("v2.0.0")
    before = snapshot(repo)
    for command in ("update", "check"):
        result = cli(command, str(repo))
        assert result.exit_code == 2, result.output
        assert "cannot be rendered with the answers" in result.stderr
        assert "internal error" not in result.stderr
    assert snapshot(repo) == before
    assert not list(tmp_path.glob("*/__init__.py"))


# -- item 4 for update: all or nothing ----------------------------------------------------------


@pytest.mark.heavy  # a whole update scenario: make test, not make check
def test_a_failure_in_the_middle_of_an_update_changes_nothing(
    templates: Templates, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = generated(templates, tmp_path)
    templates.edit("templates/_shared/editorconfig.jinja", lambda t: t + "\n# v2\n")
    templates.edit("templates/_shared/docs/runbook.md.jinja", lambda t: t + "\nv2 runbook\n")
    templates.path("templates/batch/docs/new-page.md").write_text("# new in v2\n")
    templates.release("v2.0.0")
    before = snapshot(repo)
    steps: list[str] = []

    def full_disk_at_the_fourth_step(kind: str, rel: str) -> None:
        steps.append(f"{kind} {rel}")
        if len(steps) == 4:
            raise OSError(errno.ENOSPC, "No space left on device", rel)

    monkeypatch.setattr(transaction, "_before_step", full_disk_at_the_fourth_step)
    result = cli("update", str(repo))

    assert result.exit_code == 2, result.output
    assert "nothing was written" in result.stderr
    assert snapshot(repo) == before and status(repo) == ""
    assert not [p for p in (repo / ".git").iterdir() if "scaffold-" in p.name and p.is_dir()]


@pytest.mark.heavy  # a whole update scenario: make test, not make check
def test_a_killed_update_is_rolled_back_by_the_next_one(
    templates: Templates, tmp_path: Path, cli
) -> None:
    repo = generated(templates, tmp_path)
    templates.edit("templates/_shared/editorconfig.jinja", lambda t: t + "\n# v2\n")
    templates.edit("templates/_shared/docs/runbook.md.jinja", lambda t: t + "\nv2 runbook\n")
    templates.release("v2.0.0")
    before = snapshot(repo)
    killed = killed_at_step(4, "update", str(repo))  # between two steps of the writes
    assert killed.returncode == -9, killed.stderr
    assert snapshot(repo) != before  # half-written, and a work folder with the backups left
    assert [p for p in (repo / ".git").iterdir() if p.name.startswith("scaffold-") and p.is_dir()]

    dry = cli("update", str(repo), "--dry-run")  # the next run rolls the killed one back first

    assert dry.exit_code == 0, dry.output
    assert snapshot(repo) == before and status(repo) == ""
    assert not [
        p for p in (repo / ".git").iterdir() if p.name.startswith("scaffold-") and p.is_dir()
    ]
    assert cli("update", str(repo)).exit_code == 0


def test_update_data_carrying_a_secret_is_refused_and_nothing_changes(
    templates: Templates, tmp_path: Path, cli
) -> None:
    repo = generated(templates, tmp_path)
    before = snapshot(repo)
    result = cli("update", str(repo), "--data", "description=Orders API, key AKIAIOSFODNN7EXAMPLE")
    assert result.exit_code == 2, result.output
    assert "description: looks like a secret (AWS access key id)" in result.stderr
    assert snapshot(repo) == before and status(repo) == ""
