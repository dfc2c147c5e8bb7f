"""`scaffold export backstage TYPE`: a Backstage Software Template for one service type.

Backstage renders its own templates with Nunjucks, so it cannot run scaffold's Copier templates
itself. The exported template therefore keeps scaffold as the one generator:

1. its form (`spec.parameters`) is generated from the type's JSON Schema: the same fields,
   types, choices, ranges, patterns and defaults, in pages, plus a RepoUrlPicker;
2. `fetch:template` renders a skeleton holding the answers (`scaffold-answers.json`, the form
   values as JSON), a first `catalog-info.yaml` and a bootstrap workflow;
3. `publish:github` creates the repository with its default branch protected (Backstage's
   default, stated explicitly: one approving review, admins included), and
   `github:actions:dispatch` runs the bootstrap workflow in it: `scaffold new TYPE NAME
   --data-file ...` with the scaffold release that exported the template. A protected branch
   takes no direct push, so the workflow commits the generated repository (and the removal of
   the bootstrap) on the branch `scaffold/bootstrap` and opens a pull request, whose CI runs
   the generated tests; merging it finishes the repository;
4. `catalog:register` registers the component.

The result, once the pull request is merged, is the repository `scaffold new` writes with the
same answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from generator.api import spec_schema
from generator.render.atomic import write_atomically
from generator.resources import installed_version
from generator.spec.registry import resolve_type

ANSWERS_FILE = "scaffold-answers.json"
BOOTSTRAP_WORKFLOW = ".github/workflows/scaffold-bootstrap.yml"
BOOTSTRAP_BRANCH = "scaffold/bootstrap"
TOKEN_SECRET = "SCAFFOLD_BOOTSTRAP_TOKEN"
DEFAULT_BRANCH = "main"
# publish:github protects the default branch unless told otherwise (protectDefaultBranch and
# protectEnforceAdmins default to true, one approving review): stated here so the bootstrap's
# pull request, not a push, is visibly the way in.
_PROTECTION = {
    "protectDefaultBranch": True,
    "protectEnforceAdmins": True,
    "requiredApprovingReviewCount": 1,
}

# Form pages: these fields first, in this order; the type's own fields get a page of their own.
_SERVICE_PAGE = ("description", "owner_team", "system")
_OPERATIONS_PAGE = (
    "aws_region",
    "environments",
    "cost_center",
    "multi_tenant",
    "tags",
    "slo_availability",
    "monthly_budget_usd",
    "rto_minutes",
    "rpo_minutes",
)
# Filled from the repository picker rather than asked twice: the service is named after its
# repository (scaffold assumes they are equal: OIDC trust, catalog slug), and GitHub owners are
# case-insensitive while scaffold's answers are lowercase.
_FROM_REPO_URL = {
    "name": "${{ parameters.repoUrl | parseRepoUrl | pick('repo') }}",
    "github_org": "${{ parameters.repoUrl | parseRepoUrl | pick('owner') | lower }}",
}
# The description is one line (its pattern refuses line breaks): the default single-line
# text widget, not a textarea that would invite them.
_UI: dict[str, dict[str, Any]] = {
    "environments": {"ui:widget": "checkboxes"},
}


class ExportResult(BaseModel):
    """What `export_backstage` wrote."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    service_type: str
    destination: str
    files: list[str]
    scaffold_version: str


def _field(prop: dict[str, Any], name: str) -> dict[str, Any]:
    field = {k: v for k, v in prop.items() if k not in {"$schema"}}
    field.update(_UI.get(name, {}))
    return field


def _repo_url_pattern(name: dict[str, Any]) -> str:
    """RepoUrlPicker's value (`github.com?owner=O&repo=R`) with R a valid service name."""
    lower, upper = name["minLength"], name["maxLength"]
    rule = str(name["pattern"]).removeprefix("^").removesuffix("$")
    length = "(?=[^&]{%d,%d}(&|$))" % (lower, upper)  # noqa: UP031 (regex braces)
    return r"^github\.com\?(.*&)?repo=" + length + rule + r"(&.*)?$"


