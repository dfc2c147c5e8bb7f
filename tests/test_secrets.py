"""Secrets: redacted before a model sees them, refused in answers and in model output, and found
by `scaffold verify` wherever they hide (big files, UTF-16, after an underscore, Terraform).

One list of patterns (generator/credentials.py) serves all of these, so each test here plays
the attack from the outside: the CLI, the MCP client, the HTTP server standing in for a model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import test_llm
from llm_server import ScriptedServer, answer
from test_external import cookiecutter_template
from test_llm import choice

from generator.render.atomic import list_files
from generator.verify.checks import secrets as secrets_check

AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
GITHUB = "ghp_" + "A1b2C3d4" * 4 + "E5f6"
PASSWORD = "Hunter22!"
PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----"
SECRETS = [AWS_KEY, GITHUB, PASSWORD, "MIIEowIBAAKCAQEA7", "Zx9Qw8Er7Ty6Ui5Op4As3Df2"]
DESCRIPTION = (
    f"An orders API. Our database password is {PASSWORD} and the deploy token {GITHUB}; "
    f"the key {AWS_KEY}, api_key = 'Zx9Qw8Er7Ty6Ui5Op4As3Df2' and this:\n{PRIVATE_KEY}"
)


server = test_llm.server  # the fixtures: a scripted model, and the CLI pointed at it
llm_env = test_llm.llm_env


def everything_under(folder: Path) -> str:
    return "\n".join(
        p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file()
    )  # fmt: skip


# -- item 8: what goes to the model, what comes back, what a user answers ---------------------


def drafting_model(overviews: list[str]) -> Any:
    """A stand-in model for `new --describe --draft-docs`: the first option of every choice,
    each overview of `overviews` in turn (the last one again when they run out)."""
    given = iter(overviews)
    last = [overviews[-1]]

    def respond(request: dict[str, Any]) -> dict[str, Any]:
        form = request["response_format"]
        schema = form.get("json_schema", {}).get("schema") or form.get("schema")
        title = schema["title"]
        if title == "ServiceTypeAnswer":
            return answer({"service_type": "web-service"})
        if title == "Choice":
            return choice(schema["properties"]["choice"]["enum"][0])
        if title == "ReadmeOverview":
            last[0] = next(given, last[0])
            return answer({"overview": last[0]})
        if title == "AdrContext":
            return answer({"context": "Orders arrive from the shop and must be stored. " * 2})
        return answer(
            {
                "failure_modes": [
                    {
                        "title": "Lost order",
                        "symptom": "An order is missing.",
                        "cause": "A failed write.",
                        "first_check": "Read the logs.",
                    }
                ]
            }
        )

    return respond


def test_describe_sends_no_secret_of_any_kind_to_the_model(
    cli, server: ScriptedServer, llm_env: Path
) -> None:
    server.responder = drafting_model(["An orders API."])
    result = cli("spec", "--describe", DESCRIPTION, "--json")
    assert result.exit_code == 0, result.output
    assert server.requests, "the description was never sent: nothing was tested"
    sent = json.dumps(server.requests)
    for secret in SECRETS:
        assert secret not in sent, secret
    assert "[redacted secret]" in sent
    assert not any(secret in result.stdout for secret in SECRETS)


def test_a_secret_in_the_models_answer_is_never_written_nor_cached(
    cli, server: ScriptedServer, llm_env: Path
) -> None:
    server.responder = drafting_model([f"Orders API. Key {AWS_KEY}."])  # it insists, every time
    out = llm_env / "orders-api"

    result = cli("new", "--describe", "An orders API named orders-api.", "--draft-docs",
                 "--defaults", "-o", str(out))  # fmt: skip

    assert result.exit_code == 4, result.output
    assert "looks like a secret (AWS access key id)" in result.stderr
    assert not out.exists()
    assert AWS_KEY not in everything_under(llm_env / "cache")
    reasks = [r["messages"][-1]["content"] for r in server.requests]
    assert any("overview: holds something that looks like a secret" in r for r in reasks)


def test_a_model_that_drops_the_secret_on_re_ask_is_used(
    cli, server: ScriptedServer, llm_env: Path
) -> None:
    server.responder = drafting_model(
        [f"Orders API, password: {PASSWORD}", "Keeps the orders of the shop."]
    )
    out = llm_env / "orders-api"
    result = cli("new", "--describe", "An orders API named orders-api.", "--draft-docs",
                 "--defaults", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Keeps the orders of the shop." in (out / "README.md").read_text()
    assert PASSWORD not in everything_under(out) + everything_under(llm_env / "cache")


def test_the_description_every_reader_sees_is_redacted_by_the_shared_patterns() -> None:
    """generator/llm/text.py (the parsers' text) redacts with generator/credentials.py: the
    secret only, with the same plausibility rules as the secrets check."""
    from generator.llm.text import clean, one_line

    text = clean(f"An orders API; the password is rotated monthly. Admin password: {PASSWORD}.")
    assert PASSWORD not in text
    assert "the password is rotated monthly" in text  # not a secret: one plain word
    assert "Admin password: [redacted secret]" in text
    assert one_line(text) == "An orders API; the password is rotated monthly."


@pytest.mark.parametrize(
    "value",
    [
        f"Orders API, key {AWS_KEY}",
        f"token {GITHUB}",
        f"the admin password is {PASSWORD}",
        "prefix_" + AWS_KEY,
        PRIVATE_KEY,
    ],
)
def test_an_answer_carrying_a_secret_is_refused_and_nothing_written(
    cli, tmp_path: Path, value: str
) -> None:
    out = tmp_path / "orders-api"
    data_file = tmp_path / "answers.json"
    data_file.write_text(json.dumps({"description": value}))
    for args in (["--data", f"description={value}"], ["--data-file", str(data_file)]):
        result = cli("new", "web", "orders-api", "--defaults", "-o", str(out), *args)
        assert result.exit_code == 2, result.output
        assert "description: looks like a secret" in result.stderr
        assert not out.exists()


def test_tags_and_external_template_answers_are_scanned_too(cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    data_file = tmp_path / "answers.yml"
    data_file.write_text(f"tags:\n  deploy_token: {GITHUB}\n")
    own = cli(
        "new", "web", "orders-api", "--defaults", "-o", str(out), "--data-file", str(data_file)
    )
    assert own.exit_code == 2 and "tags.deploy_token: looks like a secret" in own.stderr
    template = cookiecutter_template(tmp_path / "cc")
    external = cli(
        "new", "--template", str(template), "-o", str(out), "-d", f"project_name=x {AWS_KEY}"
    )
    assert external.exit_code == 2 and "project_name: looks like a secret" in external.stderr
    assert not out.exists()


def test_the_mcp_server_refuses_secret_answers(tmp_path: Path) -> None:
    pytest.importorskip("mcp.client.stdio", reason="the mcp extra is not installed")
    from test_mcp import session_run

    (refused,) = session_run(
        tmp_path,
        [("generate", {"service_type": "web", "name": "orders-api",
                       "answers": {"description": f"uses {AWS_KEY}"}})],
    )  # fmt: skip
    assert refused.is_error and "looks like a secret" in refused.content[0].text
    assert list(tmp_path.iterdir()) == []


# -- item 9: the secrets check finds them wherever they hide ---------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("big.log", ("x" * 1000 + "\n") * 3000 + f"key={AWS_KEY}\n", "AWS access key id"),
        ("utf16.txt", f"token: {GITHUB}\n".encode("utf-16"), "GitHub token"),
        ("utf16le.txt", f"key {AWS_KEY}\n".encode("utf-16-le"), "AWS access key id"),
        ("prefixed.env", f"MY_KEY=prefix_{AWS_KEY}\n", "AWS access key id"),
        (
            "main.tf",
            'provider "aws" {\n  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n}\n',
            "AWS secret access key",
        ),
        ("notes.md", f"The staging password is {PASSWORD}\n", "password"),
        ("app.yml", "db:\n  password: 'S3cure-Passw0rd'\n", "password"),
        (".env", "DB_PASSWORD=Tr0ub4dor&3\n", "password"),
        (
            "client.py",
            'headers = {"Authorization": "Bearer eyJhbGciOi.eyJzdWIiOiIx.SflKxw"}\n',
            "bearer token",
        ),
        ("id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n", "private key"),
    ],
)
def test_verify_finds_secrets_wherever_they_hide(
    cli, tmp_path: Path, name: str, content: str | bytes, kind: str
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text("# clean\n")
    path = repo / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    result = cli("verify", str(repo), "--only", "secrets", "--json")
    assert result.exit_code == 1, result.output
    (found,) = json.loads(result.stdout)["results"]
    assert found["status"] == "failed" and f"{name}: {kind}" in found["reason"]


def test_a_declaration_is_not_a_secret_but_its_value_is() -> None:
    from generator.credentials import find

    assert not find('db_master_password: SecretStr = SecretStr("")')
    assert not find("db_password: Optional[str] = None")
    assert [f.kind for f in find("db_password = Hunter2Secret")] == ["password"]
    assert [f.kind for f in find("password: Hunter2Secret")] == ["password"]


def test_verify_names_the_files_it_cannot_scan(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(secrets_check, "MAX_BYTES", 1 << 20)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "dump.bin").write_bytes(b"\0" * (2 << 20))
    result = cli("verify", str(repo), "--only", "secrets", "--json")
    assert result.exit_code == 1
    (found,) = json.loads(result.stdout)["results"]
    assert "dump.bin: not scanned (over 1 MiB)" in found["reason"]


def test_generated_repositories_and_prose_about_secrets_pass(cli, tmp_path: Path) -> None:
    out = tmp_path / "orders-api"
    made = cli("new", "web", "orders-api", "--defaults", "-o", str(out), "-d", "database=postgres")
    assert made.exit_code == 0, made.output
    (out / "NOTES.md").write_text(
        "The password is rotated by Secrets Manager; the token comes from OIDC.\n"
        "password = var.db_password\ntoken: ${{ secrets.DEPLOY_TOKEN }}\n"
        'PGPASSWORD=local make run\nparams["password"] = self.iam_token()\n'
        'db_master_password: SecretStr = SecretStr("")\ndb_password: Optional[str] = None\n'
    )  # declarations name a type, not a value
    result = cli("verify", str(out), "--only", "secrets", "--json")
    assert result.exit_code == 0, result.stdout
    assert list_files(out)
