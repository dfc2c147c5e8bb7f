"""Generated from a source checkout: `_commit` records what is true, and check/update work from it.

A checkout at a release tag records the tag; past one, `git describe` output (v1.0.0-1-g<sha>,
what Copier records too); with no release tag, the commit alone. `scaffold check` and
`scaffold update` start from each of them.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from gitrepo import IDENTITY, git
from test_update import commit, snapshot

from generator.api import generate, make_spec
from generator.resources import copy_template, recorded_template_version, template_root

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository of scaffold's templates with one commit and no tag."""
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(tmp_path / "cache"))
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    root = copy_template(template_root(), tmp_path / "templates")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "templates")
    return root


def head(root: Path, length: int = 12) -> str:
    return git(root, "rev-parse", "HEAD").strip()[:length]


def new_service(checkout: Path, out: Path) -> dict:
    """`generate` with the defaults a user gets: the version is the checkout's, not a given one."""
    spec = make_spec("batch", "nightly-report", data=["owner_team=analytics"])
    generate(spec, out, template_dir=checkout, template_source=str(checkout))
    git(out, "init", "-q")
    commit(out, "generated")
    return yaml.safe_load((out / ".copier-answers.yml").read_text())


def edit_template(checkout: Path, line: str) -> None:
    path = checkout / "templates/_shared/editorconfig.jinja"
    path.write_text(path.read_text() + f"\n# {line}\n")
    git(checkout, "commit", "-q", "-am", line)


def test_a_checkout_records_its_tag_its_describe_or_its_commit(checkout: Path) -> None:
    assert recorded_template_version(checkout) == head(checkout)  # no release tag at all
    git(checkout, "tag", "v1.0.0")
    assert recorded_template_version(checkout) == "v1.0.0"
    git(checkout, "tag", "not-a-release")  # other tags are not versions
    edit_template(checkout, "after v1")
    assert recorded_template_version(checkout) == f"v1.0.0-1-g{head(checkout)}"


def test_check_and_update_from_an_untagged_checkout(checkout: Path, tmp_path: Path, cli) -> None:
    repo = tmp_path / "service"
    assert new_service(checkout, repo)["_commit"] == head(checkout)
    current = cli("check", str(repo))
    assert current.exit_code == 0, current.output
    assert f"no template release is newer than {head(checkout)}" in current.stderr
    assert "every file matches" in current.stderr
    nothing = cli("update", str(repo))
    assert nothing.exit_code == 0 and "nothing to do" in nothing.stderr

    edit_template(checkout, "release two")
    git(checkout, "tag", "v2.0.0")
    behind = cli("check", str(repo), "--json")
    assert behind.exit_code == 1, behind.output
    assert json.loads(behind.stdout)["versions_behind"] == ["v2.0.0"]
    updated = json.loads(cli("update", str(repo), "--json").stdout)
    assert {c["path"]: c["action"] for c in updated["changes"]} == {".editorconfig": "updated"}
    assert "# release two" in (repo / ".editorconfig").read_text()
    assert "_commit: v2.0.0" in (repo / ".copier-answers.yml").read_text()


def test_check_and_update_from_a_commit_after_a_release(
    checkout: Path, tmp_path: Path, cli
) -> None:
    git(checkout, "tag", "v1.0.0")
    edit_template(checkout, "unreleased")
    repo = tmp_path / "service"
    described = f"v1.0.0-1-g{head(checkout)}"
    assert new_service(checkout, repo)["_commit"] == described
    current = cli("check", str(repo))
    assert current.exit_code == 0 and "every file matches" in current.stderr, current.output
    refused = cli("update", str(repo), "--to", "v1.0.0")
    assert refused.exit_code == 2 and "does not downgrade" in refused.stderr

    edit_template(checkout, "release two")
    git(checkout, "tag", "v2.0.0")
    assert cli("update", str(repo)).exit_code == 0
    fresh = tmp_path / "fresh"
    spec = make_spec("batch", "nightly-report", data=["owner_team=analytics"])
    generate(spec, fresh, template_dir=checkout, template_source=str(checkout))
    assert snapshot(repo) == snapshot(fresh)  # the same as generating at v2.0.0


def test_a_recorded_release_that_does_not_exist_says_what_to_do(
    checkout: Path, tmp_path: Path, cli
) -> None:
    """What scaffold 0.2.0 recorded from an untagged checkout: `_commit: v0.2.0`."""
    repo = tmp_path / "service"
    new_service(checkout, repo)
    answers = repo / ".copier-answers.yml"
    answers.write_text(re.sub(r"_commit: .*", "_commit: v0.2.0", answers.read_text()))
    commit(repo, "as recorded by scaffold 0.2.0")
    result = cli("check", str(repo))
    assert result.exit_code == 2, result.output
    assert "has no release v0.2.0" in result.stderr and "it has no release tags" in result.stderr
    assert "set _commit to the commit it was generated from" in result.stderr
    # the README's line explains exit 1 only; exit 2 stops the script with scaffold's message
    from test_readme import bash, block

    line = block("update").splitlines()[0]
    done = bash(line, repo)
    assert done.returncode != 0 and "has no release v0.2.0" in done.stderr
    assert "newer template version exists" not in done.stdout + done.stderr


def test_scaffold_new_from_this_checkout_records_its_describe(cli, tmp_path: Path) -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout (an sdist): nothing to describe")
    described = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--tags", "--always", "--abbrev=12",
         "--match", "v[0-9]*", "--match", "[0-9]*", "HEAD"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    out = tmp_path / "svc"
    assert cli("new", "batch", "nightly-report", "--defaults", "-o", str(out)).exit_code == 0
    answers = yaml.safe_load((out / ".copier-answers.yml").read_text())
    assert answers["_commit"] == described and answers["_src_path"] == str(REPO)
