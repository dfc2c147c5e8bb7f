"""Placeholder answers (github_org example-org) are reported wherever they decide access."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import generate, make_spec
from generator.cli import new as new_cmd
from generator.verify import verify

SECURITY = {".github/CODEOWNERS", "infra/service/main.tf"}  # the OIDC trust, the reviewers


@pytest.fixture(scope="module")
def defaults_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("placeholders") / "orders-api"
    return Path(generate(make_spec("web", "orders-api"), out).destination)


def test_generate_reports_the_placeholder_and_the_files_it_reached(defaults_repo: Path) -> None:
    result = generate(make_spec("web", "orders-api"), defaults_repo.parent / "dry", dry_run=True)
    (use,) = result.placeholders
    assert (use.field, use.value) == ("github_org", "example-org")
    assert set(use.files) >= SECURITY, use.files
    assert not [f for f in use.files if f.startswith("docs/") or f == "README.md"]
    real = generate(make_spec("web", "orders-api", data=["github_org=acme"]),
                    defaults_repo.parent / "real", dry_run=True)  # fmt: skip
    assert real.placeholders == []


def test_cli_warns_on_stderr_and_reports_in_json(cli, tmp_path: Path) -> None:
    result = cli("new", "batch", "nightly-report", "--defaults", "-o", str(tmp_path / "a"))
    assert result.exit_code == 0, result.output
    assert "warning: github_org is the placeholder 'example-org', which reached" in result.stderr
    assert ".github/CODEOWNERS" in result.stderr and "--data github_org=<organisation>" in (
        result.stderr
    )
    quiet = cli("new", "batch", "nightly-report", "--defaults", "-d", "github_org=acme",
                "-o", str(tmp_path / "b"))  # fmt: skip
    assert quiet.exit_code == 0 and "placeholder" not in quiet.stderr
    as_json = cli("new", "batch", "nightly-report", "--defaults", "--dry-run", "--json",
                  "-d", "owner_team=your-team", "-d", "github_org=acme")  # fmt: skip
    (use,) = json.loads(as_json.stdout)["placeholders"]
    assert use["field"] == "owner_team" and ".github/CODEOWNERS" in use["files"]


def test_the_interactive_summary_lists_placeholders(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(new_cmd, "stdin_is_terminal", lambda: True)
    from generator.spec.models import EventServiceSpec

    replies = [""] * (len(EventServiceSpec.model_fields) - 1) + ["n"]
    result = cli("new", "event", "payments", "-o", str(tmp_path / "o"),
                 input="\n".join(replies) + "\n")  # fmt: skip
    assert "example-org (placeholder)" in result.stderr
    assert "placeholder: github_org 'example-org' would go into the OIDC trust policy" in (
        result.stderr
    )


def test_verify_fails_a_repository_with_a_placeholder(defaults_repo: Path) -> None:
    (result,) = verify([defaults_repo], only=["placeholders"]).results
    assert result.status == "failed"
    assert "'example-org' at .github/CODEOWNERS:2" in result.reason
    assert "infra/service/main.tf" in result.reason


def test_verify_passes_real_values_and_catches_one_added_by_hand(tmp_path: Path) -> None:
    spec = make_spec("event", "payments", data=["github_org=acme", "owner_team=my-org-tools"])
    repo = Path(generate(spec, tmp_path / "payments").destination)
    (clean,) = verify([repo], only=["placeholders"]).results
    assert clean.status == "passed", clean.reason  # my-org-tools is a name, not my-org
    owners = repo / ".github" / "CODEOWNERS"
    owners.write_text(owners.read_text() + "/infra/ @your-org/platform\n")
    (edited,) = verify([repo], only=["placeholders"]).results
    assert edited.status == "failed" and "'your-org' at .github/CODEOWNERS:3" in edited.reason
