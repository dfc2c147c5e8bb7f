"""GitHub workflows of generated repositories: GitHub's schema, least privilege, pinned actions,
OIDC deploys through the environments in order, drift detection and template updates."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import generate, make_spec

WORKFLOWS = ("ci.yml", "deploy.yml", "drift.yml", "scaffold-update.yml", "weekly-report.yml")

# One service per type; event-service without prod shows the chain and the cost estimate
# following the service's own environments.
SERVICES: dict[str, tuple[str, list[str]]] = {
    "web-service": ("orders-api", ["database=postgres"]),
    "batch-service": ("nightly-report", []),
    "event-service": ("order-events", ["environments=dev,staging"]),
}

# `uses:` references allowed without a commit SHA (none today; a tag-pinned action that could
# not be verified would be listed here with the reason).
UNPINNED_ALLOWED: frozenset[str] = frozenset()

PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
AWS_ROLE_ACTION = "aws-actions/configure-aws-credentials"


def _check_jsonschema() -> str:
    beside_python = Path(sys.executable).with_name("check-jsonschema")
    found = str(beside_python) if beside_python.exists() else shutil.which("check-jsonschema")
    if found is None:
        pytest.fail("check-jsonschema is not installed (pip install check-jsonschema)")
    return found


def _validate(files: list[Path]) -> subprocess.CompletedProcess[str]:
    """One check-jsonschema run over all files with its bundled GitHub workflow schema."""
    return subprocess.run(
        [
            _check_jsonschema(),
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A generated repository per service type (generated once for the module)."""
    root = tmp_path_factory.mktemp("workflows")
    out = {}
    for service_type, (name, data) in SERVICES.items():
        result = generate(make_spec(service_type, name, data=data), root / service_type)
        out[service_type] = Path(result.destination)
    return out


@pytest.fixture(scope="module")
def workflow_files(services: dict[str, Path]) -> list[Path]:
    return sorted(
        f for repo in services.values() for f in (repo / ".github/workflows").glob("*.yml")
    )


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    if True in data:  # YAML 1.1 reads the `on` key as a boolean
        data["on"] = data.pop(True)
    return data


def _workflow(repo: Path, name: str) -> dict[str, Any]:
    return _load(repo / ".github/workflows" / name)


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def _assumes_aws_role(job: dict[str, Any]) -> bool:
    return any(str(s.get("uses", "")).startswith(AWS_ROLE_ACTION + "@") for s in _steps(job))


def _environments(repo: Path) -> list[str]:
    answers = yaml.safe_load((repo / ".copier-answers.yml").read_text(encoding="utf-8"))
    return list(answers["environments"])


def test_every_type_has_the_five_workflows(services: dict[str, Path]) -> None:
    for service_type, repo in services.items():
        names = sorted(p.name for p in (repo / ".github/workflows").glob("*.yml"))
        assert names == sorted(WORKFLOWS), service_type


def test_every_workflow_matches_githubs_schema(workflow_files: list[Path]) -> None:
    assert len(workflow_files) == len(SERVICES) * len(WORKFLOWS)
    result = _validate(workflow_files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_fails_on_an_invalid_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "name: bad\n"
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-24.04\n"
        "    timeout-minutes: 5\n"
        "    stepz:\n"  # not a job key
        "      - run: echo hi\n",
        encoding="utf-8",
    )
    result = _validate([bad])
    assert result.returncode != 0
    assert "bad.yml" in result.stdout + result.stderr


