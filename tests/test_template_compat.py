"""`scaffold new --template` does what Copier, Cookiecutter and cruft do (issue 17, items 1-6).

Each test builds a small template in a local git repository and compares scaffold with the
native tool: which version is rendered, which sources and refs are accepted, how `--data`
values are parsed, how bad answers and bad sources are reported, how a failing hook is shown,
and what `.cruft.json` records.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gitrepo import IDENTITY, git
from native_cases import tree
from test_external import write

SCAFFOLD = str(Path(sys.executable).parent / "scaffold")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Copier's git mirror cache and git's identity stay inside the test."""
    monkeypatch.setenv("COPIER_CACHE_DIR", str(tmp_path / "copier-cache"))
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)


def release(root: Path, message: str, tag: str | None = None) -> None:
    if not (root / ".git").exists():
        git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    if tag:
        git(root, "tag", tag)


def answers(root: Path) -> dict:
    return yaml.safe_load((root / ".copier-answers.yml").read_text())


def native_copy(source: str, dest: Path, **kwargs) -> None:
    import copier

    copier.run_copy(source, dest, defaults=True, quiet=True, **kwargs)


def versioned_template(root: Path) -> Path:
    """A Copier template whose tags are ahead of and behind its HEAD.

    main: v1.0.0 -> v1.1.0 -> 1.0.5 (an older version, tagged later) -> unreleased commits;
    a release branch holds v1.2.0 (newer than anything on main) and v2.0.0rc1 (a pre-release).
    """
    write(
        root,
        {
            "copier.yml": "_answers_file: .copier-answers.yml\nname:\n  type: str\n"
            "  default: svc\n",
            "{{_copier_conf.answers_file}}.jinja": "{{ _copier_answers | to_nice_yaml }}",
            "VERSION.jinja": "1.0.0 {{ name }}\n",
        },
    )
    release(root, "first", "v1.0.0")
    write(root, {"VERSION.jinja": "1.1.0 {{ name }}\n"})
    release(root, "second", "v1.1.0")
    write(root, {"VERSION.jinja": "1.0.5 {{ name }}\n"})
    release(root, "a late backport", "1.0.5")
    git(root, "checkout", "-q", "-b", "release")
    write(root, {"VERSION.jinja": "1.2.0 {{ name }}\n"})
    release(root, "on the release branch", "v1.2.0")
    write(root, {"VERSION.jinja": "2.0.0rc1 {{ name }}\n"})
    release(root, "a release candidate", "v2.0.0rc1")
    git(root, "checkout", "-q", "main")
    write(root, {"VERSION.jinja": "unreleased {{ name }}\n"})
    release(root, "work in progress")
    git(root, "tag", "nightly")  # not a PEP 440 version: never picked
    return root


# -- item 1: the version Copier renders ------------------------------------------------------


def test_newest_tag_follows_copiers_own_rule(tmp_path: Path) -> None:
    from copier._vcs import get_latest_tag

    from generator.render.vcs import newest_tag, tags

    template = versioned_template(tmp_path / "tpl")
    names = tags(str(template))
    assert newest_tag(names) == get_latest_tag(str(template)) == "v1.2.0"
    assert newest_tag(names, prereleases=True) == "v2.0.0rc1"
    assert get_latest_tag(str(template), use_prereleases=True) == "v2.0.0rc1"
    assert newest_tag(["1.0.0", "v1.0.0", "nightly"]) == "1.0.0"
    assert newest_tag(["2.0.0b1", "latest"]) is None  # Copier then renders HEAD


@pytest.mark.parametrize("form", ["path", "file-url"])
def test_a_copier_template_renders_the_release_copier_renders(
    cli, tmp_path: Path, form: str
) -> None:
    template = versioned_template(tmp_path / "tpl")
    source = str(template) if form == "path" else f"git+file://{template}"
    native, ours = tmp_path / "native", tmp_path / "ours"
    native_copy(source, native, data={"name": "orders"})

    result = cli("new", "--template", source, "-o", str(ours), "-d", "name=orders", "--json")

    assert result.exit_code == 0, result.output
    assert (ours / "VERSION").read_text() == "1.2.0 orders\n"
    assert tree(ours) == tree(native)
    assert answers(ours)["_commit"] == answers(native)["_commit"] == "v1.2.0"
    assert answers(ours)["_src_path"] == answers(native)["_src_path"] == source


