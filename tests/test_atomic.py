"""Writing a repository is all or nothing, never replaces what it must not, never follows a link.

Each test attacks `scaffold new` (or `export backstage`, which writes the same way) from the
CLI: a file that appears during the render, a second run into the same folder, a file/folder
clash under --force, a failure or a signal injected before every single step of the move, a
symbolic link on the write path. Afterwards the destination must be exactly as before (or
exactly the new repository), and no staging folder may be left behind.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.render import transaction
from generator.render.copier_source import CopierSource

Snapshot = dict[str, bytes | str | None]


def snapshot(root: Path) -> Snapshot:
    """Every entry below `root`: file bytes, link targets (as text), folders (None)."""
    found: Snapshot = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = "-> " + os.readlink(path)
        elif path.is_dir():
            found[rel] = None
        else:
            found[rel] = path.read_bytes()
    return found


def user_folder(root: Path) -> Path:
    """A folder a user already works in, with files scaffold also generates."""
    root.mkdir()
    (root / "notes.txt").write_text("my notes\n")
    (root / ".editorconfig").write_text("# mine\nroot = true\n")
    (root / "docs").mkdir()
    (root / "docs" / "runbook.md").write_text("# my runbook\n")
    return root


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if "scaffold-" in p.name)


class StepHook:
    """Counts the steps of the move; at step `at`, runs `action` (an injected failure)."""

    def __init__(self, at: int = -1, action: Callable[[str, str], None] | None = None) -> None:
        self.at = at
        self.action = action
        self.steps: list[tuple[str, str]] = []

    def __call__(self, kind: str, rel: str) -> None:
        self.steps.append((kind, rel))
        if len(self.steps) - 1 == self.at and self.action is not None:
            self.action(kind, rel)


def disk_full(kind: str, rel: str) -> None:
    raise OSError(errno.ENOSPC, "No space left on device", rel)


def send(signum: int) -> Callable[[str, str], None]:
    def action(kind: str, rel: str) -> None:
        os.kill(os.getpid(), signum)

    return action


# -- item 3: without --force nothing that exists is ever replaced ------------------------------


def test_a_file_written_into_the_destination_during_the_render_is_kept(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "svc"
    dest.mkdir()  # empty: accepted without --force
    render = CopierSource.render

    def render_then_user_writes(self, template, answers, into) -> None:
        render(self, template, answers, into)
        (dest / ".editorconfig").write_text("# the user's, written meanwhile\n")

    monkeypatch.setattr(CopierSource, "render", render_then_user_writes)
    result = cli("new", "batch", "nightly-report", "--defaults", "-o", str(dest))

    assert result.exit_code == 2, result.output
    assert "no longer empty" in result.stderr and "nothing was written" in result.stderr
    assert snapshot(dest) == {".editorconfig": b"# the user's, written meanwhile\n"}
    assert leftovers(tmp_path) == []


def test_a_second_run_into_the_same_folder_does_not_mix_two_services(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "svc"
    render = CopierSource.render
    calls = []

    def render_while_another_run_finishes(self, template, answers, into) -> None:
        render(self, template, answers, into)
        calls.append(answers["name"])
        if len(calls) == 1:  # the other `scaffold new` finishes first, into the same folder
            other = cli("new", "event", "payment-events", "--defaults", "-o", str(dest))
            assert other.exit_code == 0, other.output

    monkeypatch.setattr(CopierSource, "render", render_while_another_run_finishes)
    first = cli("new", "batch", "nightly-report", "--defaults", "-o", str(dest))

    assert first.exit_code == 2, first.output
    assert "nothing was written" in first.stderr
    answers = (dest / ".copier-answers.yml").read_text()
    assert "service_type: event-service" in answers and "nightly" not in answers
    assert not (dest / "src" / "nightly_report").exists()
    assert leftovers(tmp_path) == []


def test_a_file_appearing_just_before_its_own_move_is_not_replaced(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "svc"
    dest.mkdir()

    def user_writes_the_same_file(kind: str, rel: str) -> None:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text("the user's\n")

    hook = StepHook(at=5, action=user_writes_the_same_file)
    monkeypatch.setattr(transaction, "_before_step", hook)
    result = cli("new", "batch", "nightly-report", "--defaults", "-o", str(dest))

    assert result.exit_code == 2, result.output
    kind, rel = hook.steps[5]
    assert kind == "place"
    assert (dest / rel).read_text() == "the user's\n"  # never replaced
    assert [p for p, v in snapshot(dest).items() if v is not None] == [rel]  # the rest undone
    assert leftovers(tmp_path) == []


# -- item 4: --force (and an empty destination) is all or nothing ------------------------------


def test_a_file_folder_clash_under_force_changes_nothing(cli, tmp_path: Path) -> None:
    dest = user_folder(tmp_path / "svc")
    (dest / "README.md").mkdir()  # the template writes a file README.md
    (dest / "README.md" / "draft.txt").write_text("a folder where the template has a file\n")
    before = snapshot(dest)

    result = cli("new", "batch", "nightly-report", "--defaults", "-o", str(dest), "--force")

    assert result.exit_code == 2, result.output
    assert "cannot replace the folder" in result.stderr and "Nothing was written" in result.stderr
    assert snapshot(dest) == before
    assert leftovers(tmp_path) == []


def _export(cli, dest: Path):
    return cli("export", "backstage", "web", "-o", str(dest), "--force")


def test_a_failure_at_any_step_of_a_forced_write_restores_every_file(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "template.yaml").write_text("# mine\n")
    (dest / "README.md").write_text("# my readme\n")
    (dest / "keep.txt").write_text("not scaffold's\n")
    before = snapshot(dest)
    counting = StepHook()
    monkeypatch.setattr(transaction, "_before_step", counting)
    scratch = tmp_path / "scratch"
    shutil.copytree(dest, scratch)
    assert _export(cli, scratch).exit_code == 0
    kinds = {kind for kind, _ in counting.steps}
    assert {"backup", "place", "mkdir"} <= kinds, counting.steps

    for at in range(len(counting.steps)):
        monkeypatch.setattr(transaction, "_before_step", StepHook(at, disk_full))
        result = _export(cli, dest)
        assert result.exit_code == 2, (at, result.output)
        assert "No space left on device" in result.stderr, result.stderr
        assert "nothing was written" in result.stderr
        assert snapshot(dest) == before, f"step {at} {counting.steps[at]} left changes"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "scratch"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_at_any_step_of_a_forced_write_restores_every_file(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "template.yaml").write_text("# mine\n")
    (dest / "skeleton").mkdir()
    (dest / "skeleton" / "catalog-info.yaml").write_text("# my catalog entry\n")
    before = snapshot(dest)
    counting = StepHook()
    monkeypatch.setattr(transaction, "_before_step", counting)
    scratch = tmp_path / "scratch"
    shutil.copytree(dest, scratch)
    assert _export(cli, scratch).exit_code == 0

    for at in range(len(counting.steps)):
        monkeypatch.setattr(transaction, "_before_step", StepHook(at, send(signum)))
        result = _export(cli, dest)
        assert result.exit_code == 128 + signum, (at, result.output)
        assert "nothing was left half-written" in result.stderr
        assert snapshot(dest) == before, f"step {at} {counting.steps[at]} left changes"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "scratch"]
    assert signal.getsignal(signum) is not None  # the handlers were restored


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_scaffold_new_force_is_all_or_nothing(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    dest = user_folder(tmp_path / "svc")
    before = snapshot(dest)
    counting = StepHook()
    monkeypatch.setattr(transaction, "_before_step", counting)
    ok = cli("new", "batch", "nightly-report", "--defaults", "-o", str(tmp_path / "x"))
    assert ok.exit_code == 0
    assert counting.steps == []  # a new folder is one rename, no steps
    scratch = tmp_path / "scratch"
    shutil.copytree(dest, scratch)
    forced = cli("new", "batch", "nightly-report", "--defaults", "-o", str(scratch), "--force")
    assert forced.exit_code == 0
    assert "replaced 2 existing files: .editorconfig, docs/runbook.md" in forced.stderr
    assert (scratch / "notes.txt").read_text() == "my notes\n"
    total = len(counting.steps)
    at = {"first": 0, "middle": total // 2, "last": total - 1}[where]

    monkeypatch.setattr(transaction, "_before_step", StepHook(at, send(signal.SIGTERM)))
    result = cli("new", "batch", "nightly-report", "--defaults", "-o", str(dest), "--force")

    assert result.exit_code == 143, result.output
    assert snapshot(dest) == before
    assert leftovers(tmp_path) == []


def test_a_failure_moving_into_an_empty_folder_leaves_it_empty(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "svc"
    dest.mkdir()
    monkeypatch.setattr(transaction, "_before_step", StepHook(40, disk_full))
    result = cli("new", "batch", "nightly-report", "--defaults", "-o", str(dest))
    assert result.exit_code == 2, result.output
    assert dest.is_dir() and list(dest.iterdir()) == []
    assert leftovers(tmp_path) == []


# -- item 5: nothing is written through a symbolic link ----------------------------------------


def test_force_never_writes_through_a_symlinked_folder(cli, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "CANARY").write_text("untouched\n")
    dest = tmp_path / "svc"
    dest.mkdir()
    (dest / "docs").symlink_to(outside)
    (dest / "notes.txt").write_text("mine\n")
    before = snapshot(dest)

    result = cli("new", "batch", "nightly-report", "--defaults", "-o", str(dest), "--force")

    assert result.exit_code == 2, result.output
    assert "symbolic link" in result.stderr and "Nothing was written" in result.stderr
    assert snapshot(outside) == {"CANARY": b"untouched\n"}
    assert snapshot(dest) == before


def test_a_symlinked_folder_swapped_in_during_the_move_is_not_followed(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    dest = user_folder(tmp_path / "svc")

    def swap_docs_for_a_link(kind: str, rel: str) -> None:
        shutil.rmtree(dest / "docs")
        (dest / "docs").symlink_to(outside)

    monkeypatch.setattr(transaction, "_before_step", StepHook(0, swap_docs_for_a_link))
    result = cli("new", "batch", "nightly-report", "--defaults", "-o", str(dest), "--force")

    assert result.exit_code == 2, result.output
    assert "symbolic link" in result.stderr
    assert list(outside.iterdir()) == []
    assert (dest / "notes.txt").read_text() == "my notes\n"
    assert (dest / ".editorconfig").read_text() == "# mine\nroot = true\n"


@pytest.mark.parametrize("target", ["folder", "dangling"])
def test_a_destination_that_is_a_symlink_is_refused(cli, tmp_path: Path, target: str) -> None:
    outside = tmp_path / "outside"
    if target == "folder":
        outside.mkdir()
    link = tmp_path / "svc"
    link.symlink_to(outside)
    result = cli("new", "batch", "nightly-report", "--defaults", "-o", str(link))
    assert result.exit_code == 2, result.output
    assert "is a symbolic link" in result.stderr and "internal error" not in result.stderr
    assert link.is_symlink() and (not outside.exists() or list(outside.iterdir()) == [])


# -- item 10: destinations that used to crash (exit 70) are bad input --------------------------


def test_unusable_destinations_are_bad_input(cli, tmp_path: Path) -> None:
    cases = {
        "~nosuchuser-scaffold/x": "cannot use",
        str(tmp_path / ("a" * 300)): "folder names take at most 255",
    }
    for output, message in cases.items():
        result = cli("new", "batch", "nightly-report", "--defaults", "-o", output)
        assert result.exit_code == 2, result.output
        assert message in result.stderr and "internal error" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_empty_read_only_destination_is_bad_input(cli, tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    dest.mkdir()
    if os.geteuid() == 0:  # root writes anywhere: only the immutable attribute stops it
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a folder read-only")
        made = subprocess.run(["chattr", "+i", str(dest)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip(f"running as root and chattr +i failed: {made.stderr.decode().strip()}")
    else:
        dest.chmod(0o555)
    try:
        result = cli("new", "batch", "nightly-report", "--defaults", "-o", str(dest))
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(dest)], check=False)
        dest.chmod(0o755)
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.stderr
    assert "not writable" in result.stderr or "nothing was written" in result.stderr
    assert list(dest.iterdir()) == []


# -- the same class of bug next door: `scaffold adr new` ----------------------------------------


def test_adr_new_never_writes_through_a_link_and_writes_both_files_or_neither(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "svc"
    assert cli("new", "batch", "nightly-report", "--defaults", "-o", str(repo)).exit_code == 0
    outside = tmp_path / "outside"
    shutil.copytree(repo / "docs" / "adr", outside)
    shutil.rmtree(repo / "docs" / "adr")
    (repo / "docs" / "adr").symlink_to(outside)
    before = snapshot(outside)

    linked = cli("adr", "new", "Use Aurora", "--repo", str(repo))

    assert linked.exit_code == 2 and "symbolic link" in linked.stderr, linked.output
    assert snapshot(outside) == before
    (repo / "docs" / "adr").unlink()
    shutil.copytree(outside, repo / "docs" / "adr")
    index = (repo / "docs" / "adr" / "README.md").read_text()
    # the index: backed up, then its move fails after the record is in place
    monkeypatch.setattr(transaction, "_before_step", StepHook(3, disk_full))

    failed = cli("adr", "new", "Use Aurora", "--repo", str(repo))

    assert failed.exit_code == 2, failed.output
    assert (repo / "docs" / "adr" / "README.md").read_text() == index
    assert not list((repo / "docs" / "adr").glob("0003-*"))
    assert leftovers(repo) == []