def test_permissions_are_least_privilege(workflow_files: list[Path]) -> None:
    for path in workflow_files:
        workflow = _load(path)
        top = workflow.get("permissions")
        assert top in ({}, {"contents": "read"}), f"{path.name}: top-level permissions {top!r}"
        for job_id, job in workflow["jobs"].items():
            perms = job.get("permissions", {})
            assert isinstance(perms, dict), f"{path.name}:{job_id}: {perms!r} (write-all/read-all)"
            writes = {scope for scope, level in perms.items() if level == "write"}
            if "id-token" in writes:
                assert _assumes_aws_role(job), f"{path.name}:{job_id} asks for an unused OIDC token"
            if "issues" in writes:  # the drift issue and the weekly service report
                assert (path.name, job_id) in {
                    ("drift.yml", "report"),
                    ("weekly-report.yml", "report"),
                }, f"{path.name}:{job_id}"
            if "contents" in writes or "pull-requests" in writes:
                assert path.name == "scaffold-update.yml", f"{path.name}:{job_id} writes {writes}"


def test_jobs_that_assume_the_aws_role_use_oidc(workflow_files: list[Path]) -> None:
    assuming = 0
    for path in workflow_files:
        for job_id, job in _load(path)["jobs"].items():
            if not _assumes_aws_role(job):
                continue
            assuming += 1
            step = next(s for s in _steps(job) if s.get("uses", "").startswith(AWS_ROLE_ACTION))
            inputs = step["with"]
            if path.name == "weekly-report.yml":
                # Read-only plan role of the last environment, trusted for runs on main: no
                # environment (and no approval) for a scheduled report.
                assert inputs["role-to-assume"] == "${{ vars.AWS_REPORT_ROLE_ARN }}"
                assert job["permissions"]["id-token"] == "write" and "environment" not in job
                continue
            assert job["permissions"] == {"contents": "read", "id-token": "write"}, job_id
            assert job.get("environment"), f"{path.name}:{job_id}: no GitHub environment"
            # Only deploy jobs (which apply) get the deploy role; plans and drift read.
            role = "DEPLOY" if job_id.startswith("deploy-") else "PLAN"
            assert inputs["role-to-assume"] == f"${{{{ vars.AWS_{role}_ROLE_ARN }}}}", job_id
            assert not {"aws-access-key-id", "aws-secret-access-key"} & set(inputs)
    assert assuming >= 3 * len(SERVICES)


def test_every_action_is_pinned_to_a_commit(workflow_files: list[Path]) -> None:
    shas: dict[str, set[str]] = {}
    for path in workflow_files:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = USES_LINE.match(line)
            if not match:
                continue
            ref, rest = match.groups()
            if ref in UNPINNED_ALLOWED:
                continue
            assert PINNED.match(ref), f"{path.name}: {ref} is not pinned to a commit SHA"
            assert re.match(r"\s+# v\d", rest), f"{path.name}: {ref} has no `# vX.Y.Z` comment"
            action, sha = ref.split("@")
            shas.setdefault(action, set()).add(sha)
    assert {action for action, pins in shas.items() if len(pins) > 1} == set()
    assert AWS_ROLE_ACTION in shas


def test_every_job_has_a_timeout_and_checkouts_keep_no_credentials(
    workflow_files: list[Path],
) -> None:
    for path in workflow_files:
        for job_id, job in _load(path)["jobs"].items():
            assert isinstance(job.get("timeout-minutes"), int), f"{path.name}:{job_id}"
            for step in _steps(job):
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, f"{path.name}:{job_id}"


def test_secrets_are_never_tested_in_if_conditions(workflow_files: list[Path]) -> None:
    for path in workflow_files:
        for job_id, job in _load(path)["jobs"].items():
            conditions = [job.get("if", "")] + [s.get("if", "") for s in _steps(job)]
            assert not any("secrets." in str(c) for c in conditions), f"{path.name}:{job_id}"