def test_prereleases_and_refs_pick_what_copier_picks(cli, tmp_path: Path) -> None:
    template = versioned_template(tmp_path / "tpl")
    for args, kwargs, expected in (
        (["--template-prereleases"], {"use_prereleases": True}, "2.0.0rc1"),
        (["--template-ref", "v1.0.0"], {"vcs_ref": "v1.0.0"}, "1.0.0"),
        (["--template-ref", "main"], {"vcs_ref": "main"}, "unreleased"),
    ):
        native, ours = tmp_path / f"n{expected}", tmp_path / f"o{expected}"
        native_copy(str(template), native, **kwargs)
        result = cli("new", "--template", str(template), "-o", str(ours), *args)
        assert result.exit_code == 0, result.output
        assert (ours / "VERSION").read_text() == f"{expected} svc\n"
        assert tree(ours) == tree(native)
        assert answers(ours)["_commit"] == answers(native)["_commit"]


def test_a_template_without_tags_renders_head(cli, tmp_path: Path) -> None:
    template = write(
        tmp_path / "tpl",
        {"copier.yml": "name: svc\n", "HEAD.txt.jinja": "head of {{ name }}\n"},
    )
    release(template, "only commit")
    (template / "HEAD.txt.jinja").write_text("second commit of {{ name }}\n")
    release(template, "second")

    result = cli("new", "--template", f"git+file://{template}", "-o", str(tmp_path / "o"))

    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "HEAD.txt").read_text() == "second commit of svc\n"


def test_plain_copier_update_accepts_a_repository_scaffold_rendered(cli, tmp_path: Path) -> None:
    """The reported failure: HEAD (past the last tag) rendered, then `copier update` refused
    to "downgrade" from v1.0.0.post1 to v1.0.0."""
    import copier

    template = write(
        tmp_path / "tpl",
        {
            "copier.yml": "_answers_file: .copier-answers.yml\nname: svc\n",
            "{{_copier_conf.answers_file}}.jinja": "{{ _copier_answers | to_nice_yaml }}",
            "VERSION.jinja": "1.0.0 {{ name }}\n",
        },
    )
    release(template, "first", "v1.0.0")
    write(template, {"VERSION.jinja": "unreleased {{ name }}\n"})
    release(template, "work in progress")
    project = tmp_path / "project"
    made = cli("new", "--template", str(template), "-o", str(project), "-d", "name=orders")
    assert made.exit_code == 0, made.output
    release(project, "generated")

    copier.run_update(project, defaults=True, overwrite=True, quiet=True)  # nothing newer

    assert (project / "VERSION").read_text() == "1.0.0 orders\n"
    write(template, {"VERSION.jinja": "1.1.0 {{ name }}\n"})
    release(template, "next", "v1.1.0")
    copier.run_update(project, defaults=True, overwrite=True, quiet=True)
    assert (project / "VERSION").read_text() == "1.1.0 orders\n"
    assert answers(project)["_commit"] == "v1.1.0"


# -- item 2: refs of local clones, git+file:// -------------------------------------------------


def test_template_ref_works_on_a_local_clone_and_a_folder_outside_git_says_why(
    cli, tmp_path: Path
) -> None:
    template = versioned_template(tmp_path / "tpl")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(template), str(clone))

    result = cli(
        "new", "--template", str(clone), "--template-ref", "v1.1.0", "-o", str(tmp_path / "o")
    )

    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "VERSION").read_text() == "1.1.0 svc\n"
    plain = write(tmp_path / "plain", {"copier.yml": "name: svc\n"})
    refused = cli(
        "new", "--template", str(plain), "--template-ref", "v1", "-o", str(tmp_path / "p")
    )
    assert refused.exit_code == 2 and "folder outside git" in refused.stderr


