"""scripts/deploy.py: the bootstrap against moto, and the phases of a deploy.

AWS is moto's in-process mock; terraform, docker and git are recorded, not run (the scaffold
test suite runs the whole first deploy against moto's server with real Terraform).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import boto3
import deploy
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

ACCOUNT = "123456789012"
BUCKET = f"tfstate-{ACCOUNT}-{deploy.REGION}"
ENV = deploy.ENVIRONMENTS[0]  # the first environment deployed
REPOSITORY = f"{deploy.SERVICE}-{ENV}"
TAG = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(autouse=True)
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch copy of the repository's layout: the script writes its plan there, not here."""
    for environment in deploy.ENVIRONMENTS:
        (tmp_path / "infra" / "envs" / environment).mkdir(parents=True)
    monkeypatch.setattr(deploy, "ROOT", tmp_path)
    return tmp_path


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """moto with fake credentials; none of the deploy settings from the shell."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "STATE_BUCKET", "IMAGE_TAG", "IMAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", deploy.REGION)
    with mock_aws():
        yield


class Recorder(deploy.Runner):
    """Records every command; answers `terraform output` and `docker image inspect`."""

    def __init__(
        self, outputs: dict[str, Any] | None = None, dirty: bool = False, plan_code: int = 0
    ) -> None:
        super().__init__(env={})
        self.commands: list[list[str]] = []
        self.outputs = outputs or {}
        self.dirty = dirty
        self.plan_code = plan_code

    def __call__(
        self,
        args: Sequence[str],
        cwd: Path = deploy.ROOT,
        capture: bool = False,
        stdin: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        args = list(args)
        self.commands.append(args)
        code, out = 0, ""
        if args[:3] == ["terraform", "output", "-json"]:
            out = json.dumps(self.outputs[args[3]])
        elif args[:3] == ["terraform", "output", "-raw"]:
            # An environment without state has no outputs: terraform exits 1.
            code, out = (0, self.outputs[args[3]]) if args[3] in self.outputs else (1, "")
        elif args[:2] == ["terraform", "apply"] and f"-target={deploy.REGISTRY_TARGET}" in args:
            # What the registry phase's apply creates.
            boto3.client("ecr").create_repository(repositoryName=REPOSITORY)
        elif args[:2] == ["terraform", "plan"]:
            code = self.plan_code
        elif args[:3] == ["docker", "image", "inspect"]:
            code = 1  # not built yet
        elif args[:2] == ["git", "rev-parse"]:
            out = TAG + "\n"
        elif args[:2] == ["git", "status"]:
            out = " M src/app.py\n" if self.dirty else ""
        return subprocess.CompletedProcess(args, code, out, "")

    def tool(self, name: str) -> list[list[str]]:
        """The recorded commands of one tool, without the tool's name."""
        return [c[1:] for c in self.commands if c[0] == name]


def test_bootstrap_makes_the_state_bucket_and_the_oidc_provider_once(aws: None) -> None:
    deploy.bootstrap()
    deploy.bootstrap()  # idempotent: nothing new, settings checked again

    s3 = boto3.client("s3", region_name=deploy.REGION)
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == [BUCKET]
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    rule = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    assert policy["Statement"][0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}

    iam = boto3.client("iam")
    providers = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
    assert len(providers) == 1
    provider = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=providers[0]["Arn"])
    assert provider["ClientIDList"] == ["sts.amazonaws.com"]
    assert providers[0]["Arn"].endswith(":oidc-provider/token.actions.githubusercontent.com")


def test_bootstrap_keeps_the_account_s_existing_provider(aws: None) -> None:
    iam = boto3.client("iam")
    arn = iam.create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com",
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"],
    )["OpenIDConnectProviderArn"]

    assert deploy.ensure_oidc_provider(iam) == (arn, False)
    assert len(iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]) == 1


def test_an_existing_provider_without_the_audience_gets_it() -> None:
    arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"

    class Iam:
        def __init__(self) -> None:
            self.added: list[str] = []

        def list_open_id_connect_providers(self) -> dict[str, Any]:
            return {"OpenIDConnectProviderList": [{"Arn": arn}]}

        def get_open_id_connect_provider(self, **_: Any) -> dict[str, Any]:
            return {"ClientIDList": ["other-audience"]}

        def add_client_id_to_open_id_connect_provider(self, **kwargs: Any) -> None:
            self.added.append(kwargs["ClientID"])

    iam = Iam()
    assert deploy.ensure_oidc_provider(iam) == (arn, False)
    assert iam.added == ["sts.amazonaws.com"]


def test_a_state_bucket_of_another_account_is_refused() -> None:
    class ForeignBucket:
        def head_bucket(self, **_: Any) -> None:
            raise ClientError({"Error": {"Code": "403", "Message": "Forbidden"}}, "HeadBucket")

    with pytest.raises(deploy.DeployError, match="belongs to another AWS account"):
        deploy.ensure_state_bucket(ForeignBucket(), BUCKET, ACCOUNT)


