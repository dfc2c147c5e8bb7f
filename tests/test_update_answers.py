"""`scaffold update --data KEY=VALUE`: changing a generated repository's answers later
(issue 17, item 7; ADR 0011).

The repository is generated from a local git repository of scaffold's templates (tag v1.0.0),
edited by its owner, then given new answers: the template is rendered with them and merged
three-way like a version update, so the owner's edits stay, and what the answers switch on
lives in managed files (or in seeded files that work either way), so the repository's own
tests still pass.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from gitrepo import IDENTITY, git
from test_update import Templates, assert_lines_kept, commit, user_edit

from generator.api import generate, make_spec
from generator.testenv import run_repo_tests

NAME, PACKAGE = "orders-api", "orders_api"
ENDPOINT = (
    '\n\n@router.get("/orders/{order_id}")\n'
    "async def get_order(order_id: int) -> dict[str, int]:\n"
    '    """One order (the team\'s first endpoint)."""\n'
    '    return {"order_id": order_id}\n'
)


@pytest.fixture
def releases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Templates:
    """scaffold's templates in a git repository tagged v1.0.0 (as tests/test_update.py's)."""
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(tmp_path / "cache"))
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    return Templates(tmp_path / "templates")


def web_service(templates: Templates, tmp_path: Path, *data: str) -> Path:
    """A web service generated at v1.0.0 of `templates`, committed in its own git repository."""
    spec = make_spec("web", NAME, data=["owner_team=payments", *data])
    out = tmp_path / NAME
    generate(
        spec,
        out,
        template_dir=templates.root,
        template_source=str(templates.root),
        template_version="v1.0.0",
    )
    git(out, "init", "-q")
    commit(out, "generated")
    return out


def answers(repo: Path) -> dict:
    return yaml.safe_load((repo / ".copier-answers.yml").read_text())


def owner_edits(repo: Path) -> dict[str, list[str]]:
    """What the service's owners changed after generation: code, tests, settings, docs."""
    kept = {
        f"src/{PACKAGE}/api.py": user_edit(
            repo,
            f"src/{PACKAGE}/api.py",
            lambda t: t + ENDPOINT,
        ),
        "tests/test_api.py": user_edit(
            repo,
            "tests/test_api.py",
            lambda t: (
                t + "\n\ndef test_an_order_is_found(client: TestClient) -> None:\n"
                '    assert client.get("/v1/orders/7").json() == {"order_id": 7}\n'
            ),
        ),
        f"src/{PACKAGE}/settings.py": user_edit(
            repo,
            f"src/{PACKAGE}/settings.py",
            lambda t: t.replace(
                "    log_level: LogLevel",
                "    max_page_size: int = Field(default=50, ge=1, le=500)\n    log_level: LogLevel",
            ),
        ),
        "docs/runbook.md": user_edit(
            repo,
            "docs/runbook.md",
            lambda t: t + "\n## Team notes\n\nPage the payments channel before a rollback.\n",
        ),
        ".gitignore": user_edit(repo, ".gitignore", lambda t: t + "local-data/\n"),
    }
    commit(repo, "the team's first changes")
    return kept


def update(cli, repo: Path, *args: str, exit_code: int = 0) -> dict:
    result = cli("update", str(repo), "--json", *args)
    assert result.exit_code == exit_code, result.output
    data: dict = json.loads(result.stdout)
    return data


def assert_tests_pass(repo: Path) -> None:
    run = run_repo_tests(repo)
    assert run.ok, run.output
    assert run.failed == 0 and run.passed > 20


@pytest.mark.slow
def test_changing_database_internet_facing_and_environments_keeps_edits_and_tests_pass(
    releases: Templates, tmp_path: Path, cli
) -> None:
    repo = web_service(releases, tmp_path)
    assert answers(repo)["database"] == "none" and answers(repo)["internet_facing"] is True
    kept = owner_edits(repo)

    data = update(
        cli, repo, "--data", "database=postgres", "--data", "internet_facing=false",
        "--data", "allowed_cidrs=10.40.0.0/16",  # an internal load balancer names its callers
        "--data", "environments=dev,prod",
    )  # fmt: skip

    assert (data["from_version"], data["to_version"]) == ("v1.0.0", "v1.0.0")
    assert data["answers_changed"] == [
        "database", "internet_facing", "allowed_cidrs", "environments"
    ]  # fmt: skip
    assert data["conflicts"] == []
    actions = {c["path"]: c["action"] for c in data["changes"]}
    assert actions[f"src/{PACKAGE}/database.py"] == "added"
    assert actions["tests/test_database.py"] == "added"
    assert actions[f"src/{PACKAGE}/wiring.py"] == "updated"
    assert actions["infra/envs/staging/main.tf"] == "deleted"
    assert actions["docs/runbook.md"] == "merged"  # the database section merged in
    assert actions["README.md"] == "kept"  # seeded: the owners' now, reported, not rewritten
    # The locks follow the answers (ADR 0013): the database's driver is pinned, with hashes.
    assert actions["requirements.txt"] == actions["requirements-dev.txt"] == "updated"
    assert "\npsycopg" in (repo / "requirements.txt").read_text()
    recorded = answers(repo)
    assert recorded["database"] == "postgres" and recorded["internet_facing"] is False
    assert recorded["environments"] == ["dev", "prod"] and recorded["_commit"] == "v1.0.0"
    assert not (repo / "infra/envs/staging").exists()
    assert "module.database" in (repo / "infra/service/main.tf").read_text()
    for rel, lines in kept.items():
        assert_lines_kept(repo, rel, lines)
    assert_tests_pass(repo)  # the owners' endpoint and the database, together

    commit(repo, "add PostgreSQL")
    back = update(cli, repo, "--data", "database=none")
    removed = {c["path"]: c["action"] for c in back["changes"]}
    assert removed[f"src/{PACKAGE}/database.py"] == "deleted"
    assert removed["tests/test_database.py"] == "deleted"
    assert removed[f"src/{PACKAGE}/migrate.py"] == "deleted"  # the migration goes with it
    assert removed["tests/test_migrate.py"] == "deleted"
    for rel, lines in kept.items():
        assert_lines_kept(repo, rel, lines)
    assert_tests_pass(repo)