def test_deploys_apply_the_environments_in_order(services: dict[str, Path]) -> None:
    for service_type, repo in services.items():
        environments = _environments(repo)
        deploy = _workflow(repo, "deploy.yml")
        assert set(deploy["on"]) == {"pull_request", "push"}
        assert deploy["on"]["push"]["branches"] == ["main"]
        jobs = deploy["jobs"]
        assert [j for j in jobs if j.startswith("deploy-")] == [f"deploy-{e}" for e in environments]
        previous = "build"
        for env in environments:
            job = jobs[f"deploy-{env}"]
            assert job["needs"] == previous, (service_type, env)
            assert job["environment"] == env
            assert job["concurrency"] == {"group": f"deploy-{env}", "cancel-in-progress": False}
            runs = "\n".join(s.get("run", "") for s in _steps(job))
            # the phases of the first deploy (infra/README.md), by the same script
            assert 'scripts/deploy.py" deploy "${DEPLOY_ENV}" --image-tag "${IMAGE_TAG}"' in runs
            assert "docker load" in runs and "terraform init" not in runs
            assert "--require-hashes -r" in runs and "scripts/requirements.txt" in runs
            assert job["env"]["IMAGE_TAG"] == "${{ github.sha }}"
            previous = f"deploy-{env}"
        if "prod" in environments:
            assert jobs["deploy-prod"]["environment"] == "prod"
        assert jobs["build"]["if"] == "github.event_name == 'push'"


def test_pull_requests_plan_every_environment_into_an_artifact(services: dict[str, Path]) -> None:
    for repo in services.values():
        plan = _workflow(repo, "deploy.yml")["jobs"]["plan"]
        assert "pull_request" in plan["if"]
        assert plan["strategy"]["matrix"]["environment"] == _environments(repo)
        # Their own environment (no reviewers, its own OIDC subject): a plan never waits for a
        # prod approval and can never get the deploy role's subject (environment:<env>).
        assert plan["environment"]["name"] == "${{ matrix.environment }}-plan"
        # plans never share (and so never replace) a deploy's concurrency group
        assert not plan["concurrency"]["group"].startswith("deploy-")
        runs = "\n".join(s.get("run", "") for s in _steps(plan))
        assert 'scripts/deploy.py" plan "${DEPLOY_ENV}"' in runs and "-out=tfplan" in runs
        assert any(s.get("uses", "").startswith("actions/upload-artifact@") for s in _steps(plan))
        # The deployed image, read from the state before planning (scripts/deploy.py's
        # --deployed-image; its own tests prove the lookup): a pull request builds no image,
        # and planning with its merge commit shows a task definition diff every time.
        assert "IMAGE_TAG" not in plan["env"]
        assert '--deployed-image --image-tag "${GITHUB_SHA}"' in runs
        script = (repo / "scripts/deploy.py").read_text(encoding="utf-8")
        assert '"output", "-raw", "image_tag"' in script


def test_the_environment_outputs_the_image_it_runs(services: dict[str, Path]) -> None:
    for repo in services.values():
        for env in _environments(repo):
            outputs = (repo / "infra/envs" / env / "outputs.tf").read_text(encoding="utf-8")
            assert re.search(r'output "image_tag" \{[^}]*value\s*=\s*var\.image_tag', outputs)


def test_only_web_services_pass_a_certificate(services: dict[str, Path]) -> None:
    for service_type, repo in services.items():
        deploy = _workflow(repo, "deploy.yml")
        for job_id, job in deploy["jobs"].items():
            if not _assumes_aws_role(job):
                continue
            runs = "\n".join(s.get("run", "") for s in _steps(job))
            if service_type == "web-service":
                # scripts/deploy.py passes it to Terraform (and refuses to run without it)
                assert job["env"]["CERTIFICATE_ARN"] == "${{ vars.CERTIFICATE_ARN }}", job_id
                assert "CERTIFICATE_ARN" in runs, job_id
            else:
                assert "CERTIFICATE_ARN" not in job["env"] and "certificate_arn" not in runs


