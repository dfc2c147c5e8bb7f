"""Answers from files and `--data`: an answers file is valid input; messages say what to type."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.render.atomic import list_files


def tree(root: Path) -> dict[str, bytes]:
    return {rel: (root / rel).read_bytes() for rel in list_files(root)}


def test_an_answers_file_regenerates_an_identical_repository(cli, tmp_path: Path) -> None:
    first = tmp_path / "first"
    args = ["-d", "database=postgres", "-d", "github_org=acme", "-d", "tags={team: orders}"]
    assert cli("new", "web", "orders-api", "--defaults", *args, "-o", str(first)).exit_code == 0
    again = tmp_path / "again"
    answers = str(first / ".copier-answers.yml")
    result = cli("new", "web", "orders-api", "--defaults", "--data-file", answers, "-o", str(again))
    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr
    assert tree(again) == tree(first)


def test_an_answers_file_for_another_name_is_used_with_a_note(cli, tmp_path: Path) -> None:
    first = tmp_path / "first"
    args = ["-d", "source=sns", "-d", "memory_mb=512", "-d", "github_org=acme"]
    assert (
        cli("new", "event", "payment-events", "--defaults", *args, "-o", str(first)).exit_code == 0
    )
    answers = first / ".copier-answers.yml"
    other = tmp_path / "other"
    result = cli(
        "new", "event", "refund-events", "--defaults", "--data-file", str(answers), "-o", str(other)
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "note: the data file is for 'payment-events'; its name is ignored" in result.stderr
    written = yaml.safe_load((other / ".copier-answers.yml").read_text())
    assert written["name"] == "refund-events"
    assert written["source"] == "sns" and written["memory_mb"] == 512
    assert (other / "src" / "refund_events").is_dir()


def test_underscore_keys_are_ignored_and_name_is_still_not_a_data_pair(cli, tmp_path: Path) -> None:
    data = tmp_path / "answers.yml"
    data.write_text("_src_path: somewhere\n_commit: v9.9.9\n_anything: 1\nbatch_size: 5\n")
    out = tmp_path / "o"
    result = cli("new", "event", "payments", "--defaults", "--data-file", str(data), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "batch_size: 5" in (out / ".copier-answers.yml").read_text()
    refused = cli("new", "event", "payments", "--defaults", "-d", "name=x", "-o", str(out / "x"))
    assert refused.exit_code == 2 and "the name is the NAME argument" in refused.stderr
