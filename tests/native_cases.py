"""Real-world-shaped templates rendered by their native tool and by scaffold (issue 17).

The templates are small fixtures in `tests/fixtures/templates/`, written for these tests in the
shape of well-known public templates. Each is turned into a git repository with a history
(release tags, some behind and some ahead of HEAD), rendered by Copier's `run_copy` or
Cookiecutter's `cookiecutter()` (and cruft's `create`) and by `scaffold new --template`, and
the trees are compared, answers files aside. Then the native update path is run on scaffold's
result: plain `copier update` to a new release, `cruft check`, and `cruft update`.

Used by tests/test_native_parity.py and by benchmarks/native_parity.py (the comparison table).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from gitrepo import git

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "templates"
SCAFFOLD = str(Path(sys.executable).parent / "scaffold")
ANSWERS_FILES = {".copier-answers.yml", ".cruft.json", ".copier/.copier-answers.yml"}


@dataclass(frozen=True)
class Case:
    """One template: its fixture, its shape, the answers given, and what it exercises."""

    name: str
    shaped_like: str
    kind: str  # copier | cookiecutter
    features: str
    data: dict[str, str]
    expect_release: str  # the marker of the release both tools must render
    trust: bool = True
    answers_file: str = ".copier-answers.yml"
    history: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    # (marker, tag, branch): each step appends "Template release MARKER." to the marked file


CASES = [
    Case(
        name="pypackage",
        shaped_like="audreyfeldroy/cookiecutter-pypackage",
        kind="cookiecutter",
        features="choices, y/n answers, pre/post hooks, _copy_without_render, __prompts__, "
        "private __ variables, slugify/jsonify extensions",
        data={
            "project_name": "Ledger Sync",
            "command_line_interface": "Argparse",
            "create_author_file": "n",
            "open_source_license": "BSD license",
        },
        expect_release="0.2.0-dev",  # Cookiecutter renders the default branch, not a tag
        history=[("0.1.0", "v0.1.0", None), ("0.2.0-dev", None, None)],
    ),
    Case(
        name="django",
        shaped_like="cookiecutter/cookiecutter-django",
        kind="cookiecutter",
        features="local _extensions, boolean and dict variables, choices, hooks removing "
        "files, _copy_without_render (Django templates, JS), includes from templates/",
        data={
            "project_name": "Ticket Desk",
            "database_engine": "mysql",
            "database_version": "mysql@8.0",
            "use_docker": "n",
            "use_celery": "y",
            "ci_tool": "Github",
            "cloud_provider": "GCP",
            "windows": "yes",
            "keep_local_envs_in_vcs": "n",
        },
        expect_release="1",
        history=[("1", None, None)],
    ),
    Case(
        name="uv",
        shaped_like="pawamoy/copier-uv",
        kind="copier",
        features="tags ahead of and behind HEAD, a pre-release, _subdirectory, _tasks, "
        "_jinja_extensions (do, loopcontrols), multiselect, labelled choices, when, "
        "validators, _skip_if_exists",
        data={
            "project_name": "Orbit Tools",
            "python_versions": "[3.11, 3.12, 3.14]",
            "copyright_license": "MIT",
            "insiders": "true",
            "author_email": "orbit@example.com",
        },
        expect_release="1.0.0",
        history=[
            ("0.1.0", "v0.1.0", None),
            ("0.2.0", "v0.2.0", None),
            ("1.0.0", "v1.0.0", "release"),  # a release branch: ahead of main's tags
            ("1.1.0b1", "v1.1.0b1", "release"),  # a pre-release: not picked
            ("unreleased", None, "main"),  # main's HEAD, past its last tag
        ],
    ),
    Case(
        name="fastapi",
        shaped_like="fastapi/full-stack-fastapi-template",
        kind="copier",
        features="no tags (HEAD), files copied as they are, answers file in .copier/ as "
        "JSON, a _tasks script writing .env, secret, int, choice and yaml questions",
        data={
            "project_name": "Shop API",
            "stack_name": "shop-api",
            "secret_key": "s3cr3t-for-tests",
            "smtp_port": "2525",
            "environment": "staging",
            "backend_cors_origins": "[https://shop.example.com, https://admin.example.com]",
        },
        expect_release="2",
        answers_file=".copier/.copier-answers.yml",
        history=[("1", None, None), ("2", None, None)],
    ),
]

_MARKED = {
    "pypackage": "{{cookiecutter.project_slug}}/HISTORY.rst",
    "django": "{{cookiecutter.project_slug}}/README.md",
    "uv": "project/README.md.jinja",
    "fastapi": "README.md",
}


def _mark(template: Path, case: Case, marker: str) -> None:
    path = template / _MARKED[case.name]
    path.write_text(path.read_text(encoding="utf-8") + f"\nTemplate release {marker}.\n")


def _commit(template: Path, message: str, tag: str | None) -> None:
    git(template, "add", "-A")
    git(template, "commit", "-q", "-m", message)
    if tag:
        git(template, "tag", tag)


def build_template(case: Case, root: Path) -> Path:
    """The fixture as a git repository with the case's history; HEAD on main."""
    template = root / f"{case.name}-template"
    shutil.copytree(FIXTURES / case.name, template, symlinks=True)
    git(template, "init", "-q")
    for marker, tag, branch in case.history:
        current = git(template, "branch", "--show-current").strip()
        if branch and branch != current:
            exists = git(template, "branch", "--list", branch).strip()
            git(template, "checkout", "-q", *(() if exists else ("-b",)), branch)
        _mark(template, case, marker)
        _commit(template, f"release {marker}", tag)
    git(template, "checkout", "-q", "main")
    return template