def parameters(service_type: str) -> list[dict[str, Any]]:
    """The form: one JSON Schema (draft-07 compatible) per page, from the spec's schema."""
    schema = spec_schema(service_type)
    props: dict[str, dict[str, Any]] = schema["properties"]
    required = set(schema.get("required", [])) - set(_FROM_REPO_URL)
    asked = [f for f in props if f not in _FROM_REPO_URL]
    own = [f for f in asked if f not in _SERVICE_PAGE and f not in _OPERATIONS_PAGE]
    label = resolve_type(service_type).model.service_type.replace("-", " ")
    pages = [
        ("Service", [f for f in _SERVICE_PAGE if f in props]),
        ("AWS and operations", [f for f in _OPERATIONS_PAGE if f in props]),
        (f"{label.capitalize()} settings", own),
    ]
    form = []
    for title, fields in pages:
        page: dict[str, Any] = {
            "title": title,
            "type": "object",
            "properties": {f: _field(props[f], f) for f in fields},
        }
        needed = [f for f in fields if f in required]
        if needed:
            page["required"] = needed
        form.append(page)
    form.append(
        {
            "title": "Repository",
            "type": "object",
            "required": ["repoUrl"],
            "properties": {
                "repoUrl": {
                    "title": "Repository",
                    "description": "The repository is named after the service: "
                    + props["name"]["description"],
                    "type": "string",
                    "pattern": _repo_url_pattern(props["name"]),
                    "ui:field": "RepoUrlPicker",
                    "ui:options": {"allowedHosts": ["github.com"]},
                }
            },
        }
    )
    return form


def _values(service_type: str, form: list[dict[str, Any]]) -> dict[str, Any]:
    answers = {
        field: "${{ parameters.%s }}" % field  # noqa: UP031 (Backstage's own `${{ }}` syntax)
        for page in form[:-1]
        for field in page["properties"]
    }
    answers["github_org"] = _FROM_REPO_URL["github_org"]
    return {"service_type": service_type, "name": _FROM_REPO_URL["name"], "answers": answers}


def template_document(service_type: str) -> dict[str, Any]:
    """template.yaml as data (apiVersion scaffolder.backstage.io/v1beta3, kind Template)."""
    spec_type = resolve_type(service_type)
    canonical = spec_type.model.service_type
    form = parameters(canonical)
    return {
        "apiVersion": "scaffolder.backstage.io/v1beta3",
        "kind": "Template",
        "metadata": {
            "name": f"scaffold-{canonical}",
            "title": f"{canonical} (scaffold)",
            "description": f"{spec_type.summary} Generated by scaffold {installed_version()}: "
            "the same repository `scaffold new` writes.",
            "tags": ["scaffold", "aws", "python", spec_type.alias],
        },
        "spec": {
            "owner": "group:platform",
            "type": "service",
            "parameters": form,
            "steps": [
                {
                    "id": "fetch",
                    "name": "Answers and bootstrap workflow",
                    "action": "fetch:template",
                    "input": {
                        "url": "./skeleton",
                        # GitHub's own ${{ }} expressions must reach the workflow untouched
                        "copyWithoutTemplating": [".github/workflows/*"],
                        "values": _values(canonical, form),
                    },
                },
                {
                    "id": "publish",
                    "name": "Create the GitHub repository",
                    "action": "publish:github",
                    "input": {
                        "repoUrl": "${{ parameters.repoUrl }}",
                        "description": "${{ parameters.description }}",
                        "defaultBranch": DEFAULT_BRANCH,
                        "repoVisibility": "private",
                        **_PROTECTION,
                    },
                },
                {
                    "id": "generate",
                    "name": "Generate the repository with scaffold",
                    "action": "github:actions:dispatch",
                    "input": {
                        "repoUrl": "${{ parameters.repoUrl }}",
                        "workflowId": Path(BOOTSTRAP_WORKFLOW).name,
                        "branchOrTagName": DEFAULT_BRANCH,
                    },
                },
                {
                    "id": "register",
                    "name": "Register in the catalog",
                    "action": "catalog:register",
                    "input": {
                        "repoContentsUrl": "${{ steps.publish.output.repoContentsUrl }}",
                        "catalogInfoPath": "/catalog-info.yaml",
                    },
                },
            ],
            "output": {
                "text": [
                    {
                        "title": "Next step",
                        "content": "The default branch is protected, so the bootstrap workflow "
                        f"opens a pull request from `{BOOTSTRAP_BRANCH}` with the generated "
                        "repository within a minute or two; its CI runs the generated tests. "
                        "Review and merge it to finish.",
                    }
                ],
                "links": [
                    {"title": "Repository", "url": "${{ steps.publish.output.remoteUrl }}"},
                    {
                        "title": "Open in catalog",
                        "icon": "catalog",
                        "entityRef": "${{ steps.register.output.entityRef }}",
                    },
                ],
            },
        },
    }


