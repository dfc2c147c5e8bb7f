"""`scaffold export backstage`: the template's structure, its form, and the repository it makes.

Backstage's own validator is TypeScript; these tests check the exported template against the
Software Template format as documented (scaffolder.backstage.io/v1beta3: the catalog entity
envelope, `spec.type`, `parameters` as JSON Schema forms, `steps` of actions with ids, `output`)
and then play Backstage's part: `fetch:template` renders the skeleton with Nunjucks' `${{ }}`
syntax (Jinja2 configured the same way), and the bootstrap workflow's script runs, with the
local scaffold in place of `pipx run`. The result must equal `scaffold new` with the answers.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jinja2
import jsonschema
import pytest
import yaml
from gitrepo import git

from generator.render.atomic import list_files
from generator.samples import load_samples

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXPRESSION = re.compile(r"^\$\{\{\s*(.+?)\s*\}\}$")

# The Software Template format (v1beta3) as documented, with the catalog entity envelope rules
# (https://backstage.io/docs/features/software-catalog/descriptor-format): written for this test.
TEMPLATE_FORMAT: dict[str, Any] = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "scaffolder.backstage.io/v1beta3"},
        "kind": {"const": "Template"},
        "metadata": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {
                    "type": "string",
                    "maxLength": 63,
                    "pattern": "^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$",
                },
                "title": {"type": "string", "minLength": 1},
                "description": {"type": "string", "minLength": 1},
                "tags": {
                    "type": "array",
                    "items": {"type": "string", "pattern": "^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$"},
                },
            },
        },
        "spec": {
            "type": "object",
            "required": ["type", "steps"],
            "additionalProperties": False,
            "properties": {
                "type": {"type": "string", "minLength": 1},
                "owner": {"type": "string", "minLength": 1},
                "parameters": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["title", "properties"],
                        "properties": {"type": {"const": "object"}},
                    },
                },
                "steps": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["id", "name", "action", "input"],
                        "additionalProperties": False,
                        "properties": {
                            "id": {"type": "string", "pattern": "^[a-z][a-zA-Z0-9_-]*$"},
                            "name": {"type": "string"},
                            "action": {"type": "string"},
                            "input": {"type": "object"},
                            "if": {"type": ["string", "boolean"]},
                        },
                    },
                },
                "output": {
                    "type": "object",
                    "properties": {
                        "links": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "url": {"type": "string"},
                                    "entityRef": {"type": "string"},
                                    "title": {"type": "string"},
                                    "icon": {"type": "string"},
                                },
                            },
                        }
                    },
                },
            },
        },
    },
}
# Built-in actions, and those of the GitHub scaffolder module, that the template may use.
KNOWN_ACTIONS = {"fetch:template", "publish:github", "github:actions:dispatch", "catalog:register"}
# publish:github's documented inputs (plugins/scaffolder-backend-module-github, the action's
# input schema), so a misspelt one (Backstage ignores unknown inputs) fails here.
PUBLISH_GITHUB_INPUTS = {
    "repoUrl", "description", "homepage", "access", "defaultBranch", "protectDefaultBranch",
    "protectEnforceAdmins", "deleteBranchOnMerge", "gitCommitMessage", "gitAuthorName",
    "gitAuthorEmail", "allowRebaseMerge", "allowSquashMerge", "squashMergeCommitTitle",
    "squashMergeCommitMessage", "allowMergeCommit", "allowAutoMerge", "allowUpdateBranch",
    "sourcePath", "bypassPullRequestAllowances", "requiredApprovingReviewCount",
    "restrictions", "requireCodeOwnerReviews", "dismissStaleReviews",
    "requiredStatusCheckContexts", "requireBranchesToBeUpToDate",
    "requiredConversationResolution", "requireLastPushApproval", "repoVisibility",
    "collaborators", "hasProjects", "hasWiki", "hasIssues", "token", "topics",
    "repoVariables", "secrets", "oidcCustomization", "requiredCommitSigning",
    "requiredLinearHistory", "customProperties", "subscribe", "blockCreations",
}  # fmt: skip


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("backstage")
    found = {}
    for service_type in ("web-service", "batch-service", "event-service"):
        out = root / service_type
        done = subprocess.run(
            [str(BIN / "scaffold"), "export", "backstage", service_type, "-o", str(out), "--json"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert sorted(json.loads(done.stdout)["files"]) == sorted(list_files(out))
        found[service_type] = out
    return found


def document(folder: Path) -> dict[str, Any]:
    return yaml.safe_load((folder / "template.yaml").read_text())


def expressions(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [e for v in value.values() for e in expressions(v)]
    if isinstance(value, list):
        return [e for v in value for e in expressions(v)]
    if isinstance(value, str):
        return re.findall(r"\$\{\{\s*(.+?)\s*\}\}", value)
    return []


def test_template_follows_the_software_template_format(exported: dict[str, Path]) -> None:
    for service_type, folder in exported.items():
        doc = document(folder)
        jsonschema.validate(doc, TEMPLATE_FORMAT)
        steps = doc["spec"]["steps"]
        ids = [s["id"] for s in steps]
        assert len(ids) == len(set(ids))
        assert {s["action"] for s in steps} <= KNOWN_ACTIONS
        fields = {f for page in doc["spec"]["parameters"] for f in page["properties"]}
        for index, step in enumerate(steps):
            for expr in expressions(step["input"]):
                head = expr.split("|")[0].strip()
                if head.startswith("parameters."):
                    assert head.split(".")[1] in fields, (service_type, expr)
                elif head.startswith("steps."):
                    assert head.split(".")[1] in ids[:index], (service_type, expr)
        for expr in expressions(doc["spec"]["output"]):
            assert expr.split(".")[1] in ids
        fetch = steps[0]["input"]
        assert (folder / fetch["url"]).is_dir()


def test_form_is_the_specs_json_schema(exported: dict[str, Path]) -> None:
    from generator.api import spec_schema

    for service_type, folder in exported.items():
        pages = document(folder)["spec"]["parameters"]
        for page in pages:
            jsonschema.Draft7Validator.check_schema(page)
        properties = {k: v for page in pages for k, v in page["properties"].items()}
        spec = spec_schema(service_type)["properties"]
        # every answer is asked, except the name and organisation: the repository picker's
        assert set(properties) == set(spec) - {"github_org", "name"} | {"repoUrl"}
        for field, prop in spec.items():
            if field in {"github_org", "name"}:
                continue
            for key in ("type", "enum", "minimum", "maximum", "pattern", "default", "items"):
                assert properties[field].get(key) == prop.get(key), (service_type, field, key)
        assert properties["repoUrl"]["ui:field"] == "RepoUrlPicker"


def test_form_accepts_a_samples_answers_and_rejects_bad_ones(exported: dict[str, Path]) -> None:
    samples = load_samples(REPO / "samples")
    for sample in samples.values():
        pages = document(exported[sample.type])["spec"]["parameters"]
        repo_url = f"github.com?owner=Acme&repo={sample.name}"
        values = {**sample.answers, "repoUrl": repo_url}
        values.pop("github_org", None)
        for page in pages:
            subset = {k: v for k, v in values.items() if k in page["properties"]}
            jsonschema.validate(subset, page, cls=jsonschema.Draft7Validator)
        repository = pages[-1]
        for bad in ("Orders-API", "ab", "a" * 25, "orders--api"):
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate({"repoUrl": f"github.com?owner=acme&repo={bad}"}, repository)


def parse_repo_url(url: str) -> dict[str, str]:
    host, _, query = url.partition("?")
    params = {k: v[0] for k, v in parse_qs(query).items()}
    return {"host": host, **params}


def resolve(value: Any, context: dict[str, Any], env: jinja2.Environment) -> Any:
    """Backstage's input templating: a whole `${{ expr }}` keeps the value's type."""
    if isinstance(value, dict):
        return {k: resolve(v, context, env) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, context, env) for v in value]
    if isinstance(value, str):
        match = EXPRESSION.match(value)
        if match:
            return env.compile_expression(match.group(1), undefined_to_none=False)(**context)
        return env.from_string(value).render(**context)
    return value


def backstage_env() -> jinja2.Environment:
    env = jinja2.Environment(
        variable_start_string="${{",
        variable_end_string="}}",
        undefined=jinja2.ChainableUndefined,  # Nunjucks: a missing attribute is undefined
        keep_trailing_newline=True,
    )
    env.filters["dump"] = lambda value, indent=None: json.dumps(value, indent=indent)
    env.filters["parseRepoUrl"] = parse_repo_url
    env.filters["pick"] = lambda value, key: value[key]
    return env


def run_step(workflow: dict[str, Any], name: str, repo: Path, env: dict[str, str]) -> str:
    """Run one `run:` step of the bootstrap workflow in `repo`; its output (it must succeed)."""
    steps = workflow["jobs"]["generate"]["steps"]
    script = next(s["run"] for s in steps if s.get("name") == name)
    script = script.replace('pipx run --spec "${SCAFFOLD_SPEC}" scaffold', str(BIN / "scaffold"))
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **workflow["env"], **env},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def protected_origin(tmp_path: Path) -> Path:
    """A bare repository whose `main` takes no push, as publish:github leaves the default
    branch: protected, one review required, admins included."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    hook = origin / "hooks" / "pre-receive"
    created = "0" * 40  # the branch's creation (publish:github's first push) is allowed
    hook.write_text(
        "#!/bin/sh\nwhile read old new ref; do\n"
        f'  if [ "$ref" = refs/heads/main ] && [ "$old" != {created} ]; then\n'
        '    echo "protected branch hook declined: a pull request review is required" >&2\n'
        "    exit 1\n  fi\ndone\n"
    )
    hook.chmod(0o755)
    return origin


