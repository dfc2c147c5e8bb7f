"""`scaffold new --template`: small Copier and Cookiecutter templates created in the tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import git

from generator.render.atomic import list_files


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def cookiecutter_template(root: Path, hooks: bool = False) -> Path:
    files = {
        "cookiecutter.json": json.dumps(
            {
                "project_name": "Billing Worker",
                "project_slug": "{{ cookiecutter.project_name | lower | replace(' ', '-') }}",
                "license": ["MIT", "Apache-2.0", "Proprietary"],
                "python_version": ["3.12", "3.13"],
                "use_docker": True,
            }
        ),
        "{{cookiecutter.project_slug}}/README.md": (
            "# {{ cookiecutter.project_name }}\n\nLicense: {{ cookiecutter.license }}.\n"
            "Python {{ cookiecutter.python_version }}.\n"
        ),
        "{{cookiecutter.project_slug}}/{% if cookiecutter.use_docker %}Dockerfile{% endif %}": (
            "FROM python:{{ cookiecutter.python_version }}-slim\n"
        ),
        "{{cookiecutter.project_slug}}/config.yml": "name: {{ cookiecutter.project_slug }}\n",
    }
    if hooks:
        files["hooks/post_gen_project.py"] = (
            "from pathlib import Path\nPath('HOOK_RAN').write_text('yes\\n')\n"
        )
    return write(root, files)


def copier_template(root: Path, tasks: bool = False) -> Path:
    config = (
        "_answers_file: .copier-answers.yml\n"
        "project_name:\n  type: str\n  default: Billing Worker\n"
        "tier:\n  type: str\n  choices: [gold, silver]\n  default: silver\n"
        "replicas:\n  type: int\n  default: 2\n"
        "  validator: '{% if replicas < 1 %}must be at least 1{% endif %}'\n"
    )
    if tasks:
        config += "_tasks:\n  - touch TASK_RAN\n"
    return write(
        root,
        {
            "copier.yml": config,
            "{{_copier_conf.answers_file}}.jinja": "{{ _copier_answers | to_nice_yaml }}",
            "README.md.jinja": "# {{ project_name }}\n\nTier {{ tier }}, "
            "{{ replicas }} replicas.\n",
        },
    )


def test_cookiecutter_template_with_choices_renders_and_records_answers(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = cookiecutter_template(tmp_path / "cc")
    monkeypatch.chdir(tmp_path)

    result = cli(
        "new",
        "--template",
        str(template),
        "--data",
        "license=Apache-2.0",
        "--data",
        "use_docker=no",
        "--json",
    )

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    out = tmp_path / "billing-worker"  # Cookiecutter's own folder name
    assert data["destination"] == str(out) and data["kind"] == "cookiecutter"
    assert sorted(data["files"]) == [".cruft.json", "README.md", "config.yml"]
    assert "License: Apache-2.0." in (out / "README.md").read_text()
    assert not (out / "Dockerfile").exists()  # the boolean was read as false
    cruft = json.loads((out / ".cruft.json").read_text())
    assert cruft["template"] == str(template)
    assert cruft["context"]["cookiecutter"]["license"] == "Apache-2.0"
    assert data["answers"]["python_version"] == "3.12"


def test_cookiecutter_render_is_regenerated_from_its_recorded_answers(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = cookiecutter_template(tmp_path / "cc")
    first, again = tmp_path / "first", tmp_path / "again"
    assert (
        cli(
            "new",
            "--template",
            str(template),
            "-o",
            str(first),
            "-d",
            "python_version=3.13",
            "-d",
            "project_name=Ledger Sync",
        ).exit_code
        == 0
    )

    result = cli(
        "new",
        "--template",
        str(template),
        "-o",
        str(again),
        "--data-file",
        str(first / ".cruft.json"),
    )

    assert result.exit_code == 0, result.output
    assert list_files(first) == list_files(again)
    for rel in list_files(first):
        assert (first / rel).read_bytes() == (again / rel).read_bytes(), rel
    assert "Python 3.13." in (again / "README.md").read_text()


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["license=GPL"], "license: must be one of MIT, Apache-2.0, Proprietary"),
        (["colour=blue"], "colour: is not a question of this template"),
        (["use_docker=maybe"], "use_docker: must be true or false"),
        (["license"], "expected KEY=VALUE"),
    ],
)
def test_bad_answers_are_one_message_exit_2_nothing_written(
    cli, tmp_path: Path, pairs: list[str], message: str
) -> None:
    template = cookiecutter_template(tmp_path / "cc")
    out = tmp_path / "out"
    args = [a for pair in pairs for a in ("--data", pair)]

    result = cli("new", "--template", str(template), "-o", str(out), *args)

    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
    assert not out.exists()


def test_hooks_run_only_with_trust(cli, tmp_path: Path) -> None:
    template = cookiecutter_template(tmp_path / "cc", hooks=True)
    out = tmp_path / "out"

    refused = cli("new", "--template", str(template), "-o", str(out))

    assert refused.exit_code == 2
    assert "hooks/post_gen_project.py" in refused.stderr and "--trust" in refused.stderr
    assert not out.exists()

    trusted = cli("new", "--template", str(template), "-o", str(out), "--trust")

    assert trusted.exit_code == 0, trusted.output
    assert (out / "HOOK_RAN").read_text() == "yes\n"


def test_a_failing_hook_is_a_clear_error_and_writes_nothing(cli, tmp_path: Path) -> None:
    template = cookiecutter_template(tmp_path / "cc")
    write(template, {"hooks/pre_gen_project.py": "raise SystemExit('refusing: no licence')\n"})
    out = tmp_path / "out"
    result = cli("new", "--template", str(template), "-o", str(out), "--trust")
    assert result.exit_code == 2 and "a hook of template" in result.stderr
    assert not out.exists()


def test_copier_template_renders_validates_and_records(cli, tmp_path: Path) -> None:
    template = copier_template(tmp_path / "cp")
    git(template, "init", "-q")
    git(template, "add", "-A")
    git(template, "commit", "-q", "-m", "v1")
    git(template, "tag", "v1.0.0")
    out = tmp_path / "out"

    bad = cli("new", "--template", str(template), "-o", str(out), "-d", "replicas=0")
    assert bad.exit_code == 2 and "must be at least 1" in bad.stderr and not out.exists()
    choice = cli("new", "--template", str(template), "-o", str(out), "-d", "tier=bronze")
    assert choice.exit_code == 2 and "tier: must be one of gold, silver" in choice.stderr
    no_dest = cli("new", "--template", str(template))
    assert no_dest.exit_code == 2 and "pass -o/--output" in no_dest.stderr

    result = cli(
        "new",
        "--template",
        str(template),
        "-o",
        str(out),
        "-d",
        "tier=gold",
        "-d",
        "replicas=3",
        "--json",
    )

    assert result.exit_code == 0, result.output
    assert "Tier gold, 3 replicas." in (out / "README.md").read_text()
    answers = (out / ".copier-answers.yml").read_text()
    assert "_commit: v1.0.0" in answers and f"_src_path: {template}" in answers
    assert json.loads(result.stdout)["answers"] == {
        "project_name": "Billing Worker",
        "tier": "gold",
        "replicas": 3,
    }


def test_copier_tasks_run_only_with_trust(cli, tmp_path: Path) -> None:
    template = copier_template(tmp_path / "cp", tasks=True)
    out = tmp_path / "out"
    refused = cli("new", "--template", str(template), "-o", str(out))
    assert refused.exit_code == 2 and "_tasks" in refused.stderr and not out.exists()
    trusted = cli("new", "--template", str(template), "-o", str(out), "--trust")
    assert trusted.exit_code == 0, trusted.output
    assert (out / "TASK_RAN").exists()


def test_git_url_with_a_ref(cli, tmp_path: Path) -> None:
    template = cookiecutter_template(tmp_path / "cc")
    git(template, "init", "-q")
    git(template, "add", "-A")
    git(template, "commit", "-q", "-m", "v1")
    git(template, "tag", "v1.0.0")
    (template / "{{cookiecutter.project_slug}}/config.yml").write_text("changed after v1\n")
    git(template, "commit", "-qam", "unreleased")
    out = tmp_path / "out"

    result = cli(
        "new", "--template", f"file://{template}", "--template-ref", "v1.0.0", "-o", str(out)
    )

    assert result.exit_code == 0, result.output
    assert (out / "config.yml").read_text() == "name: billing-worker\n"
    cruft = json.loads((out / ".cruft.json").read_text())
    # cruft records a local repository's file:// URL as its absolute path
    assert cruft["template"] == str(template) and cruft["checkout"] == "v1.0.0"
    assert len(cruft["commit"]) == 40
    missing = cli("new", "--template", f"file://{tmp_path}/nowhere", "-o", str(tmp_path / "x"))
    assert missing.exit_code == 2 and "cannot fetch template" in missing.stderr


def test_not_a_template_and_misused_options(cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("new", "--template", str(empty), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and "neither copier.yml nor cookiecutter.json" in result.stderr
    template = cookiecutter_template(tmp_path / "cc")
    both = cli("new", "web", "orders-api", "--template", str(template))
    assert both.exit_code == 2 and "TYPE and NAME are not used" in both.stderr
    trust = cli("new", "web", "orders-api", "--trust")
    assert trust.exit_code == 2 and "only apply with --template" in trust.stderr


def test_non_empty_destination_is_refused_and_dry_run_writes_nothing(cli, tmp_path: Path) -> None:
    template = cookiecutter_template(tmp_path / "cc")
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me\n")
    refused = cli("new", "--template", str(template), "-o", str(out))
    assert refused.exit_code == 2 and "is not empty" in refused.stderr
    assert list_files(out) == ["mine.txt"]
    dry = cli("new", "--template", str(template), "-o", str(tmp_path / "dry"), "--dry-run")
    assert dry.exit_code == 0 and "README.md" in dry.stdout
    assert not (tmp_path / "dry").exists()
    forced = cli("new", "--template", str(template), "-o", str(out), "--force")
    assert forced.exit_code == 0 and (out / "mine.txt").read_text() == "keep me\n"


def test_external_output_goes_through_scaffold_verify(cli, tmp_path: Path) -> None:
    template = cookiecutter_template(tmp_path / "cc")
    out = tmp_path / "out"
    assert cli("new", "--template", str(template), "-o", str(out)).exit_code == 0
    checks = "yamllint,secrets,conflicts,markdown"

    clean = cli("verify", str(out), "--only", checks, "--json")

    assert clean.exit_code == 0, clean.output
    assert {r["status"] for r in json.loads(clean.stdout)["results"]} == {"passed"}
    (out / "config.yml").write_text("name: a\nname: b\n")
    broken = cli("verify", str(out), "--only", checks, "--json")
    assert broken.exit_code == 1


def test_verify_flag_checks_the_written_result(cli, tmp_path: Path) -> None:
    template = cookiecutter_template(tmp_path / "cc")
    good = cli(
        "new", "--template", str(template), "-o", str(tmp_path / "good"), "--verify", "--json"
    )
    assert good.exit_code == 0, good.output
    report = json.loads(good.stdout)["verify"]
    statuses = {r["check"]: r["status"] for r in report["results"]}
    assert report["ok"] and statuses["yamllint"] == "passed" and statuses["checkov"] == "skipped"
    assert "tests" not in statuses  # an untrusted template's tests would run its code

    write(template, {"{{cookiecutter.project_slug}}/config.yml": "name: a\nname: b\n"})
    bad = cli("new", "--template", str(template), "-o", str(tmp_path / "bad"), "--verify")
    assert bad.exit_code == 1 and "verification failed: yamllint" in bad.stderr
    assert (tmp_path / "bad" / "config.yml").is_file()  # written, then reported


def test_untrusted_cookiecutter_renders_in_jinjas_sandbox(cli, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    template = cookiecutter_template(tmp_path / "cc")
    payload = "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}"
    write(template, {"{{cookiecutter.project_slug}}/README.md": payload})
    out = tmp_path / "out"

    for args in (["--dry-run"], []):
        result = cli("new", "--template", str(template), "-o", str(out), *args)
        assert result.exit_code == 2 and "sandbox" in result.stderr, result.output
    assert not marker.exists() and not out.exists()


def test_file_names_cannot_leave_the_project_folder(cli, tmp_path: Path) -> None:
    template = tmp_path / "cc"
    write(
        template,
        {
            "cookiecutter.json": json.dumps({"slug": "x", "evil": "../../escaped"}),
            "{{cookiecutter.slug}}/{{cookiecutter.evil}}/x.txt": "out\n",
        },
    )
    result = cli("new", "--template", str(template), "-o", str(tmp_path / "out"), "--dry-run")
    assert result.exit_code == 2 and "outside the project folder" in result.stderr
    assert not list(tmp_path.rglob("escaped"))


def test_symlinks_out_of_the_template_need_trust(cli, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET\n")
    template = cookiecutter_template(tmp_path / "cc")
    (template / "{{cookiecutter.project_slug}}" / "leak.txt").symlink_to(secret)
    out = tmp_path / "out"
    result = cli("new", "--template", str(template), "-o", str(out))
    assert result.exit_code == 2 and "leak.txt" in result.stderr and not out.exists()


def test_cookiecutter_extensions_need_trust(cli, tmp_path: Path) -> None:
    template = cookiecutter_template(tmp_path / "cc")
    config = json.loads((template / "cookiecutter.json").read_text())
    write(
        template,
        {
            "cookiecutter.json": json.dumps({**config, "_extensions": ["local_extensions.Shout"]}),
            "local_extensions.py": (
                "from jinja2.ext import Extension\n\n\nclass Shout(Extension):\n"
                "    def __init__(self, environment):\n        super().__init__(environment)\n"
                "        environment.filters['shout'] = lambda v: str(v).upper()\n"
            ),
            "{{cookiecutter.project_slug}}/NAME.txt": "{{ cookiecutter.project_name | shout }}\n",
        },
    )
    out = tmp_path / "out"
    refused = cli("new", "--template", str(template), "-o", str(out))
    assert refused.exit_code == 2 and "_extensions" in refused.stderr
    trusted = cli("new", "--template", str(template), "-o", str(out), "--trust")
    assert trusted.exit_code == 0, trusted.output
    assert (out / "NAME.txt").read_text() == "BILLING WORKER\n"


def test_trusted_hook_output_stays_off_the_json_and_dry_runs_run_no_hooks(
    cli, tmp_path: Path
) -> None:
    template = cookiecutter_template(tmp_path / "cc", hooks=True)
    write(template, {"hooks/pre_gen_project.py": "print('hello from a hook')\n"})
    dry = cli(
        "new",
        "--template",
        str(template),
        "-o",
        str(tmp_path / "d"),
        "--trust",
        "--dry-run",
        "--json",
    )
    assert dry.exit_code == 0 and "HOOK_RAN" not in json.loads(dry.stdout)["files"]
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "scaffold"),
            "new",
            "--template",
            str(template),
            "-o",
            str(tmp_path / "out"),
            "--trust",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["kind"] == "cookiecutter"  # nothing else on stdout
    assert "hello from a hook" in result.stderr


def test_choice_types_and_copier_choice_forms(cli, tmp_path: Path) -> None:
    cc = tmp_path / "cc"
    write(
        cc,
        {
            "cookiecutter.json": json.dumps({"slug": "svc", "port": [8080, 9090]}),
            "{{cookiecutter.slug}}/port.txt": "{{ cookiecutter.port }}\n",
        },
    )
    made = cli("new", "--template", str(cc), "-o", str(tmp_path / "a"), "-d", "port=9090")
    assert made.exit_code == 0, made.output
    assert (tmp_path / "a" / "port.txt").read_text() == "9090\n"
    typo = cli("new", "--template", str(cc), "-o", str(tmp_path / "t"), "-d", "port=9091")
    assert typo.exit_code == 2 and "port: must be one of 8080, 9090" in typo.stderr

    cp = tmp_path / "cp"
    write(
        cp,
        {
            "copier.yml": (
                "db:\n  type: str\n  choices: [[PostgreSQL, postgres], [MySQL, mysql]]\n"
                "  default: postgres\n"
                "langs:\n  type: str\n  multiselect: true\n  choices: [go, rs, py]\n"
                "  default: [py]\n---\n!include shared.yml\n"
            ),
            "shared.yml": "team:\n  type: str\n  default: platform\n",
            "out.txt.jinja": "{{ db }} {{ langs | join(',') }} {{ team }}\n",
        },
    )
    result = cli(
        "new",
        "--template",
        str(cp),
        "-o",
        str(tmp_path / "b"),
        "-d",
        "db=mysql",
        "-d",
        "langs=go,rs",
        "-d",
        "team=data",
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "b" / "out.txt").read_text() == "mysql go,rs data\n"
    bad = cli("new", "--template", str(cp), "-o", str(tmp_path / "c"), "-d", "langs=go,cobol")
    assert bad.exit_code == 2 and "each value must be one of go, rs, py" in bad.stderr


def test_broken_templates_are_bad_input_and_empty_folders_are_kept(cli, tmp_path: Path) -> None:
    template = cookiecutter_template(tmp_path / "cc")
    (template / "{{cookiecutter.project_slug}}" / "logs").mkdir()
    made = cli("new", "--template", str(template), "-o", str(tmp_path / "ok"))
    assert made.exit_code == 0 and (tmp_path / "ok" / "logs").is_dir()
    for text in ("{% if %}\n", "{{ cookiecutter.project_name + 1 }}\n"):
        write(template, {"{{cookiecutter.project_slug}}/bad.txt": text})
        broken = cli("new", "--template", str(template), "-o", str(tmp_path / "no"))
        assert broken.exit_code == 2 and "failed to render" in broken.stderr
        assert "internal error" not in broken.stderr and not (tmp_path / "no").exists()


def test_copier_renders_the_newest_tag_like_copier_and_a_ref_overrides(cli, tmp_path: Path) -> None:
    """Copier renders the newest release tag, not HEAD; --template-ref HEAD renders HEAD."""
    template = copier_template(tmp_path / "cp")
    git(template, "init", "-q")
    git(template, "add", "-A")
    git(template, "commit", "-q", "-m", "v1")
    git(template, "tag", "v1.0.0")
    write(
        template,
        {
            "copier.yml": (template / "copier.yml").read_text()
            + "owner:\n  type: str\n  default: nobody\n",
            "OWNER.md.jinja": "{{ owner }}\n",
        },
    )
    git(template, "add", "-A")
    git(template, "commit", "-qm", "unreleased: a new question and its file")
    released = cli("new", "--template", str(template), "-o", str(tmp_path / "a"), "--json")
    assert released.exit_code == 0, released.output
    assert "owner" not in json.loads(released.stdout)["answers"]
    assert "_commit: v1.0.0" in (tmp_path / "a" / ".copier-answers.yml").read_text()
    out = tmp_path / "out"
    result = cli(
        "new", "--template", str(template), "--template-ref", "HEAD", "-o", str(out),
        "-d", "owner=you", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / "OWNER.md").read_text() == "you\n"
    assert json.loads(result.stdout)["answers"]["owner"] == "you"


# Copier leaves a directory iterator open when it refuses a path: its ResourceWarning, not ours
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_symlink_copier_refuses_is_a_template_error(cli, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET\n")
    template = copier_template(tmp_path / "cp")
    (template / "leak.txt").symlink_to(secret)
    out = tmp_path / "out"
    untrusted = cli("new", "--template", str(template), "-o", str(out))
    assert untrusted.exit_code == 2 and "leak.txt" in untrusted.stderr
    trusted = cli("new", "--template", str(template), "-o", str(out), "--trust")
    assert trusted.exit_code == 2, trusted.output
    assert "refused by Copier" in trusted.stderr and "invalid" not in trusted.stderr
    assert not out.exists()