def test_deploying_before_the_bootstrap_says_what_to_run(aws: None) -> None:
    with pytest.raises(deploy.DeployError, match="make bootstrap"):
        deploy.deploy(ENV, TAG, Recorder())


def test_the_first_deploy_creates_the_registry_pushes_then_applies_the_rest(
    aws: None,
) -> None:
    deploy.bootstrap()
    recorder = Recorder()

    deploy.deploy(ENV, TAG, recorder)

    terraform = recorder.tool("terraform")
    assert terraform[0] == [
        "init",
        "-input=false",
        "-reconfigure",
        f"-backend-config=bucket={BUCKET}",
    ]
    # Phase 1 creates the registry alone: nothing that runs the image exists yet.
    assert terraform[1][:4] == ["apply", "-input=false", "-auto-approve", "-lock-timeout=10m"]
    assert terraform[1][4] == f"-target={deploy.REGISTRY_TARGET}"
    assert ["-var", f"image_tag={TAG}"] == terraform[1][5:7]
    rest = terraform[2:]
    # Then the whole environment, planned into a file and applied exactly as planned.
    assert [c[0] for c in rest] == ["plan", "show", "apply"]
    assert "-out=tfplan" in rest[0] and rest[2][-1] == "tfplan"
    assert (deploy.ROOT / "infra" / "envs" / ENV / "plan.txt").is_file(), "the plan's text"

    docker = recorder.tool("docker")
    local = f"{deploy.SERVICE}:{TAG}"
    assert docker[0] == ["image", "inspect", local]
    assert docker[1] == ["build", "--tag", local, "."]
    assert docker[2][0] == "login"
    assert docker[3][0] == "tag" and docker[3][2].endswith(f"/{REPOSITORY}:{TAG}")
    assert docker[4] == ["push", docker[3][2]]
    assert recorder.env["TF_VAR_state_bucket"] == BUCKET


def test_a_later_deploy_skips_what_is_done(
    aws: None,
) -> None:
    deploy.bootstrap()
    ecr = boto3.client("ecr")
    ecr.create_repository(repositoryName=REPOSITORY, imageTagMutability="IMMUTABLE")
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    }
    ecr.put_image(repositoryName=REPOSITORY, imageManifest=json.dumps(manifest), imageTag=TAG)
    recorder = Recorder()

    deploy.deploy(ENV, TAG, recorder)

    targets = [a for c in recorder.tool("terraform") for a in c if a.startswith("-target=")]
    assert targets == [], "no registry phase"
    assert recorder.tool("docker") == [], "the image is already in ECR: nothing built or pushed"


def test_plan_hands_the_options_after_the_dashes_to_terraform_and_returns_its_code(
    aws: None,
) -> None:
    deploy.bootstrap()
    recorder = Recorder(plan_code=2)  # -detailed-exitcode: there are changes

    code = deploy.main(
        ["plan", ENV, "--image-tag", TAG, "--", "-detailed-exitcode", "-out=tfplan"], run=recorder
    )

    assert code == 2
    (plan,) = [c for c in recorder.tool("terraform") if c[0] == "plan"]
    assert "-detailed-exitcode" in plan and "-out=tfplan" in plan
    assert recorder.tool("docker") == [], "a plan pushes nothing"


def test_a_pull_request_plan_keeps_the_image_the_environment_runs(aws: None) -> None:
    """--deployed-image: the state's image_tag output, else (no state yet) the given tag."""
    deploy.bootstrap()
    deployed = Recorder(outputs={"image_tag": "0123abcd"})
    assert deploy.main(["plan", ENV, "--deployed-image", "--image-tag", TAG], run=deployed) == 0
    (plan,) = [c for c in deployed.tool("terraform") if c[0] == "plan"]
    assert "image_tag=0123abcd" in plan and f"image_tag={TAG}" not in plan

    first = Recorder()
    assert deploy.main(["plan", ENV, "--deployed-image", "--image-tag", TAG], run=first) == 0
    (plan,) = [c for c in first.tool("terraform") if c[0] == "plan"]
    assert f"image_tag={TAG}" in plan


def test_the_image_tag_defaults_to_the_clean_commit(aws: None) -> None:
    assert deploy.default_image_tag(Recorder()) == TAG
    with pytest.raises(deploy.DeployError, match="uncommitted changes"):
        deploy.default_image_tag(Recorder(dirty=True))


def test_latest_is_not_a_tag_to_deploy(aws: None) -> None:
    deploy.bootstrap()
    with pytest.raises(deploy.DeployError, match="not an image tag"):
        deploy.deploy(ENV, "latest", Recorder())


def test_errors_are_one_line_without_a_traceback(
    aws: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert deploy.main(["deploy", ENV, "--image-tag", TAG], run=Recorder()) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no state bucket") and "Traceback" not in err
