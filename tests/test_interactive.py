"""Interactive `scaffold new`: grouped questions with progress; a declined summary keeps answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.cli import new as new_cmd
from generator.spec.models import BatchServiceSpec


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setattr(new_cmd, "stdin_is_terminal", lambda: True)
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def replies(model, given: dict[str, str], confirm: str) -> str:
    """One reply per question in the order asked (Enter for the default), then the summary."""
    from generator.spec.groups import grouped

    fields = [f for f in model.model_fields if f != "name"]
    order = [f for _, members in grouped(model, fields) for f in members]
    return "\n".join([*(given.get(f, "") for f in order), confirm]) + "\n"


def test_questions_come_in_groups_with_progress(cli, terminal: Path) -> None:
    total = len(BatchServiceSpec.model_fields) - 1  # NAME is an argument
    answers = replies(BatchServiceSpec, {"timeout_minutes": "30"}, "y")
    result = cli("new", "batch", "nightly-report", "-o", str(terminal / "o"), input=answers)
    assert result.exit_code == 0, result.output
    err = result.stderr
    progress = re.findall(r"\[(\d+)/(\d+)\]", err)
    assert [int(n) for n, _ in progress] == list(range(1, total + 1))
    assert {int(t) for _, t in progress} == {total}
    titles = [
        err.index(f"\n{t}\n") for t in ("Service", "AWS and operations", "Batch service settings")
    ]
    assert titles == sorted(titles)
    # the service group holds the organisation, asked before the AWS questions
    assert err.index("GitHub organisation") < err.index("AWS region") < err.index("Schedule")
    assert "timeout_minutes: 30" in (terminal / "o" / ".copier-answers.yml").read_text()


def test_a_declined_summary_keeps_the_answers_for_data_file(cli, terminal: Path) -> None:
    given = {"timeout_minutes": "30", "github_org": "acme", "tags": "team=data"}
    dest = terminal / "o"
    result = cli("new", "batch", "nightly-report", "-o", str(dest),
                 input=replies(BatchServiceSpec, given, "n"))  # fmt: skip
    assert result.exit_code == 2 and not dest.exists()
    message = " ".join(result.stderr.split())
    assert "cancelled at the summary; nothing was written to" in message
    kept = Path(re.search(r"Your answers are kept in (\S+);", message)[1])
    assert kept.is_relative_to(terminal / "cache")
    assert f"--data-file {kept}" in message
    data = yaml.safe_load(kept.read_text())
    assert (data["timeout_minutes"], data["github_org"], data["tags"]) == (
        30,
        "acme",
        {"team": "data"},
    )
    again = cli("new", "batch", "nightly-report", "--defaults", "--data-file", str(kept),
                "-o", str(dest))  # fmt: skip
    assert again.exit_code == 0, again.output
    assert "note:" not in again.stderr
    written = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert {k: written[k] for k in data} == data