def test_ci_checks_terraform_and_the_cost(services: dict[str, Path]) -> None:
    for repo in services.values():
        environments = _environments(repo)
        ci = _workflow(repo, "ci.yml")
        jobs = ci["jobs"]
        assert {"test", "terraform-fmt", "terraform-validate", "checkov", "cost"} <= set(jobs)
        fmt = "\n".join(s.get("run", "") for s in _steps(jobs["terraform-fmt"]))
        assert "terraform fmt -check -recursive" in fmt
        validate = jobs["terraform-validate"]
        assert validate["strategy"]["matrix"]["environment"] == environments
        runs = "\n".join(s.get("run", "") for s in _steps(validate))
        assert "terraform init -backend=false" in runs and "terraform validate" in runs
        checkov = "\n".join(s.get("run", "") for s in _steps(jobs["checkov"]))
        assert re.search(r"checkov==\d+\.\d+\.\d+", checkov)
        assert "checkov -d infra --framework terraform" in checkov
        assert "soft-fail" not in checkov
        cost = jobs["cost"]
        assert cost["env"]["INFRACOST_API_KEY"] == "${{ secrets.INFRACOST_API_KEY }}"
        assert cost["env"]["COST_ENV"] == environments[-1]
        cost_runs = "\n".join(s.get("run", "") for s in _steps(cost))
        assert "::notice" in cost_runs and "GITHUB_STEP_SUMMARY" in cost_runs
        assert '--path "infra/envs/${COST_ENV}"' in cost_runs


def test_the_cost_budget_is_the_environments_budget(services: dict[str, Path]) -> None:
    for repo in services.values():
        cost_env = _environments(repo)[-1]
        budget = _workflow(repo, "ci.yml")["jobs"]["cost"]["env"]["BUDGET_USD"]
        main_tf = (repo / "infra/envs" / cost_env / "main.tf").read_text(encoding="utf-8")
        assert re.search(rf"monthly_budget_usd\s*=\s*{budget}\b", main_tf), (cost_env, budget)


def test_drift_detection_reports_through_one_job(services: dict[str, Path]) -> None:
    for repo in services.values():
        drift = _workflow(repo, "drift.yml")
        assert "schedule" in drift["on"] and "workflow_dispatch" in drift["on"]
        plan, report = drift["jobs"]["plan"], drift["jobs"]["report"]
        assert plan["strategy"]["matrix"]["environment"] == _environments(repo)
        assert plan["environment"]["name"] == "${{ matrix.environment }}-plan"
        runs = "\n".join(s.get("run", "") for s in _steps(plan))
        assert "-detailed-exitcode" in runs and 'scripts/deploy.py" plan' in runs
        assert "--deployed-image" in runs  # drift is measured against what runs, not HEAD
        assert report["permissions"] == {"issues": "write"}
        assert "gh issue" in "\n".join(s.get("run", "") for s in _steps(report))


def test_scaffold_update_runs_check_then_update_and_flags_conflicts(
    services: dict[str, Path],
) -> None:
    for repo in services.values():
        workflow = _load(repo / ".github/workflows/scaffold-update.yml")
        assert "schedule" in workflow["on"] and "workflow_dispatch" in workflow["on"]
        steps = _steps(workflow["jobs"]["update"])
        # scaffold comes from the template repository, never from a package index
        assert "scaffold-services>=" not in str(workflow)
        for step_id in ("check", "update"):
            step = next(s for s in steps if s.get("id") == step_id)
            assert step["env"]["SCAFFOLD_SPEC"] == "${{ steps.scaffold.outputs.spec }}"
            assert 'pipx run --spec "${SCAFFOLD_SPEC}" scaffold' in step["run"]
        check = next(s for s in steps if s.get("id") == "check")["run"]
        assert "scaffold check --json" in check
        # exit 1 means "a newer version or drift": read the JSON; anything above fails the run
        assert '[ "${status}" -gt 1 ]' in check and "update_available" in check
        update = next(s for s in steps if s.get("id") == "update")["run"]
        assert "scaffold update --json" in update
        assert '[ "${status}" -ne 3 ]' in update and ".conflicts | length" in update
        pull = next(s for s in steps if "create-pull-request" in s.get("uses", ""))
        assert "conflicts to resolve" in pull["with"]["title"]
        assert "steps.update.outputs.conflicts" in str(pull["with"]["draft"])


