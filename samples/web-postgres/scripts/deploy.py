"""The account's prerequisites and the phased deploys of orders-api.

Every command infra/README.md documents and deploy.yml runs goes through this script:

    python scripts/deploy.py bootstrap        # once per AWS account and region (administrator)
    python scripts/deploy.py deploy dev       # the first deploy of dev and every later one
    python scripts/deploy.py plan dev         # terraform plan of dev against its state
    python scripts/deploy.py plan dev --deployed-image   # ... with the image dev runs now

`bootstrap` makes what every stack of the account needs and no stack owns: the Terraform state
bucket of the region (tfstate-<account id>-<region>: versioned, encrypted, private, TLS only;
the state is locked with S3 lock files, so there is no lock table) and the account's GitHub
OIDC provider. Both are created only when missing, so it can run again at any time.

`deploy` runs the phases a first deploy needs, each skipped when already done, so a failed
deploy is re-run as it is:

1. registry: a targeted apply of the ECR repository (and its KMS key) when it does not exist;
2. image: push the image to it under its immutable tag, unless the tag is already there
   (built here with `docker build` unless the local image exists);
3. migration: a targeted apply of the database and the migration task definition (the new
   image), then the one-off migration task (`python -m orders_api.migrate`), which must exit 0;
4. everything else: plan and apply the whole environment, which updates the service.

It needs boto3, terraform and docker, and AWS credentials: an administrator's for `bootstrap`
and the first deploy of an environment (which creates the GitHub roles), the environment's
deploy role afterwards. Settings come from the environment:

- IMAGE_TAG: the image tag to deploy (default: the commit checked out, which must be clean);
- IMAGE: the local image to push (default: orders-api:<tag>);
- CERTIFICATE_ARN: the ACM certificate of the load balancer's HTTPS listener (required);
- STATE_BUCKET: only to keep the state in another bucket than the account's.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SERVICE = "orders-api"
REGION = "eu-west-1"
ENVIRONMENTS = ["dev", "staging", "prod"]
ROOT = Path(__file__).resolve().parent.parent
GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com"
GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com"
#: What the first phase applies: the registry and what it needs (its KMS key), nothing that
#: runs the image.
REGISTRY_TARGET = "module.service.module.web.module.ecr"
#: The migration phase: the migration task definition with the new image and what the task
#: needs to run: the network (private subnets, NAT), the database, the cluster, and the
#: service's security group with its rules to the database and to AWS.
MIGRATION_TARGETS: tuple[str, ...] = (
    "module.service.module.network",
    "module.service.module.database",
    "module.service.module.web.aws_ecs_cluster.this",
    "module.service.module.web.aws_security_group.service",
    "module.service.module.web.aws_vpc_security_group_egress_rule.service_https",
    "module.service.module.web.aws_vpc_security_group_egress_rule.service_postgres",
    "module.service.module.web.aws_ecs_task_definition.migration[0]",
)
NEEDS_CERTIFICATE = True
TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
MIGRATION_TIMEOUT_SECONDS = 900


class DeployError(Exception):
    """A problem the person deploying can fix; printed without a traceback."""


def log(message: str) -> None:
    """Progress on stderr, so stdout stays Terraform's."""
    print(f"==> {message}", file=sys.stderr, flush=True)


