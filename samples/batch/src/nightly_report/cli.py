"""The entrypoint: run the job once for one scheduled run, then exit with a meaningful code.

Every attempt gets a run id (uuid4). Every log line carries it, with the scheduled run's
idempotency key and scheduled time. The attempt claims the run in the idempotency table, runs
`job.run` under the timeout, records the outcome and exits with one of the codes in `ExitCode`;
`EXIT_CODE_MEANINGS` says what each means (and `--help` prints them).
"""

from __future__ import annotations

import argparse
import logging
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import IntEnum

from pydantic import ValidationError

from nightly_report import SERVICE_NAME, job
from nightly_report.idempotency import (
    AlreadyCompletedError,
    Claim,
    ClaimLostError,
    IdempotencyError,
    IdempotencyStore,
    RunInProgressError,
    StoreUnavailableError,
    idempotency_key,
)
from nightly_report.interrupts import Interrupts, JobTerminated, JobTimeout
from nightly_report.logs import configure_logging, log_context
from nightly_report.settings import Settings

logger = logging.getLogger(__name__)

#: How long a claim outlives the timeout: time to record the outcome after a timeout or SIGTERM.
#: An attempt killed outright (SIGKILL, out of memory) blocks retries of its run for this long.
LEASE_GRACE = timedelta(minutes=2)


class ExitCode(IntEnum):
    """The process exit codes; ECS reports them as the container's exit code."""

    OK = 0
    JOB_FAILED = 1
    CONFIG_ERROR = 2
    STORE_UNAVAILABLE = 69  # EX_UNAVAILABLE in sysexits.h
    IN_PROGRESS = 75  # EX_TEMPFAIL in sysexits.h
    TIMEOUT = 124  # as coreutils `timeout`
    TERMINATED = 143  # 128 + SIGTERM, as a shell reports it


EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "the job completed, or an earlier attempt already completed this run",
    ExitCode.JOB_FAILED: "the job raised an exception; the run is FAILED and may be retried",
    ExitCode.CONFIG_ERROR: "a JOB_* setting is missing or invalid; nothing ran",
    ExitCode.STORE_UNAVAILABLE: "the idempotency table could not be read or written",
    ExitCode.IN_PROGRESS: "another live attempt holds this run; nothing ran",
    ExitCode.TIMEOUT: "the job ran past JOB_TIMEOUT_SECONDS; the run is FAILED",
    ExitCode.TERMINATED: "SIGTERM (ECS stopped the task); the run is FAILED",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the job once, configured from JOB_* environment variables; return the exit code."""
    _parser().parse_args(argv)
    configure_logging(SERVICE_NAME)
    run_id = str(uuid.uuid4())
    token = log_context.set({"run_id": run_id})
    started = time.monotonic()
    try:
        with Interrupts().installed() as interrupts:
            code = _attempt(run_id, interrupts)
        # infra/ metric filters read this line: success/failure counts and the duration.
        logger.info(
            "run finished",
            extra={
                "exit_code": int(code),
                "outcome": code.name,
                "duration_seconds": round(time.monotonic() - started, 3),
            },
        )
        return int(code)
    finally:
        log_context.reset(token)


def _attempt(run_id: str, interrupts: Interrupts) -> ExitCode:
    """Load the settings, claim the scheduled run and, if this attempt may, do it."""
    try:
        settings = Settings()
    except ValidationError as error:
        logger.error(
            "invalid configuration; the job did not run",
            extra={"errors": _setting_errors(error)},
        )
        return ExitCode.CONFIG_ERROR
    logging.getLogger().setLevel(settings.log_level)

    scheduled_time = settings.scheduled_time or datetime.now(UTC).replace(microsecond=0)
    key = idempotency_key(SERVICE_NAME, scheduled_time)
    log_context.set(
        {
            "run_id": run_id,
            "idempotency_key": key,
            "scheduled_time": scheduled_time.astimezone(UTC).isoformat(),
        }
    )
    if settings.scheduled_time is None:
        logger.warning(
            "JOB_SCHEDULED_TIME is not set: manual run, using the current time as the scheduled "
            "time"
        )
    logger.info("run starting", extra={"timeout_seconds": settings.timeout_seconds})

    store = IdempotencyStore(
        settings.idempotency_table,
        region=settings.region,
        record_ttl=timedelta(days=settings.idempotency_ttl_days),
    )
    lease = timedelta(seconds=settings.timeout_seconds) + LEASE_GRACE
    claim = _claim(store, key, run_id, scheduled_time, lease)
    if isinstance(claim, ExitCode):
        return claim

    context = job.JobContext(
        run_id=run_id,
        idempotency_key=key,
        scheduled_time=scheduled_time,
        timezone=settings.timezone,
        deadline=time.monotonic() + settings.timeout_seconds,
    )
    return _run_job(store, claim, context, interrupts, settings.timeout_seconds)


def _claim(
    store: IdempotencyStore, key: str, run_id: str, scheduled_time: datetime, lease: timedelta
) -> Claim | ExitCode:
    """Claim the scheduled run for this attempt, or return the exit code for why it may not run."""
    try:
        return store.claim(key, run_id, scheduled_time, lease)
    except AlreadyCompletedError as done:
        logger.info(
            "run already completed by an earlier attempt; skipping",
            extra={"completed_by_run_id": done.run_id},
        )
        return ExitCode.OK
    except RunInProgressError as busy:
        logger.warning(
            "another attempt is running this scheduled run; refusing to run it twice",
            extra={"held_by_run_id": busy.run_id, "lease_expires_at": busy.lease_expires_at},
        )
        return ExitCode.IN_PROGRESS
    except StoreUnavailableError as error:
        logger.error(
            "could not claim the run in the idempotency table; the job did not run",
            extra={"error": str(error)},
        )
        return ExitCode.STORE_UNAVAILABLE


def _run_job(
    store: IdempotencyStore,
    claim: Claim,
    context: job.JobContext,
    interrupts: Interrupts,
    timeout_seconds: float,
) -> ExitCode:
    """Run `job.run` under the timeout and record its outcome against the claim."""
    started = time.monotonic()
    try:
        with interrupts.job_window(timeout_seconds):
            summary = job.run(context)
    except JobTimeout:
        logger.error("job timed out", extra={"timeout_seconds": timeout_seconds})
        reason = f"timed out after {timeout_seconds} s"
        return _record_failure(store, claim, reason, ExitCode.TIMEOUT)
    except JobTerminated:
        logger.warning("job stopped by SIGTERM before it finished")
        return _record_failure(store, claim, "stopped by SIGTERM", ExitCode.TERMINATED)
    except Exception as error:
        logger.exception("job failed")
        reason = f"{type(error).__name__}: {error}"
        return _record_failure(store, claim, reason, ExitCode.JOB_FAILED)

    duration = round(time.monotonic() - started, 3)
    try:
        store.complete(claim, summary)
    except StoreUnavailableError as error:
        logger.error(
            "job succeeded but its completion could not be recorded",
            extra={"error": str(error), "summary": summary},
        )
        return ExitCode.STORE_UNAVAILABLE
    except ClaimLostError as error:
        logger.error(
            "job succeeded but another attempt has taken over the run",
            extra={"error": str(error), "summary": summary},
        )
        return ExitCode.JOB_FAILED
    logger.info("job completed", extra={"summary": summary, "duration_seconds": duration})
    return ExitCode.OK


def _record_failure(store: IdempotencyStore, claim: Claim, reason: str, code: ExitCode) -> ExitCode:
    """Mark the run FAILED so a later attempt may retry it; the exit code stays `code`."""
    try:
        store.fail(claim, reason)
    except IdempotencyError as error:
        logger.error(
            "could not record the failure; the run stays claimed until its lease expires",
            extra={"error": str(error), "lease_expires_at": claim.lease_expires_at},
        )
    return code


def _setting_errors(error: ValidationError) -> list[str]:
    """One readable line per invalid setting, named by its environment variable."""
    return [
        f"JOB_{'_'.join(str(part) for part in item['loc']).upper()}: {item['msg']}"
        for item in error.errors(include_input=False)
    ]


def _parser() -> argparse.ArgumentParser:
    codes = "\n".join(f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODE_MEANINGS.items())
    return argparse.ArgumentParser(
        prog="nightly-report",
        description="Run the nightly-report job once, configured by JOB_* environment "
        "variables. Set JOB_SCHEDULED_TIME (ISO 8601, e.g. 2024-05-01T02:00:00Z) to do a given "
        "scheduled run.",
        epilog=f"exit codes:\n{codes}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