def test_every_terraform_run_against_aws_goes_through_the_deploy_script(
    services: dict[str, Path],
) -> None:
    # One way to reach the state: the script finds the account's state bucket and checks it
    # belongs to the account; a bare `terraform init` would know no bucket.
    for repo in services.values():
        for name in ("deploy.yml", "drift.yml"):
            text = (repo / ".github/workflows" / name).read_text(encoding="utf-8")
            assert "terraform init" not in text and "terraform apply" not in text, name
            assert "CREATE_OIDC_PROVIDER" not in text and "create_oidc_provider" not in text
            assert "STATE_BUCKET: ${{ vars.STATE_BUCKET }}" in text, name


def test_ci_builds_and_smoke_tests_the_image(services: dict[str, Path]) -> None:
    for service_type, repo in services.items():
        image = _workflow(repo, "ci.yml")["jobs"]["image"]
        runs = "\n".join(s.get("run", "") for s in _steps(image))
        assert "make docker-build" in runs
        assert "--read-only --tmpfs /tmp" in runs, "run as ECS and Lambda do"
        expected = {"web-service": "curl --silent --fail", "batch-service": "--help"}
        assert expected.get(service_type, "import awslambdaric") in runs


def test_database_tests_get_a_real_postgresql_in_ci(services: dict[str, Path]) -> None:
    for service_type, repo in services.items():
        test = _workflow(repo, "ci.yml")["jobs"]["test"]
        if service_type == "web-service":  # generated with database=postgres
            assert test["services"]["postgres"]["image"].startswith("postgres:16")
            assert test["env"]["TEST_DATABASE_URL"].startswith("postgresql://postgres:")
        else:
            assert "services" not in test


def _scaffold_spec(repo: Path, tmp_path: Path, src_path: str, commit: str) -> tuple[int, str]:
    """Run the workflow step that finds scaffold, on an answers file with these two values."""
    workflow = _load(repo / ".github/workflows/scaffold-update.yml")
    step = next(s for s in _steps(workflow["jobs"]["update"]) if s.get("id") == "scaffold")
    (tmp_path / ".copier-answers.yml").write_text(
        f"_commit: {commit}\n_src_path: {src_path}\nname: orders-api\n", encoding="utf-8"
    )
    output = tmp_path / "output"
    output.write_text("")
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=tmp_path,
        env={"GITHUB_OUTPUT": str(output), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, output.read_text() + done.stdout


@pytest.mark.parametrize(
    ("src_path", "commit", "spec"),
    [
        ("gh:acme/scaffold", "v0.3.0", "git+https://github.com/acme/scaffold@v0.3.0"),
        (
            "https://github.com/scaffold-services/scaffold",
            "v0.2.0",
            "git+https://github.com/scaffold-services/scaffold@v0.2.0",
        ),
        (
            "git@github.com:acme/scaffold.git",
            "v1.0.0",
            "git+ssh://git@github.com/acme/scaffold.git@v1.0.0",
        ),
        (
            "'https://git.acme.dev/platform/scaffold.git'",
            "v0.2.0-3-gabc1234",
            "git+https://git.acme.dev/platform/scaffold.git@abc1234",
        ),
    ],
)
def test_scaffold_is_installed_from_the_template_repository_at_its_version(
    services: dict[str, Path], tmp_path: Path, src_path: str, commit: str, spec: str
) -> None:
    code, output = _scaffold_spec(services["batch-service"], tmp_path, src_path, commit)
    assert code == 0, output
    assert output.strip() == f"spec={spec}"


def test_a_local_template_path_cannot_be_installed_and_says_so(
    services: dict[str, Path], tmp_path: Path
) -> None:
    code, output = _scaffold_spec(services["batch-service"], tmp_path, "../..", "v0.2.0")
    assert code == 1
    assert "not a git URL" in output and "spec=" not in output