@dataclass
class Runner:
    """Runs the external tools (terraform, docker, git); tests replace it with a recorder."""

    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))

    def __call__(
        self, args: Sequence[str], cwd: Path = ROOT, capture: bool = False, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run `args`; stdout is captured when asked (else it streams), stderr always streams."""
        try:
            return subprocess.run(
                list(args),
                cwd=cwd,
                env=self.env,
                input=stdin,
                stdout=subprocess.PIPE if capture else None,
                text=True,
                check=False,
            )
        except FileNotFoundError as missing:
            raise DeployError(f"{args[0]} is not installed (or not on PATH)") from missing


def check(done: subprocess.CompletedProcess[str], what: str) -> subprocess.CompletedProcess[str]:
    """`done`, or a DeployError naming `what` when it failed."""
    if done.returncode != 0:
        raise DeployError(f"{what} failed (exit {done.returncode}); see the output above")
    return done


def aws_client(service: str) -> Any:
    """A boto3 client in the service's region (credentials from the usual chain)."""
    try:
        import boto3
    except ImportError as missing:
        raise DeployError("boto3 is needed: pip install -r scripts/requirements.txt") from missing
    return boto3.client(service, region_name=REGION)


def account_id() -> str:
    """The AWS account the credentials belong to."""
    identity: dict[str, str] = aws_client("sts").get_caller_identity()
    return identity["Account"]


def state_bucket(account: str) -> str:
    """The state bucket: STATE_BUCKET, else the account's bucket of the region."""
    return os.environ.get("STATE_BUCKET") or f"tfstate-{account}-{REGION}"


# ---------------------------------------------------------------------------------------------
# bootstrap: the account's prerequisites
# ---------------------------------------------------------------------------------------------


def ensure_state_bucket(s3: Any, bucket: str, account: str) -> bool:
    """Create or complete the state bucket; True when it was created now.

    A bucket of that name in another account is refused: bucket names are global, and state
    written there would be readable by its owner.
    """
    from botocore.exceptions import ClientError

    try:
        s3.head_bucket(Bucket=bucket, ExpectedBucketOwner=account)
        created = False
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("403", "AccessDenied", "Forbidden"):
            raise DeployError(
                f"the bucket {bucket} exists but belongs to another AWS account: "
                "set STATE_BUCKET to a bucket of yours"
            ) from error
        if code not in ("404", "NoSuchBucket", "NotFound"):
            raise
        location = {} if REGION == "us-east-1" else {"LocationConstraint": REGION}
        s3.create_bucket(
            Bucket=bucket,
            ObjectOwnership="BucketOwnerEnforced",
            **({"CreateBucketConfiguration": location} if location else {}),
        )
        created = True
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    # Every state version is kept (a bad apply can be rolled back); old ones expire.
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "expire-old-state-versions",
                    "Status": "Enabled",
                    "Filter": {},
                    "NoncurrentVersionExpiration": {"NoncurrentDays": 90},
                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
                }
            ]
        },
    )
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(tls_only_policy(bucket)))
    return created


def tls_only_policy(bucket: str) -> dict[str, Any]:
    """The state bucket's policy: every request over TLS."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }


def ensure_oidc_provider(iam: Any) -> tuple[str, bool]:
    """The account's GitHub OIDC provider ARN, created when missing; True when created now."""
    host = GITHUB_OIDC_URL.removeprefix("https://")
    for entry in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]:
        arn = entry["Arn"]
        if arn.endswith(f":oidc-provider/{host}"):
            clients = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
            if GITHUB_OIDC_AUDIENCE not in clients.get("ClientIDList", []):
                iam.add_client_id_to_open_id_connect_provider(
                    OpenIDConnectProviderArn=arn, ClientID=GITHUB_OIDC_AUDIENCE
                )
            return arn, False
    # No thumbprint: IAM checks GitHub's certificate against its own trusted CAs.
    created = iam.create_open_id_connect_provider(
        Url=GITHUB_OIDC_URL,
        ClientIDList=[GITHUB_OIDC_AUDIENCE],
        Tags=[{"Key": "managed-by", "Value": "scaffold-bootstrap"}],
    )
    return created["OpenIDConnectProviderArn"], True


def bootstrap() -> None:
    """Make the account's prerequisites (idempotent)."""
    account = account_id()
    bucket = state_bucket(account)
    created = ensure_state_bucket(aws_client("s3"), bucket, account)
    log(f"state bucket {bucket}: {'created' if created else 'already there, settings checked'}")
    arn, made = ensure_oidc_provider(aws_client("iam"))
    log(f"GitHub OIDC provider {arn}: {'created' if made else 'already there'}")


# ---------------------------------------------------------------------------------------------
# Terraform, one environment root
# ---------------------------------------------------------------------------------------------