def release(case: Case, template: Path, marker: str) -> None:
    """A newer version of the template: a tag on the release branch (Copier), a commit."""
    branch = "release" if case.name == "uv" else "main"
    git(template, "checkout", "-q", branch)
    _mark(template, case, marker)
    _commit(template, f"release {marker}", f"v{marker}" if case.name == "uv" else None)
    git(template, "checkout", "-q", "main")


def render_native(case: Case, template: Path, out: Path) -> Path:
    """The native tool's render of `template` with the case's answers (as CLI text)."""
    out.mkdir(parents=True)
    if case.kind == "copier":
        import copier

        copier.run_copy(
            str(template), out / "project", data=dict(case.data), defaults=True, quiet=True,
            unsafe=case.trust,
        )  # fmt: skip
        return out / "project"
    from cookiecutter.main import cookiecutter

    _forget_extensions(template)  # another test's template may have a same-named module
    config = out / "cookiecutter-config.yml"
    config.write_text(
        yaml.safe_dump(
            {"cookiecutters_dir": str(out / "clones"), "replay_dir": str(out / "replay")}
        )
    )
    return Path(
        cookiecutter(
            str(template),
            no_input=True,
            extra_context=dict(case.data),
            output_dir=str(out / "output"),
            config_file=str(config),
        )
    )


def _forget_extensions(template: Path) -> None:
    """Drop the template's `_extensions` modules from this process's import cache: rendered
    in-process, Cookiecutter imports them by name, and a module of the same name from another
    template (tests/test_external.py has a `local_extensions` too) would be found instead."""
    config = json.loads((template / "cookiecutter.json").read_text(encoding="utf-8"))
    for extension in config.get("_extensions", []):
        sys.modules.pop(extension.split(".")[0], None)


def render_cruft(case: Case, template: Path, out: Path) -> Path:
    """cruft's own render (`cruft create`), for its `.cruft.json`."""
    import cruft

    _forget_extensions(template)
    return cruft.create(
        str(template),
        output_dir=out,
        extra_context=dict(case.data),
        no_input=True,
        default_config=True,
    )


def render_scaffold(case: Case, template: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`scaffold new --template TEMPLATE -o OUT -d ... [--trust] --json`, as a user runs it."""
    args = [SCAFFOLD, "new", "--template", str(template), "-o", str(out), "--json"]
    args += [a for key, value in case.data.items() for a in ("-d", f"{key}={value}")]
    if case.trust:
        args.append("--trust")
    return subprocess.run(args, capture_output=True, text=True, check=False, env=dict(os.environ))


def tree(root: Path) -> dict[str, bytes]:
    """Every file of a render except the answers files and git's own."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and path.relative_to(root).as_posix() not in ANSWERS_FILES
        and ".git" not in path.relative_to(root).parts
    }


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    """Paths missing on one side or different, for a readable assertion."""
    return sorted(p for p in set(a) | set(b) if a.get(p) != b.get(p))


def copier_answers(project: Path, case: Case) -> dict[str, Any]:
    text = (project / case.answers_file).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)  # YAML, or JSON (a subset)
    return data


def commit_project(project: Path) -> None:
    if not (project / ".git").exists():
        git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "generated")


def copier_update(case: Case, template: Path, project: Path) -> str:
    """Plain `copier update` to a newer release of the template; what it left."""
    import copier

    commit_project(project)
    release(case, template, "9.9.9")
    copier.run_update(
        project, answers_file=case.answers_file, defaults=True, overwrite=True, quiet=True,
        unsafe=case.trust,
    )  # fmt: skip
    left = [p.name for p in project.rglob("*.rej")]
    marked = "Template release 9.9.9." in ((project / "README.md").read_text(encoding="utf-8"))
    commit = copier_answers(project, case).get("_commit")
    return f"updated to {commit}" if marked and not left else f"FAILED (rej: {left})"


def cruft_round_trip(case: Case, template: Path, project: Path) -> str:
    """`cruft check` (current), then after a template commit (outdated), `cruft update`."""
    import cruft

    if not cruft.check(project):
        return "cruft check FAILED on the fresh render"
    commit_project(project)
    release(case, template, "9.9.9")
    if cruft.check(project):
        return "cruft check missed a template change"
    if not cruft.update(project, skip_apply_ask=True):
        return "cruft update FAILED"
    state = json.loads((project / ".cruft.json").read_text())
    head = git(template, "rev-parse", "HEAD").strip()
    if state["commit"] != head or not cruft.check(project):
        return "cruft update left the project outdated"
    return "cruft check passed; cruft update applied the next commit"


def rendered_release(files: dict[str, bytes]) -> str | None:
    """The newest "Template release X." marker in a render (which version was rendered)."""
    found = [
        line.removeprefix("Template release ").removesuffix(".")
        for content in files.values()
        for line in content.decode("utf-8", errors="replace").splitlines()
        if line.startswith("Template release ")
    ]
    return found[-1] if found else None