@pytest.mark.slow
def test_plain_copier_update_with_a_new_answer_works_too(
    releases: Templates, tmp_path: Path
) -> None:
    """What the answers file used to recommend: `copier update -d database=postgres` left the
    seeded app without its database settings (4 tests failed)."""
    import copier

    repo = web_service(releases, tmp_path)
    owner_edits(repo)

    copier.run_update(
        repo, data={"database": "postgres"}, defaults=True, overwrite=True, quiet=True
    )

    assert (repo / f"src/{PACKAGE}/database.py").is_file()
    assert_tests_pass(repo)


def test_answers_are_validated_like_scaffold_new_and_nothing_is_written(
    releases: Templates, tmp_path: Path, cli
) -> None:
    repo = web_service(releases, tmp_path)
    before = git(repo, "status", "--porcelain")
    for args, message in (
        (["--data", "name=billing-api"], "--data name: an update cannot change it"),
        (["--data", "service_type=batch-service"], "cannot change it"),
        (["--data", "database=mysql"], "database:"),
        (["--data", "min_tasks=9", "--data", "max_tasks=2"], "max_tasks"),
        (["--data", "colour=blue"], "colour: not an answer of web-service"),
        (["--data", "database"], "expected KEY=VALUE"),
    ):
        result = cli("update", str(repo), *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
    assert git(repo, "status", "--porcelain") == before
    same = update(cli, repo, "--data", "database=none")
    assert same["up_to_date"] is True and same["answers_changed"] == []


def test_a_dry_run_shows_the_answers_diff_and_writes_nothing(
    releases: Templates, tmp_path: Path, cli
) -> None:
    repo = web_service(releases, tmp_path)

    data = update(cli, repo, "--data", "health_path=/ping", "--dry-run")

    assert data["dry_run"] is True and data["answers_changed"] == ["health_path"]
    assert '+LOAD_BALANCER_HEALTH_PATH = "/ping"' in data["diff"]
    assert "health_path: /ping" in data["diff"]
    assert git(repo, "status", "--porcelain") == ""


def test_an_answer_that_changes_lines_the_owner_edited_is_a_conflict(
    releases: Templates, tmp_path: Path, cli
) -> None:
    repo = web_service(releases, tmp_path)
    wiring = f"src/{PACKAGE}/wiring.py"
    mine = user_edit(
        repo, wiring, lambda t: t.replace('PATH = "/healthz"', 'PATH = "/status"  # ours')
    )
    commit(repo, "our own health path")

    result = cli("update", str(repo), "--data", "health_path=/ping")

    assert result.exit_code == 3, result.output
    text = (repo / wiring).read_text()
    assert ">>>>>>> template v1.0.0 with health_path=/ping" in text
    assert_lines_kept(repo, wiring, mine)
    assert "health_path: /ping" in (repo / ".copier-answers.yml").read_text()


@pytest.mark.slow
def test_changing_an_event_services_source_rewrites_its_envelope_and_tests_pass(
    releases: Templates, tmp_path: Path, cli
) -> None:
    spec = make_spec("event", "payment-events", data=["source=sqs"])
    repo = tmp_path / "payment-events"
    generate(
        spec, repo, template_dir=releases.root, template_source=str(releases.root),
        template_version="v1.0.0",
    )  # fmt: skip
    git(repo, "init", "-q")
    commit(repo, "generated")
    mine = user_edit(
        repo,
        "src/payment_events/processing.py",
        lambda t: (
            t + "\n\n#: Events of these types are ours to handle.\nHANDLED = {'subject.updated'}\n"
        ),
    )
    commit(repo, "our processing")

    data = update(cli, repo, "--data", "source=sns")

    actions = {c["path"]: c["action"] for c in data["changes"]}
    assert actions["src/payment_events/envelope.py"] == "updated"
    assert actions["tests/envelopes.py"] == "updated" and actions["events/sample.json"] == "updated"
    assert "SnsNotification" in (repo / "src/payment_events/envelope.py").read_text()
    assert 'event_source             = "sns"' in (repo / "infra/service/main.tf").read_text()
    assert_lines_kept(repo, "src/payment_events/processing.py", mine)
    assert_tests_pass(repo)  # including the sample event, now in SNS notifications