@dataclass
class Terraform:
    """terraform in infra/envs/<environment>, with the variables every command needs."""

    environment: str
    image_tag: str
    run: Runner

    @property
    def root(self) -> Path:
        """The environment's root module."""
        return ROOT / "infra" / "envs" / self.environment

    def variables(self) -> list[str]:
        """-var arguments: the image tag and the certificate."""
        args = ["-var", f"image_tag={self.image_tag}"]
        if NEEDS_CERTIFICATE:
            certificate = os.environ.get("CERTIFICATE_ARN", "")
            if not certificate:
                raise DeployError(
                    "set CERTIFICATE_ARN to the ACM certificate of the load balancer's HTTPS "
                    f"listener (in {REGION})"
                )
            args += ["-var", f"certificate_arn={certificate}"]
        return args

    def __call__(self, *args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
        """Run `terraform ARGS` in the root."""
        return self.run(["terraform", *args], cwd=self.root, capture=capture)

    def init(self, bucket: str) -> None:
        """terraform init against the state bucket."""
        check(
            self("init", "-input=false", "-reconfigure", f"-backend-config=bucket={bucket}"),
            "terraform init",
        )

    def apply_targets(self, *targets: str) -> None:
        """A targeted apply (a bootstrap phase)."""
        flags = [f"-target={target}" for target in targets]
        done = self(
            "apply", "-input=false", "-auto-approve", "-lock-timeout=10m", *flags, *self.variables()
        )
        check(done, f"terraform apply {' '.join(flags)}")

    def plan(self, *extra: str) -> int:
        """terraform plan; its exit code (with -detailed-exitcode: 0 no changes, 2 changes)."""
        done = self("plan", "-input=false", *extra, *self.variables())
        if done.returncode not in (0, 2):
            check(done, "terraform plan")
        return done.returncode

    def apply_all(self) -> None:
        """Plan the whole root into tfplan (its text in plan.txt), then apply exactly that."""
        self.plan("-lock-timeout=10m", "-out=tfplan")
        shown = check(self("show", "-no-color", "tfplan", capture=True), "terraform show")
        (self.root / "plan.txt").write_text(shown.stdout, encoding="utf-8")
        check(self("apply", "-input=false", "-lock-timeout=10m", "tfplan"), "terraform apply")

    def output(self, name: str) -> Any:
        """A root output, decoded from JSON."""
        done = check(self("output", "-json", name, capture=True), f"terraform output {name}")
        return json.loads(done.stdout)


# ---------------------------------------------------------------------------------------------
# The image
# ---------------------------------------------------------------------------------------------


def repository_name(environment: str) -> str:
    """The environment's ECR repository (the modules name it <service>-<environment>)."""
    return f"{SERVICE}-{environment}"


def repository_exists(ecr: Any, repository: str) -> bool:
    """True when the ECR repository exists."""
    try:
        ecr.describe_repositories(repositoryNames=[repository])
    except ecr.exceptions.RepositoryNotFoundException:
        return False
    return True


def image_exists(ecr: Any, repository: str, tag: str) -> bool:
    """True when the repository holds `tag` (tags are immutable: it is the same image)."""
    try:
        ecr.describe_images(repositoryName=repository, imageIds=[{"imageTag": tag}])
    except ecr.exceptions.ImageNotFoundException:
        return False
    return True


def push_image(ecr: Any, run: Runner, repository: str, tag: str) -> None:
    """Push the local image to the repository as `tag`, building it first if it is missing."""
    if image_exists(ecr, repository, tag):
        log(f"image: {repository}:{tag} is already in ECR")
        return
    local = os.environ.get("IMAGE") or f"{SERVICE}:{tag}"
    if run(["docker", "image", "inspect", local], capture=True).returncode != 0:
        log(f"image: building {local}")
        check(run(["docker", "build", "--tag", local, "."]), "docker build")
    auth = ecr.get_authorization_token()["authorizationData"][0]
    user, password = base64.b64decode(auth["authorizationToken"]).decode().split(":", 1)
    registry = auth["proxyEndpoint"].removeprefix("https://")
    check(
        run(["docker", "login", "--username", user, "--password-stdin", registry], stdin=password),
        "docker login",
    )
    remote = f"{registry}/{repository}:{tag}"
    check(run(["docker", "tag", local, remote]), "docker tag")
    log(f"image: pushing {remote}")
    check(run(["docker", "push", remote]), "docker push")


def default_image_tag(run: Runner) -> str:
    """IMAGE_TAG, else the commit checked out (refused when the tree has uncommitted changes)."""
    if os.environ.get("IMAGE_TAG"):
        return os.environ["IMAGE_TAG"]
    head = run(["git", "rev-parse", "HEAD"], capture=True)
    if head.returncode != 0:
        raise DeployError("not a git checkout with a commit: set IMAGE_TAG")
    dirty = run(["git", "status", "--porcelain", "--untracked-files=no"], capture=True)
    if dirty.stdout.strip():
        raise DeployError(
            "uncommitted changes: commit them (images are tagged with the commit) or set IMAGE_TAG"
        )
    return head.stdout.strip()


# ---------------------------------------------------------------------------------------------
# The migration task
# ---------------------------------------------------------------------------------------------


def run_migration(
    ecs: Any, logs: Any, migration: dict[str, Any], sleep: Callable[[float], None] = time.sleep
) -> None:
    """Run the one-off migration task and wait for it; raise unless it exits 0."""
    started = ecs.run_task(
        cluster=migration["cluster"],
        taskDefinition=migration["task_definition"],
        launchType="FARGATE",
        count=1,
        startedBy="deploy-migration",
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": migration["subnets"],
                "securityGroups": migration["security_groups"],
                "assignPublicIp": "DISABLED",
            }
        },
    )
    if started.get("failures") or not started.get("tasks"):
        raise DeployError(f"the migration task did not start: {started.get('failures')}")
    arn = started["tasks"][0]["taskArn"]
    log(f"migration: task {arn} started")
    deadline = time.monotonic() + MIGRATION_TIMEOUT_SECONDS
    while True:
        task = ecs.describe_tasks(cluster=migration["cluster"], tasks=[arn])["tasks"][0]
        if task.get("lastStatus") == "STOPPED":
            break
        if time.monotonic() > deadline:
            raise DeployError(
                f"the migration task {arn} did not finish in {MIGRATION_TIMEOUT_SECONDS} s"
            )
        sleep(6)
    container = next(c for c in task["containers"] if c["name"] == migration["container_name"])
    if container.get("exitCode") != 0:
        print_task_logs(logs, migration, arn)
        raise DeployError(
            f"the migration task failed (exit code {container.get('exitCode')}, "
            f"{task.get('stoppedReason', 'no reason given')}); its log is above"
        )
    log("migration: done (exit 0)")


