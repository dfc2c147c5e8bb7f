"""Rehearse the first deploy of a generated repository's environment against moto (ADR 0012).

In a copy of the repository (a git checkout, as a team's clone is), with moto's server on
127.0.0.1 and the overrides of `overrides.py`:

1. the commands of infra/README.md's first-deploy block, as documented (`make bootstrap`,
   `make deploy ENV=<env>`): the account's prerequisites, then the registry, the image, the
   migration task (web with PostgreSQL) and everything else;
2. checks: no image consumer existed when the image was pushed; the state holds the stack;
3. a second plan through the same script: every difference must be one `drift.ALLOWED` lists;
4. deletion protection lifted (as an administrator would before tearing down prod), the
   images deleted (the registry is kept while it holds any), `terraform destroy`;
5. checks: the state is empty, moto holds nothing of the stack, and the account's
   prerequisites (state bucket, OIDC provider) are still there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from generator.rehearsal import overrides, shims
from generator.rehearsal.model import LeftOut, Step
from generator.rehearsal.moto import MotoServer

FIRST_DEPLOY_MARKER = "<!-- scaffold:first-deploy"
BUCKET_POLICY = (
    "moto checks a bucket policy's conditions without the request's context, so the TLS-only "
    "Deny refuses every request (tests/test_deploy.py of the repository checks the policy)"
)
_COPY_IGNORED = shutil.ignore_patterns(
    ".git", ".venv", ".terraform", "__pycache__", "tfplan", "plan.txt", "*.tfstate*"
)
#: Environment variables of the developer's shell that would reach real AWS or another setup.
_SCRUBBED = re.compile(
    r"^(AWS_|TF_VAR_|TF_CLI_CONFIG_FILE$|STATE_BUCKET$|IMAGE(_TAG)?$|CERTIFICATE_ARN$|VENV$)"
)


class RehearsalFailed(Exception):
    """A step failed; the message says which and why."""


def first_deploy_commands(repo: Path, environment: str) -> list[str]:
    """The commands of infra/README.md's first-deploy block, for `environment`."""
    readme = (repo / "infra" / "README.md").read_text(encoding="utf-8")
    if FIRST_DEPLOY_MARKER not in readme:
        raise RehearsalFailed(
            "infra/README.md has no first-deploy block (<!-- scaffold:first-deploy -->)"
        )
    after = readme.split(FIRST_DEPLOY_MARKER, 1)[1]
    block = re.search(r"```sh\n(.*?)```", after, flags=re.S)
    if block is None:
        raise RehearsalFailed("the first-deploy block of infra/README.md has no ```sh code")
    lines = [line.split(" #", 1)[0].strip() for line in block.group(1).splitlines()]
    return [re.sub(r"\bENV=\S+", f"ENV={environment}", line) for line in lines if line]


