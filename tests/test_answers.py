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


# --- messages that say what to type (item 6) --------------------------------------------------


def error_of(cli, *args: str) -> str:
    result = cli("new", *args, "--defaults", "--dry-run")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr


def test_tags_take_key_value_pairs_and_say_the_format(cli, tmp_path: Path) -> None:
    out = tmp_path / "o"
    result = cli("new", "web", "orders-api", "--defaults", "-d", "tags=team=data, tier=gold",
                 "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((out / ".copier-answers.yml").read_text())["tags"] == {
        "team": "data",
        "tier": "gold",
    }
    message = error_of(cli, "web", "orders-api", "-d", "tags=team:data")
    assert "tags: 'team:data' is not key=value" in message
    assert "key=value pairs separated by commas (e.g. team=data,tier=gold)" in message
    assert "valid dictionary" not in message


def test_every_mapping_answer_takes_key_value_pairs(cli, tmp_path: Path) -> None:
    """vpc_cidrs (a mapping like tags) is typed, and shown back as a default, as key=value."""
    out = tmp_path / "o"
    ranges = "vpc_cidrs=dev=10.40.0.0/16,staging=10.50.0.0/16,prod=10.60.0.0/16"
    result = cli("new", "web", "orders-api", "--defaults", "-o", str(out), "-d", ranges)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((out / ".copier-answers.yml").read_text())["vpc_cidrs"] == {
        "dev": "10.40.0.0/16",
        "staging": "10.50.0.0/16",
        "prod": "10.60.0.0/16",
    }
    message = error_of(cli, "web", "orders-api", "-d", "vpc_cidrs=dev:10.40.0.0/16")
    assert "vpc_cidrs: 'dev:10.40.0.0/16' is not a mapping. Allowed: key=value pairs" in message


def test_a_data_file_may_write_tags_as_text_too(cli, tmp_path: Path) -> None:
    data = tmp_path / "answers.yml"
    data.write_text("tags: team=data,tier=gold\n")
    result = cli("new", "web", "orders-api", "--defaults", "--dry-run", "--data-file", str(data))
    assert result.exit_code == 0, result.output


def test_type_errors_say_what_is_accepted(cli) -> None:
    message = error_of(cli, "web", "orders-api", "-d", "internet_facing=maybe",
                       "-d", "monthly_budget_usd=$500", "-d", "slo_availability=high")  # fmt: skip
    assert "internet_facing: 'maybe' is not true or false. Allowed: true or false" in message
    assert "monthly_budget_usd: '$500' is not a whole number" in message
    assert "without units, currency signs or separators (e.g. 500) (0-1000000)" in message
    assert "slo_availability: 'high' is not a number" in message
    assert "Input should be" not in message


def test_environments_separated_by_spaces_get_a_comma_hint(cli) -> None:
    message = error_of(cli, "web", "orders-api", "-d", "environments=dev prod")
    assert "separate them with commas: dev,prod" in message


def test_unknown_keys_list_the_answers_once(cli) -> None:
    message = error_of(cli, "web", "orders-api", "-d", "colour=blue", "-d", "prot=80")
    assert "colour: not an answer of web-service\n" in message
    assert "prot: not an answer of web-service (did you mean 'port'?)" in message
    assert message.count("health_path") == 1
    assert message.rstrip().splitlines()[-1].startswith("Answers of web-service: description,")


def test_a_key_given_twice_with_different_values_is_refused(cli, tmp_path: Path) -> None:
    message = error_of(cli, "web", "orders-api", "-d", "port=8000", "-d", "port=9000")
    assert "--data port is given twice ('8000', then '9000'); give each answer once" in message
    same = cli("new", "web", "orders-api", "--defaults", "--dry-run", "-d", "port=8000",
               "-d", "port=8000")  # fmt: skip
    assert same.exit_code == 0, same.output


def test_an_unreachable_repository_is_one_readable_sentence() -> None:
    import pytest

    from generator.errors import TemplateRepositoryError
    from generator.update.versions import TemplateRepository

    with pytest.raises(TemplateRepositoryError) as caught:
        _ = TemplateRepository("/nonexistent/templates").releases
    message = caught.value.message
    assert (
        "(git: '/nonexistent/templates' does not appear to be a git repository; "
        "Could not read from remote repository)" in message
    )
    assert "and the repository exists" not in message and ".." not in message