def print_task_logs(logs: Any, migration: dict[str, Any], task_arn: str) -> None:
    """The last lines the migration task logged, on stderr."""
    stream = f"{migration['log_stream_prefix']}/{task_arn.rsplit('/', 1)[-1]}"
    try:
        events = logs.get_log_events(
            logGroupName=migration["log_group"], logStreamName=stream, limit=50
        )["events"]
    except Exception as error:  # the log is a help, never the reason to fail
        log(f"could not read the log stream {stream}: {error}")
        return
    for event in events:
        print(f"    {event['message']}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


def prepare(environment: str, image_tag: str | None, run: Runner) -> tuple[Terraform, str]:
    """The environment's Terraform, initialised against the state bucket, and the account."""
    tag = image_tag or default_image_tag(run)
    if not TAG.match(tag) or tag == "latest":
        raise DeployError(
            f"{tag!r} is not an image tag to deploy: 1-128 letters, digits, _ . -; not latest"
        )
    account = account_id()
    bucket = state_bucket(account)
    ensure_bucket_is_ours(aws_client("s3"), bucket, account, environment)
    run.env["TF_VAR_state_bucket"] = bucket
    run.env.setdefault("TF_IN_AUTOMATION", "1")
    terraform = Terraform(environment, tag, run)
    terraform.init(bucket)
    return terraform, account


def ensure_bucket_is_ours(s3: Any, bucket: str, account: str, environment: str) -> None:
    """Refuse to init against a missing state bucket or one another account owns.

    It lists the environment's state folder, which the CI roles may (a HeadBucket they may not),
    with the owner the bucket must have.
    """
    from botocore.exceptions import ClientError

    try:
        s3.list_objects_v2(
            Bucket=bucket,
            Prefix=f"{SERVICE}/{environment}/",
            MaxKeys=1,
            ExpectedBucketOwner=account,
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("404", "NoSuchBucket", "NotFound"):
            raise DeployError(
                f"no state bucket {bucket}: run `make bootstrap` once for this account and region"
            ) from error
        raise DeployError(
            f"cannot use the state bucket {bucket} (it must be this account's, {account}): {error}"
        ) from error


def deploy(environment: str, image_tag: str | None, run: Runner) -> None:
    """Deploy an environment in phases; each phase that is already done is skipped."""
    terraform, _ = prepare(environment, image_tag, run)
    ecr = aws_client("ecr")
    repository = repository_name(environment)
    if repository_exists(ecr, repository):
        log(f"registry: {repository} exists")
    else:
        log(f"registry: creating {repository} (a targeted apply: nothing that runs the image)")
        terraform.apply_targets(REGISTRY_TARGET)
    push_image(ecr, run, repository, terraform.image_tag)
    if MIGRATION_TARGETS:
        log("migration: the network, the database and the migration task with the new image")
        terraform.apply_targets(*MIGRATION_TARGETS)
        run_migration(aws_client("ecs"), aws_client("logs"), terraform.output("migration"))
    log(f"apply: everything else in {environment}")
    terraform.apply_all()
    log(f"{environment} deployed at {terraform.image_tag}")


def deployed_image_tag(terraform: Terraform) -> str | None:
    """The image tag the environment runs now (its state's image_tag output), if it has one."""
    done = terraform("output", "-raw", "image_tag", capture=True)
    tag = done.stdout.strip() if done.returncode == 0 and done.stdout else ""
    return tag if TAG.match(tag) else None


def plan(
    environment: str, image_tag: str | None, extra: list[str], run: Runner, deployed: bool = False
) -> int:
    """terraform plan of the environment; terraform's exit code.

    With `deployed`, the plan keeps the image the environment runs now (pull request plans and
    drift checks build no image, so a new tag would show a task definition change on every
    plan); an environment without state yet plans with `image_tag`.
    """
    terraform, _ = prepare(environment, image_tag, run)
    if deployed:
        current = deployed_image_tag(terraform)
        if current:
            log(f"plan: with the deployed image {current}")
            terraform.image_tag = current
    return terraform.plan(*extra)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; what follows `--` goes to `terraform plan` as it is."""
    words = list(sys.argv[1:] if argv is None else argv)
    extra = words[words.index("--") + 1 :] if "--" in words else []
    words = words[: words.index("--")] if "--" in words else words
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("bootstrap", help="the account's state bucket and GitHub OIDC provider")
    for name, text in (
        ("deploy", "deploy an environment in phases"),
        ("plan", "terraform plan of an environment; options after -- go to terraform plan"),
    ):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("environment", choices=ENVIRONMENTS)
        command.add_argument("--image-tag", help="the image tag (default: IMAGE_TAG, else HEAD)")
        if name == "plan":
            command.add_argument(
                "--deployed-image",
                action="store_true",
                help="plan with the image the environment runs now (its state's image_tag)",
            )
    args = parser.parse_args(words)
    if extra and args.command != "plan":
        parser.error("options after -- are for `plan` only")
    args.terraform_args = extra
    return args


def main(argv: Sequence[str] | None = None, run: Runner | None = None) -> int:
    """Entry point; the exit code."""
    args = parse(argv)
    run = run or Runner()
    try:
        if args.command == "bootstrap":
            bootstrap()
        elif args.command == "deploy":
            deploy(args.environment, args.image_tag, run)
        else:
            return plan(
                args.environment, args.image_tag, args.terraform_args, run, args.deployed_image
            )
    except DeployError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