def _catalog_info() -> str:
    return """\
# Registered by the scaffold template; the bootstrap workflow replaces it with the full entry.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${{ values.name }}
  description: ${{ values.answers.description | dump }}
  annotations:
    github.com/project-slug: ${{ values.answers.github_org }}/${{ values.name }}
spec:
  type: service
  lifecycle: experimental
  owner: group:${{ values.answers.owner_team }}
{%- if values.answers.system %}
  system: ${{ values.answers.system }}
{%- endif %}
"""


def _bootstrap_workflow(version: str) -> str:
    """The skeleton's workflow (generator/export/scaffold-bootstrap.yml), with this release."""
    text = (Path(__file__).parent / "scaffold-bootstrap.yml").read_text(encoding="utf-8")
    return (
        text.replace("@SCAFFOLD_SPEC@", f"scaffold-services=={version}")
        .replace("@ANSWERS_FILE@", ANSWERS_FILE)
        .replace("@BOOTSTRAP_WORKFLOW@", BOOTSTRAP_WORKFLOW)
        .replace("@BOOTSTRAP_BRANCH@", BOOTSTRAP_BRANCH)
        .replace("@TOKEN_SECRET@", TOKEN_SECRET)
    )


def _readme(service_type: str) -> str:
    return f"""\
# Backstage template: {service_type} (scaffold)

Exported by `scaffold export backstage {service_type}` from scaffold {installed_version()}.
Register `template.yaml` in the Backstage catalog. The form's fields come from the service
type's JSON Schema; the steps create the repository, then run `scaffold new` in it through the
bootstrap workflow (`skeleton/{BOOTSTRAP_WORKFLOW}`), so the result is the repository
`scaffold new` writes with the same answers.

Needs, in Backstage: the `publish:github`, `github:actions:dispatch` and `catalog:register`
actions (the GitHub scaffolder module); in GitHub: the organisation secret `{TOKEN_SECRET}`
(a token with contents, pull requests and workflows write). Re-export after upgrading scaffold.

`publish:github` protects the default branch (`protectDefaultBranch`, `protectEnforceAdmins`:
one approving review, admins included; Backstage's defaults, set explicitly in
`template.yaml`), so nothing can push to it directly, the bootstrap included. The bootstrap
workflow therefore pushes the generated repository to the branch `{BOOTSTRAP_BRANCH}` and
opens a pull request; its CI runs the generated tests, and merging it finishes the repository.
To change the protection, edit those inputs of the `publish` step: the bootstrap works with
any of them.
"""


def export_backstage(
    service_type: str, output: Path | None = None, *, force: bool = False
) -> ExportResult:
    """Write the Backstage template of `service_type` into `output` (default ./backstage-TYPE)."""
    canonical = resolve_type(service_type).model.service_type
    dest = (output or Path(f"backstage-{canonical}")).expanduser().absolute()
    version = installed_version()
    document = template_document(canonical)
    files = {
        "template.yaml": "# Exported by `scaffold export backstage`; re-export, do not edit.\n"
        + yaml.safe_dump(document, sort_keys=False, width=100, allow_unicode=True),
        "README.md": _readme(canonical),
        f"skeleton/{ANSWERS_FILE}": "${{ values | dump(2) }}\n",
        "skeleton/catalog-info.yaml": _catalog_info(),
        f"skeleton/{BOOTSTRAP_WORKFLOW}": _bootstrap_workflow(version),
    }

    def render(into: Path) -> None:
        for rel, text in files.items():
            (into / rel).parent.mkdir(parents=True, exist_ok=True)
            (into / rel).write_text(text, encoding="utf-8")

    written, _ = write_atomically(dest, render, force)
    return ExportResult(
        service_type=canonical, destination=str(dest), files=written, scaffold_version=version
    )