class Rehearsal:
    """The state of one rehearsal while it runs."""

    def __init__(self, repo: Path, environment: str, work: Path, timeout: float) -> None:
        self.source = repo
        self.environment = environment
        self.work = work
        self.repo = work / "repo"
        self.timeout = timeout
        self.steps: list[Step] = []
        self.env: dict[str, str] = {}
        answers = yaml.safe_load((repo / ".copier-answers.yml").read_text(encoding="utf-8"))
        self.name: str = answers["name"]
        self.region: str = answers["aws_region"]
        from generator.spec.registry import resolve_type

        # a load balancer's HTTPS listener needs a certificate (CERTIFICATE_ARN)
        service_type = resolve_type(str(answers.get("service_type", "")))
        self.certificate = service_type.capabilities.load_balancer
        self.root = self.repo / "infra" / "envs" / environment

    # ---- running things ---------------------------------------------------------------------

    def step(self, name: str, action: Callable[[], str | None]) -> None:
        """Run `action` as a step; a failure ends the rehearsal with its message."""
        start = time.perf_counter()
        try:
            detail = action() or ""
        except RehearsalFailed as failure:
            self.steps.append(
                Step(name=name, ok=False, seconds=self._since(start), detail=str(failure))
            )
            raise RehearsalFailed(f"{name}: {failure}") from failure
        self.steps.append(Step(name=name, ok=True, seconds=self._since(start), detail=detail))

    @staticmethod
    def _since(start: float) -> float:
        return round(time.perf_counter() - start, 1)

    def run(self, args: list[str], cwd: Path | None = None, log: str = "") -> str:
        """Run a command with the rehearsal's environment; its output; raise when it fails."""
        log_file = self.work / f"{len(self.steps):02d}-{log or args[0]}.log"
        done = subprocess.run(
            args,
            cwd=cwd or self.repo,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=self.timeout * 4,
            check=False,
        )
        output = done.stdout + done.stderr
        log_file.write_text(output, encoding="utf-8")
        if done.returncode != 0:
            tail = "\n".join(output.strip().splitlines()[-25:])
            raise RehearsalFailed(f"exit {done.returncode} (log: {log_file}):\n{tail}")
        return done.stdout

    def command(self, line: str) -> str:
        """One documented shell command, in the repository."""
        self.run(["bash", "-e", "-c", line], log="command")
        return ""

    def aws(self, service: str) -> Any:
        """A boto3 client of moto."""
        import boto3

        return boto3.client(
            service,
            region_name=self.region,
            endpoint_url=self.env["AWS_ENDPOINT_URL"],
            verify=self.env["AWS_CA_BUNDLE"],
            aws_access_key_id="rehearsal",
            aws_secret_access_key="rehearsal",
        )

    # ---- set-up -------------------------------------------------------------------------------

    def prepare(self, moto: MotoServer, venv: Path, mirror: Path) -> list[LeftOut]:
        """The copy, its overrides, the shims and the environment every command gets."""
        shutil.copytree(self.source, self.repo, ignore=_COPY_IGNORED, symlinks=True)
        if not self.root.is_dir():
            raise RehearsalFailed(f"no environment root infra/envs/{self.environment}")
        left_out = overrides.write(self.repo, self.environment, self.region, moto.url)
        shims.install(self.work / "bin")
        config = self.work / "terraformrc"
        config.write_text(
            f'provider_installation {{\n  filesystem_mirror {{\n    path = "{mirror}"\n  }}\n}}\n',
            encoding="utf-8",
        )
        self.env = {k: v for k, v in os.environ.items() if not _SCRUBBED.match(k)}
        self.env.update(
            PATH=f"{self.work / 'bin'}{os.pathsep}{self.env.get('PATH', '')}",
            VENV=str(venv),
            AWS_ACCESS_KEY_ID="rehearsal",
            AWS_SECRET_ACCESS_KEY="rehearsal",
            AWS_DEFAULT_REGION=self.region,
            AWS_REGION=self.region,
            AWS_ENDPOINT_URL=moto.url,
            AWS_CA_BUNDLE=str(moto.ca_bundle),
            AWS_EC2_METADATA_DISABLED="true",
            TF_CLI_CONFIG_FILE=str(config),
            TF_IN_AUTOMATION="1",
            **{
                shims.TIMEOUT_VARIABLE: str(int(self.timeout)),
                shims.STATE_VARIABLE: str(self.work),
            },
        )
        git = ["git", "-c", "user.name=rehearsal", "-c", "user.email=rehearsal@localhost"]
        for args in (
            ["git", "init", "-q"],
            ["git", "add", "-A"],
            [*git, "commit", "-qm", "rehearsal"],
        ):
            self.run(args, log="git")
        if self.certificate:
            certificate = self.aws("acm").request_certificate(DomainName=f"{self.name}.example.com")
            self.env["CERTIFICATE_ARN"] = certificate["CertificateArn"]
        return [LeftOut(resource=f"{i.module}: {i.resource}", reason=i.reason) for i in left_out]

    # ---- the rehearsal's own steps -------------------------------------------------------------

    def terraform(self, *args: str, log: str = "terraform") -> str:
        """The (shimmed) Terraform in the environment root."""
        return self.run(["terraform", *args], cwd=self.root, log=log)

    def variables(self) -> list[str]:
        """The -var arguments scripts/deploy.py passes."""
        tag = self.run(["git", "rev-parse", "HEAD"], log="git").strip()
        args = ["-var", f"image_tag={tag}"]
        if self.certificate:
            args += ["-var", f"certificate_arn={self.env['CERTIFICATE_ARN']}"]
        return args

    def state(self) -> list[str]:
        """The addresses of the managed resources in the environment's state (no data sources)."""
        listed = self.terraform("state", "list", log="state").splitlines()
        return [a for a in listed if a and not re.search(r"(^|\.)data\.", a)]

    def second_plan(self) -> Any:
        """Plan again through the script; the plan as JSON."""
        python = str(Path(self.env["VENV"]) / "bin" / "python")
        self.run(
            [python, "scripts/deploy.py", "plan", self.environment, "--", "-out=rehearsal.tfplan"],
            log="plan",
        )
        import json

        return json.loads(self.terraform("show", "-json", "rehearsal.tfplan", log="show"))

    def lift_deletion_protection(self) -> str:
        """What an administrator turns off before destroying a protected environment."""
        lifted = []
        rds = self.aws("rds")
        for db in rds.describe_db_instances()["DBInstances"]:
            if db.get("DeletionProtection"):
                rds.modify_db_instance(
                    DBInstanceIdentifier=db["DBInstanceIdentifier"],
                    DeletionProtection=False,
                    ApplyImmediately=True,
                )
                lifted.append(db["DBInstanceIdentifier"])
        elbv2 = self.aws("elbv2")
        for lb in elbv2.describe_load_balancers()["LoadBalancers"]:
            elbv2.modify_load_balancer_attributes(
                LoadBalancerArn=lb["LoadBalancerArn"],
                Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}],
            )
            lifted.append(lb["LoadBalancerName"])
        dynamodb = self.aws("dynamodb")
        for table in dynamodb.list_tables()["TableNames"]:
            if dynamodb.describe_table(TableName=table)["Table"].get("DeletionProtectionEnabled"):
                dynamodb.update_table(TableName=table, DeletionProtectionEnabled=False)
                lifted.append(table)
        return ", ".join(lifted) or "nothing was protected"

    def delete_images(self) -> str:
        """Empty the ECR repositories (they are kept while they hold images)."""
        ecr = self.aws("ecr")
        deleted = 0
        for repository in ecr.describe_repositories()["repositories"]:
            ids = ecr.list_images(repositoryName=repository["repositoryName"])["imageIds"]
            if ids:
                ecr.batch_delete_image(repositoryName=repository["repositoryName"], imageIds=ids)
                deleted += len(ids)
        return f"{deleted} image(s)"

    def destroy(self) -> str:
        """terraform destroy of the environment (state just refreshed by the second plan)."""
        self.env["TF_VAR_state_bucket"] = self.state_bucket()
        self.terraform(
            "destroy",
            "-auto-approve",
            "-input=false",
            "-refresh=false",
            *self.variables(),
            log="destroy",
        )
        left = self.state()
        if left:
            raise RehearsalFailed(
                f"the state still holds {len(left)} resources: {', '.join(left[:10])}"
            )
        return "state empty"

    def state_bucket(self) -> str:
        """The account's state bucket in moto."""
        account = self.aws("sts").get_caller_identity()["Account"]
        return f"tfstate-{account}-{self.region}"

    def leftovers(self) -> list[str]:
        """What moto still holds of the stack after destroy (the prerequisites excepted)."""
        prefix = f"{self.name}-{self.environment}"
        found: list[str] = []
        ec2 = self.aws("ec2")
        found += [
            f"vpc {v['VpcId']}" for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")
        ]
        found += [
            f"nat gateway {n['NatGatewayId']}"
            for n in ec2.describe_nat_gateways()["NatGateways"]
            if n.get("State") not in ("deleted", "deleting")
        ]
        ecs = self.aws("ecs")
        found += [
            f"ecs cluster {c}"
            for c in ecs.list_clusters()["clusterArns"]
            if ecs.describe_clusters(clusters=[c])["clusters"][0]["status"] == "ACTIVE"
        ]
        found += [
            f"ecr {r['repositoryName']}"
            for r in self.aws("ecr").describe_repositories()["repositories"]
        ]
        found += [
            f"lambda {f['FunctionName']}" for f in self.aws("lambda").list_functions()["Functions"]
        ]
        found += [f"sqs {q}" for q in self.aws("sqs").list_queues().get("QueueUrls", [])]
        found += [f"sns {t['TopicArn']}" for t in self.aws("sns").list_topics()["Topics"]]
        found += [f"dynamodb {t}" for t in self.aws("dynamodb").list_tables()["TableNames"]]
        found += [
            f"rds {d['DBInstanceIdentifier']}"
            for d in self.aws("rds").describe_db_instances()["DBInstances"]
        ]
        found += [
            f"alb {lb['LoadBalancerName']}"
            for lb in self.aws("elbv2").describe_load_balancers()["LoadBalancers"]
        ]
        found += [
            f"log group {g['logGroupName']}"
            for g in self.aws("logs").describe_log_groups()["logGroups"]
            if prefix in g["logGroupName"]
        ]
        found += [
            f"alarm {a['AlarmName']}"
            for a in self.aws("cloudwatch").describe_alarms()["MetricAlarms"]
        ]
        found += [
            f"schedule {s['Name']}" for s in self.aws("scheduler").list_schedules()["Schedules"]
        ]
        found += [
            f"role {r['RoleName']}"
            for r in self.aws("iam").list_roles()["Roles"]
            if r["RoleName"].startswith(prefix)
        ]
        bucket = self.state_bucket()
        buckets = [b["Name"] for b in self.aws("s3").list_buckets()["Buckets"]]
        found += [f"bucket {b}" for b in buckets if b != bucket]
        if bucket not in buckets:
            found.append(f"the account's state bucket {bucket} is gone")
        if not self.aws("iam").list_open_id_connect_providers()["OpenIDConnectProviderList"]:
            found.append("the account's GitHub OIDC provider is gone")
        return found

    def adapt_to_moto(self) -> list[LeftOut]:
        """What moto cannot take as it is, taken out after a documented command."""
        s3 = self.aws("s3")
        bucket = self.state_bucket()
        try:
            s3.get_bucket_policy(Bucket=bucket)
        except s3.exceptions.ClientError:
            return []
        s3.delete_bucket_policy(Bucket=bucket)
        return [LeftOut(resource=f"the policy of the state bucket {bucket}", reason=BUCKET_POLICY)]

    def consumers_before_image(self) -> dict[str, list[str]]:
        """What the docker stand-in saw when the image was pushed."""
        import json

        state = self.work / "docker.json"
        pushes = (
            json.loads(state.read_text(encoding="utf-8")).get("pushes", [])
            if state.is_file()
            else []
        )
        if not pushes:
            raise RehearsalFailed("the first deploy pushed no image")
        consumers: dict[str, list[str]] = pushes[0]["consumers_before"]
        if any(consumers.values()):
            raise RehearsalFailed(
                f"image consumers existed before the image was pushed: {consumers}"
            )
        return consumers


@contextmanager
def workdir(keep: Path | None) -> Iterator[Path]:
    """`keep` (made if needed), else a temporary folder removed afterwards."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="scaffold-rehearsal-") as tmp:
        yield Path(tmp)