def test_file_urls_work_for_copier_and_record_a_source_copier_can_update_from(
    cli, tmp_path: Path
) -> None:
    template = versioned_template(tmp_path / "tpl")
    out = tmp_path / "o"

    result = cli("new", "--template", f"file://{template}", "-o", str(out))

    assert result.exit_code == 0, result.output
    assert (out / "VERSION").read_text() == "1.2.0 svc\n"
    # Copier reads a bare file:// URL as a missing folder; with git+ it clones it
    assert answers(out)["_src_path"] == f"git+file://{template}"


# -- item 3: --data values parsed as Copier's CLI parses them --------------------------------


def multiselect_template(root: Path) -> Path:
    write(
        root,
        {
            "copier.yml": (
                "platforms:\n  type: str\n  multiselect: true\n"
                "  choices: [linux, macos, windows]\n  default: [linux]\n"
                "limits:\n  type: yaml\n  default: {cpu: 1}\n"
                "replicas:\n  type: int\n  default: 1\n"
                "public:\n  type: bool\n  default: false\n"
            ),
            "out.txt.jinja": (
                "{{ platforms | join(',') }} {{ limits.cpu }}/{{ limits.memory | default('-') }} "
                "{{ replicas + 1 }} {{ public }}\n"
            ),
        },
    )
    release(root, "template", "v1.0.0")
    return root


def test_data_values_are_parsed_as_copiers_cli_parses_them(cli, tmp_path: Path) -> None:
    template = multiselect_template(tmp_path / "tpl")
    data = {
        "platforms": "[linux, macos]",
        "limits": "{cpu: 2, memory: 512}",
        "replicas": "3",
        "public": "yes",
    }
    native, ours = tmp_path / "native", tmp_path / "ours"
    native_copy(str(template), native, data=data)  # Copier's CLI hands the raw text over

    args = [a for k, v in data.items() for a in ("-d", f"{k}={v}")]
    result = cli("new", "--template", str(template), "-o", str(ours), *args, "--json")

    assert result.exit_code == 0, result.output
    assert (ours / "out.txt").read_text() == "linux,macos 2/512 4 True\n"
    assert tree(ours) == tree(native)
    assert json.loads(result.stdout)["answers"]["platforms"] == ["linux", "macos"]
    listed = cli(
        "new", "--template", str(template), "-o", str(tmp_path / "c"), "-d", "platforms=macos,linux"
    )
    assert listed.exit_code == 0 and (tmp_path / "c" / "out.txt").read_text().startswith(
        "linux,macos "
    )


# -- item 4: every problem at once, under its question; a bad source is a source error -------


def test_copier_answer_problems_are_named_and_reported_all_at_once(cli, tmp_path: Path) -> None:
    template = multiselect_template(tmp_path / "tpl")
    write(
        template,
        {
            "copier.yml": (template / "copier.yml").read_text()
            + "name:\n  type: str\n  default: svc\n"
            "  validator: '{% if name != name | lower %}lowercase only{% endif %}'\n"
        },
    )
    release(template, "a validator", "v1.1.0")
    out = tmp_path / "out"

    result = cli(
        "new", "--template", str(template), "-o", str(out), "--json",
        "-d", "platforms=[linux, bsd]", "-d", "replicas=many", "-d", "name=Orders",
        "-d", "colour=blue",
    )  # fmt: skip

    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    problems = {p["field"]: p["problem"] for p in error["problems"]}
    assert set(problems) == {"colour", "platforms", "replicas", "name"}
    assert problems["platforms"] == "each value must be one of linux, macos, windows"
    assert problems["replicas"].startswith("must be a int value (got 'many'")
    assert problems["name"] == "lowercase only"
    assert "is not a question of this template" in problems["colour"]
    assert not out.exists()