def fake_gh(tmp_path: Path) -> tuple[Path, Path]:
    """A `gh` that records its arguments (GitHub is not reachable from the tests)."""
    bin_dir, calls = tmp_path / "fake-bin", tmp_path / "gh-calls"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(f'#!/bin/sh\necho "$*" >> {calls}\n')
    gh.chmod(0o755)
    return bin_dir, calls


@pytest.mark.parametrize("sample", ["web-postgres", "batch", "event-sns"])
def test_the_steps_produce_the_same_repository(
    exported: dict[str, Path], tmp_path: Path, sample: str
) -> None:
    definition = load_samples(REPO / "samples")[sample]
    folder = exported[definition.type]
    doc = document(folder)
    fetch = doc["spec"]["steps"][0]["input"]
    answers = dict(definition.answers)
    org = answers.pop("github_org")
    # an owner typed with capitals: GitHub ignores case, scaffold's answers are lowercase
    parameters = {**answers, "repoUrl": f"github.com?owner={org.upper()}&repo={definition.name}"}
    # the form fills every default the user did not change, as react-jsonschema-form does
    for page in doc["spec"]["parameters"]:
        for field, prop in page["properties"].items():
            if "default" in prop:
                parameters.setdefault(field, prop["default"])
    env = backstage_env()
    values = resolve(fetch["values"], {"parameters": parameters}, env)

    # fetch:template: render the skeleton, copying the workflows untouched
    repo = tmp_path / "repo"
    skeleton = folder / fetch["url"]
    for rel in list_files(skeleton):
        text = (skeleton / rel).read_text()
        if not any(fnmatch.fnmatch(rel, glob) for glob in fetch["copyWithoutTemplating"]):
            text = env.from_string(text).render(values=values)
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    catalog = yaml.safe_load((repo / "catalog-info.yaml").read_text())
    assert catalog["metadata"]["name"] == definition.name
    # publish:github: the first commit on main, which is then protected
    origin = protected_origin(tmp_path)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "skeleton")
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "push", "-q", "origin", "HEAD:refs/heads/main")

    # github:actions:dispatch: the bootstrap workflow, with the local scaffold and a fake gh
    workflow = yaml.safe_load((repo / ".github/workflows/scaffold-bootstrap.yml").read_text())
    run_step(workflow, "Generate the repository", repo, {"RUNNER_TEMP": str(tmp_path)})
    direct = tmp_path / "direct"
    data = tmp_path / "answers.yml"
    data.write_text(yaml.safe_dump(definition.answers))
    made = subprocess.run(
        [
            str(BIN / "scaffold"),
            "new",
            definition.type,
            definition.name,
            "--data-file",
            str(data),
            "-o",
            str(direct),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    ours = [p for p in list_files(repo) if not p.startswith(".git/")]
    assert ours == list_files(direct)
    for rel in ours:
        assert (repo / rel).read_bytes() == (direct / rel).read_bytes(), rel
    bin_dir, calls = fake_gh(tmp_path)
    path = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    run_step(workflow, "Open a pull request", repo, {"PATH": path, "BASE_BRANCH": "main"})

    # main is untouched; the generated repository waits on the pull request's branch
    branch = workflow["env"]["BOOTSTRAP_BRANCH"]
    assert git(origin, "log", "--format=%s", "main").splitlines() == ["skeleton"]
    listed = git(origin, "ls-tree", "-r", "--name-only", branch).split()
    assert sorted(listed) == list_files(direct)
    (created,) = [c for c in calls.read_text().splitlines() if c.startswith("pr create")]
    assert f"--base main --head {branch}" in created


def test_the_default_branch_is_protected_and_takes_no_direct_push(
    exported: dict[str, Path], tmp_path: Path
) -> None:
    """publish:github's protection (stated explicitly, with documented input names) is why the
    bootstrap opens a pull request: the push the bootstrap used to make is refused."""
    publish = next(
        s for s in document(exported["web-service"])["spec"]["steps"]
        if s["action"] == "publish:github"
    )["input"]  # fmt: skip
    assert set(publish) <= PUBLISH_GITHUB_INPUTS, set(publish) - PUBLISH_GITHUB_INPUTS
    assert publish["protectDefaultBranch"] is True and publish["protectEnforceAdmins"] is True
    origin = protected_origin(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "commit", "-q", "--allow-empty", "-m", "skeleton")
    git(repo, "push", "-q", str(origin), "HEAD:refs/heads/main")
    git(repo, "commit", "-q", "--allow-empty", "-m", "generated")
    refused = subprocess.run(
        ["git", "push", str(origin), "HEAD:main"], cwd=repo, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "protected branch" in refused.stderr
    text = (
        exported["web-service"] / "skeleton/.github/workflows/scaffold-bootstrap.yml"
    ).read_text()
    assert "HEAD:main" not in text and "gh pr create" in text


def test_the_one_line_description_is_a_single_line_field(exported: dict[str, Path]) -> None:
    pages = document(exported["batch-service"])["spec"]["parameters"]
    field = next(p["properties"]["description"] for p in pages if "description" in p["properties"])
    assert field.get("ui:widget") != "textarea"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("two\nlines", field)
    jsonschema.validate("One line.", field)


def test_bootstrap_workflow_is_a_valid_github_workflow(exported: dict[str, Path]) -> None:
    from test_workflows import _check_jsonschema

    workflow = exported["web-service"] / "skeleton/.github/workflows/scaffold-bootstrap.yml"
    text = workflow.read_text()
    assert 'SCAFFOLD_SPEC: "scaffold-services==' in text and "@" not in text.split("uses:")[0]
    done = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_export_refuses_a_non_empty_folder_and_unknown_types(cli, tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep\n")
    refused = cli("export", "backstage", "web", "-o", str(tmp_path))
    assert refused.exit_code == 2 and "is not empty" in refused.stderr
    unknown = cli("export", "backstage", "cron-job", "-o", str(tmp_path / "x"))
    assert unknown.exit_code == 2 and "cron-job" in unknown.stderr
    assert list_files(tmp_path) == ["mine.txt"]
