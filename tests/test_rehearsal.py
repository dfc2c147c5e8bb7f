"""The deploy rehearsal (ADR 0012): a fresh sample's documented first deploy against moto.

The tests marked `rehearsal` run infra/README.md's first-deploy commands of four freshly
generated roots (one per type in dev, and web with PostgreSQL in prod) against moto's server,
plan again and destroy. They take minutes, so a plain `pytest` leaves them out; `make test`
and .ci/run run them, the four roots at once (each with its own moto). The table of the
closing note (root, resources applied, drift allowed, times) is printed in the test summary
and written to $SCAFFOLD_REHEARSAL_TABLE when it is set. The other tests check its parts.
"""

from __future__ import annotations

import json
import os
import resource
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import REHEARSAL_TABLE, skip_unless_ci

from generator import generate
from generator.rehearsal import ALLOWED, NOT_EMULATED, RehearsalReport, rehearse, shims, unavailable
from generator.rehearsal.drift import classify
from generator.rehearsal.overrides import OVERRIDE_FILE, provider_override, write
from generator.rehearsal.runner import RehearsalFailed, first_deploy_commands
from generator.samples import load_samples
from generator.spec.answers import build_spec
from generator.spec.registry import resolve_type

REPO = Path(__file__).resolve().parent.parent
SAMPLES = load_samples(REPO / "samples")
#: One root per type in dev, and the database's migration path in prod.
ROOTS = [("batch", "dev"), ("event-sns", "dev"), ("web-internal", "dev"), ("web-postgres", "prod")]


def _generate(sample: str, folder: Path) -> Path:
    definition = SAMPLES[sample]
    spec = build_spec(resolve_type(definition.type).model, definition.name, definition.answers)
    folder.mkdir(parents=True, exist_ok=True)
    return Path(generate(spec, folder / definition.name).destination)