@pytest.mark.parametrize(
    "source",
    ["file:///nonexistent/template", "/nonexistent/template", "not a template source"],
)
def test_a_bad_source_is_a_source_error(cli, tmp_path: Path, source: str) -> None:
    result = cli("new", "--template", source, "-o", str(tmp_path / "o"), "--json")

    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "TemplateSourceError", error
    assert "answer" not in error["message"]


# -- item 5: a failing hook is one message, no traceback --------------------------------------


def test_a_failing_hook_is_one_message_without_a_traceback(tmp_path: Path) -> None:
    template = write(
        tmp_path / "cc",
        {
            "cookiecutter.json": json.dumps({"slug": "svc", "module": "bad-name"}),
            "{{cookiecutter.slug}}/README.md": "# {{ cookiecutter.slug }}\n",
            "hooks/pre_gen_project.py": (
                "print('checking the module name')\n"
                "raise ValueError('module {{ cookiecutter.module }} is not a Python identifier')\n"
            ),
        },
    )
    out = tmp_path / "out"

    done = subprocess.run(
        [SCAFFOLD, "new", "--template", str(template), "-o", str(out), "--trust"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and 'File "' not in done.stderr
    assert done.stderr.startswith("error: a hook of template")
    assert "ValueError: module bad-name is not a Python identifier" in done.stderr
    assert "checking the module name" in done.stderr
    assert done.stdout == "" and not out.exists()


# -- item 6: .cruft.json as cruft writes it, which cruft check accepts -------------------------


@pytest.fixture
def github_mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`https://github.com/...` served from a local folder (git's url.insteadOf), offline."""
    mirror = tmp_path / "github"
    mirror.mkdir()
    config = tmp_path / "gitconfig"
    config.write_text(f'[url "file://{mirror}/"]\n\tinsteadOf = https://github.com/\n')
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    return mirror


def test_a_gh_source_is_recorded_as_the_url_cruft_clones(
    cli, tmp_path: Path, github_mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cruft = pytest.importorskip("cruft", reason="cruft is in the test extra")
    template = write(
        github_mirror / "acme" / "cookiecutter-svc.git",
        {
            "cookiecutter.json": json.dumps({"slug": "svc"}),
            "{{cookiecutter.slug}}/README.md": "# {{ cookiecutter.slug }}\n",
        },
    )
    release(template, "template")
    monkeypatch.chdir(tmp_path)

    result = cli("new", "--template", "gh:acme/cookiecutter-svc", "--json")

    assert result.exit_code == 0, result.output
    state = json.loads((tmp_path / "svc" / ".cruft.json").read_text())
    assert state["template"] == "https://github.com/acme/cookiecutter-svc.git"
    assert state["context"]["cookiecutter"]["_template"] == state["template"]
    assert state["context"]["cookiecutter"]["_commit"] == state["commit"]
    assert cruft.check(tmp_path / "svc") is True


def test_two_templates_with_same_named_extension_modules_render_in_one_process(
    cli, tmp_path: Path
) -> None:
    """Cookiecutter imports `_extensions` by name: the second template must get its own."""
    for word in ("Loud", "Quiet"):
        template = write(
            tmp_path / word,
            {
                "cookiecutter.json": json.dumps(
                    {"slug": word.lower(), "_extensions": [f"local_extensions.{word}"]}
                ),
                "local_extensions.py": (
                    "from jinja2.ext import Extension\n\n\n"
                    f"class {word}(Extension):\n"
                    "    def __init__(self, environment):\n"
                    "        super().__init__(environment)\n"
                    f"        environment.filters['voice'] = lambda v: '{word}: ' + v\n"
                ),
                "{{cookiecutter.slug}}/said.txt": "{{ cookiecutter.slug | voice }}\n",
            },
        )
        out = tmp_path / f"out-{word}"
        result = cli("new", "--template", str(template), "-o", str(out), "--trust")
        assert result.exit_code == 0, result.output
        assert (out / "said.txt").read_text() == f"{word}: {word.lower()}\n"