# ---------------------------------------------------------------------------------------------
# The rehearsal itself
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rehearsals(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> dict[str, RehearsalReport]:
    """Every root of ROOTS rehearsed, at the same time; the table goes to the test summary."""
    from generator.infra.terraform import provider_mirror

    reason = unavailable()
    if reason is not None:
        if provider_mirror() is None:  # a machine without the mirror: the one honest skip
            pytest.skip(f"deploy rehearsal: {reason}")
        skip_unless_ci(f"deploy rehearsal: {reason}")  # .ci/run installs everything else
    root = tmp_path_factory.mktemp("rehearsal")
    repos = {sample: _generate(sample, root / "repos") for sample, _ in ROOTS}

    def one(target: tuple[str, str]) -> RehearsalReport:
        sample, environment = target
        return rehearse(repos[sample], environment, keep=root / f"{sample}-{environment}")

    start, cpu = time.perf_counter(), _children_cpu()
    with ThreadPoolExecutor(max_workers=len(ROOTS)) as pool:
        reports = dict(zip([f"{s}/{e}" for s, e in ROOTS], pool.map(one, ROOTS), strict=True))
    table = _table(reports) + (
        f"Wall {time.perf_counter() - start:.0f} s for the {len(ROOTS)} roots at once; "
        f"{_children_cpu() - cpu:.0f} s of CPU in Terraform, moto and the scripts.\n"
    )
    request.config.stash[REHEARSAL_TABLE] = table
    if os.environ.get("SCAFFOLD_REHEARSAL_TABLE"):
        Path(os.environ["SCAFFOLD_REHEARSAL_TABLE"]).write_text(table, encoding="utf-8")
    return reports


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _table(reports: dict[str, RehearsalReport]) -> str:
    columns = ("root", "status", "resources applied", "drift allowed", "first deploy")
    columns += ("second plan", "destroy", "total")
    lines = ["| " + " | ".join(columns) + " |", "|---" * len(columns) + "|"]
    for key, r in reports.items():
        drift = ", ".join(
            sorted({f"{d.address.rsplit('.', 2)[-2]}.{d.attribute}" for d in r.drift_allowed})
        )
        lines.append(
            f"| {key} | {r.status} | {r.resources_applied} "
            f"| {len(r.drift_allowed)}: {drift or '-'} "
            f"| {r.step_seconds('make')} s | {r.step_seconds('second plan')} s "
            f"| {r.step_seconds('destroy')} s | {r.seconds} s |"
        )
    left_out = sorted({f"{i.resource}: {i.reason}" for r in reports.values() for i in r.left_out})
    return "\n".join(
        [*lines, "", "Left out (moto cannot emulate them):", *[f"- {x}" for x in left_out], ""]
    )


@pytest.mark.rehearsal
@pytest.mark.parametrize(("sample", "environment"), ROOTS, ids=[f"{s}-{e}" for s, e in ROOTS])
def test_the_documented_first_deploy_plans_clean_and_destroys(
    rehearsals: dict[str, RehearsalReport], sample: str, environment: str
) -> None:
    report = rehearsals[f"{sample}/{environment}"]
    assert report.status == "passed", f"{report.reason}\n(logs: {report.workdir})"
    # the README's commands, then the rehearsal's own steps, all of them
    assert [s.name for s in report.steps] == [
        "make bootstrap",
        f"make deploy ENV={environment}",
        "second plan",
        "lift deletion protection",
        "delete images",
        "destroy",
    ]
    assert report.resources_applied >= 60
    assert report.drift_unexpected == []
    # the image came first: nothing that runs it existed when it was pushed
    assert report.consumers_before_image == {
        "ecs_services": [],
        "lambda_functions": [],
        "schedules": [],
    }
    assert report.left_after_destroy == []


@pytest.mark.rehearsal
def test_prod_was_protected_until_the_rehearsal_lifted_it(
    rehearsals: dict[str, RehearsalReport],
) -> None:
    lifted = next(
        s for s in rehearsals["web-postgres/prod"].steps if s.name == "lift deletion protection"
    )
    assert "orders-api-prod" in lifted.detail, lifted.detail


# ---------------------------------------------------------------------------------------------
# Its parts
# ---------------------------------------------------------------------------------------------


def _change(
    address: str, actions: list[str], before: dict, after: dict, unknown: dict | None = None
) -> dict:
    kind = address.rsplit(".", 2)[-2]
    return {
        "address": address,
        "mode": "managed",
        "type": kind,
        "change": {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": unknown or {},
        },
    }


def test_drift_moto_is_known_for_is_allowed_and_any_other_fails() -> None:
    plan = {
        "resource_changes": [
            _change(
                "module.k.aws_kms_key.this",
                ["update"],
                {"rotation_period_in_days": 0},
                {"rotation_period_in_days": 365},
            ),
            _change(
                "module.q.aws_sqs_queue.this",
                ["update"],
                {"redrive_policy": '{"a": 1}'},
                {"redrive_policy": '{"a":1}'},
            ),
            _change(
                "module.c.aws_iam_role_policy.this",
                ["update"],
                {"policy": "{}"},
                {"policy": None},
                {"policy": True},
            ),
            _change(
                "module.c.aws_iam_role_policy.other",
                ["update"],
                {"policy": "{}"},
                {"policy": '{"x": 1}'},
            ),
            _change("module.w.aws_lb.this", ["update"], {"idle_timeout": 60}, {"idle_timeout": 30}),
            _change("module.w.aws_ecs_service.this", ["delete", "create"], {}, {}),
            {
                "address": "data.aws_iam_policy_document.x",
                "mode": "data",
                "type": "x",
                "change": {"actions": ["read"]},
            },
        ]
    }
    report = classify(plan)
    assert {(d.address, d.attribute) for d in report.allowed} == {
        ("module.k.aws_kms_key.this", "rotation_period_in_days"),
        ("module.q.aws_sqs_queue.this", "redrive_policy"),  # the same JSON
        ("module.c.aws_iam_role_policy.this", "policy"),  # unknown until apply
    }
    assert {(d.address, d.attribute) for d in report.unexpected} == {
        ("module.c.aws_iam_role_policy.other", "policy"),  # a known new policy is real drift
        ("module.w.aws_lb.this", "idle_timeout"),
        ("module.w.aws_ecs_service.this", "*"),
    }


def test_every_allowed_drift_and_left_out_resource_says_why() -> None:
    assert all(a.reason for a in ALLOWED) and all(n.reason for n in NOT_EMULATED)
    pairs = [(a.resource_type, a.attribute) for a in ALLOWED]
    assert len(pairs) == len(set(pairs))


def test_the_overrides_point_the_root_at_moto_and_leave_generated_files_alone(
    tmp_path: Path,
) -> None:
    repo = _generate("web-postgres", tmp_path)
    before = {p: p.read_bytes() for p in repo.rglob("*.tf")}
    left_out = write(repo, "dev", "eu-west-1", "https://127.0.0.1:4567")

    assert {p: p.read_bytes() for p in before} == before, "no generated file changes"
    override = (repo / "infra/envs/dev" / OVERRIDE_FILE).read_text()
    assert 'ecs                    = "https://127.0.0.1:4567"' in override
    assert 'key = "orders-api/dev/terraform.tfstate"' in override and "bucket" not in override
    assert {i.module for i in left_out} == {"budget", "backup", "observability", "web-service"}
    assert not (repo / "infra/modules/event-consumer" / OVERRIDE_FILE).exists()


def test_the_overridden_roots_are_valid_terraform(tmp_path: Path) -> None:
    from generator.infra.terraform import validate

    for sample in ("web-postgres", "event-sns"):
        repo = _generate(sample, tmp_path / sample)
        environment = SAMPLES[sample].answers.get("environments", ["dev"])[0]
        write(repo, environment, "eu-west-1", "https://127.0.0.1:4567")
        result = validate(repo / "infra/envs" / environment, tree=repo / "infra")
        if result.status == "skipped":
            pytest.skip(result.detail)
        assert result.status == "passed", result.detail


def test_the_first_deploy_commands_come_from_the_infra_readme(tmp_path: Path) -> None:
    repo = _generate("batch", tmp_path)
    assert first_deploy_commands(repo, "prod") == ["make bootstrap", "make deploy ENV=prod"]
    readme = repo / "infra/README.md"
    readme.write_text(readme.read_text().replace("<!-- scaffold:first-deploy", "<!-- gone"))
    with pytest.raises(RehearsalFailed, match="no first-deploy block"):
        first_deploy_commands(repo, "dev")


def test_provider_and_backend_overrides() -> None:
    text = provider_override("us-east-1", "https://127.0.0.1:1")
    assert (
        "max_retries                 = 2" in text
        and 's3                     = "https://127.0.0.1:1"' in text
    )
    assert "skip_requesting_account_id  = false" in text  # budgets need the account id


def test_the_docker_stand_in_records_consumers_before_it_pushes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moto = pytest.importorskip("moto")
    import boto3

    monkeypatch.setenv(shims.STATE_VARIABLE, str(tmp_path))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    remote = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/svc-dev:abc"
    with moto.mock_aws():
        boto3.client("ecr").create_repository(repositoryName="svc-dev")
        assert shims.docker(["image", "inspect", "svc:abc"]) == 1
        assert shims.docker(["build", "--tag", "svc:abc", "."]) == 0
        assert shims.docker(["push", remote]) == 1, "not tagged yet"
        assert shims.docker(["tag", "svc:abc", remote]) == 0
        assert shims.docker(["push", remote]) == 0
        images = boto3.client("ecr").list_images(repositoryName="svc-dev")["imageIds"]
    assert [i["imageTag"] for i in images] == ["abc"]
    state = json.loads((tmp_path / "docker.json").read_text())
    assert state["pushes"][0]["consumers_before"] == {
        "ecs_services": [],
        "lambda_functions": [],
        "schedules": [],
    }
    assert shims.docker(["run", "svc:abc"]) == 2, "anything else is refused, not faked"


def test_a_rehearsal_without_moto_or_provider_is_skipped_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCAFFOLD_TF_PROVIDER_MIRROR", raising=False)
    monkeypatch.delenv("TF_PLUGIN_CACHE_DIR", raising=False)
    report = rehearse(tmp_path, "dev")
    assert report.status == "skipped" and report.reason.startswith("provider unavailable")


def test_the_moto_server_takes_a_free_port_speaks_tls_and_resets(tmp_path: Path) -> None:
    pytest.importorskip("moto")
    pytest.importorskip("flask")
    import boto3

    from generator.rehearsal.moto import MotoServer

    (tmp_path / "second").mkdir()
    with MotoServer(tmp_path) as first, MotoServer(tmp_path / "second") as second:
        assert first.port != second.port and first.url.startswith("https://127.0.0.1:")
        s3 = boto3.client(
            "s3",
            endpoint_url=first.url,
            verify=str(first.ca_bundle),
            region_name="us-east-1",
            aws_access_key_id="a",
            aws_secret_access_key="b",
        )
        s3.create_bucket(Bucket="rehearsal-reset")
        first.reset()
        assert s3.list_buckets()["Buckets"] == []
    assert first.process is not None and first.process.poll() is not None, "stopped"
