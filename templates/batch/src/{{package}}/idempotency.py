"""One record per scheduled run in DynamoDB, so a run is done at most once across retries.

The key of a run is derived from the service name and the scheduled time, so every attempt at
the same scheduled run (a scheduler retry, a manual re-run, a second task started by mistake)
maps to the same record. A record moves through these states:

- IN_PROGRESS: an attempt claimed the run. It holds a lease (`lease_expires_at`) a little longer
  than the job's timeout; while the lease is live, other attempts are refused.
- COMPLETED: the job succeeded; later attempts skip the run.
- FAILED: the job failed, timed out or was stopped; a later attempt may claim the run again.

Claiming is one conditional put, so two attempts racing for the same run cannot both win. Every
record carries a TTL (`expires_at`, epoch seconds): DynamoDB deletes it some time after that,
and until then the claim treats an expired record as absent. An IN_PROGRESS record whose lease
has run out (its attempt was killed without recording an outcome) may be claimed again too.

Table layout: partition key `idempotency_key` (string); TTL enabled on `expires_at`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

#: Bounded timeouts and retries, so recording an outcome stays well inside the lease's grace.
_CLIENT_CONFIG = Config(
    connect_timeout=5, read_timeout=10, retries={"max_attempts": 3, "mode": "standard"}
)
_CONDITION_FAILED = "ConditionalCheckFailedException"
_MAX_ERROR_CHARS = 1000


class RunStatus(StrEnum):
    """The state of a scheduled run in the idempotency table."""

    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


class IdempotencyError(Exception):
    """Base class for the reasons an attempt may not (or could not) record a run."""


class AlreadyCompletedError(IdempotencyError):
    """An earlier attempt completed this scheduled run."""

    def __init__(self, key: str, run_id: str) -> None:
        super().__init__(f"run {key!r} was already completed by run id {run_id}")
        self.run_id = run_id


class RunInProgressError(IdempotencyError):
    """Another attempt holds a live claim on this scheduled run."""

    def __init__(self, key: str, run_id: str, lease_expires_at: datetime | None) -> None:
        super().__init__(f"run {key!r} is in progress under run id {run_id}")
        self.run_id = run_id
        self.lease_expires_at = lease_expires_at


class ClaimLostError(IdempotencyError):
    """This attempt no longer holds the run, so it may not record the run's outcome."""


class StoreUnavailableError(IdempotencyError):
    """The idempotency table could not be read or written."""


def idempotency_key(service: str, scheduled_time: datetime) -> str:
    """The key of one scheduled run: `<service>#<scheduled time in UTC, to the second>`.

    The same instant gives the same key whatever offset it is written with, so every attempt at a
    scheduled run shares one record.
    """
    if scheduled_time.tzinfo is None:
        raise ValueError("scheduled_time must be timezone-aware")
    instant = scheduled_time.astimezone(UTC).replace(microsecond=0)
    return f"{service}#{instant.strftime('%Y-%m-%dT%H:%M:%SZ')}"


@dataclass(frozen=True)
class Claim:
    """A live claim on a scheduled run, held by `run_id` until `lease_expires_at`."""

    key: str
    run_id: str
    lease_expires_at: datetime


class IdempotencyStore:
    """Claims scheduled runs and records their outcome in a DynamoDB table."""

    def __init__(
        self,
        table_name: str,
        *,
        region: str,
        record_ttl: timedelta = timedelta(days=7),
        client: Any = None,
    ) -> None:
        self.table_name = table_name
        self.record_ttl = record_ttl
        self._client = client or boto3.client("dynamodb", region_name=region, config=_CLIENT_CONFIG)

    def claim(self, key: str, run_id: str, scheduled_time: datetime, lease: timedelta) -> Claim:
        """Claim the run `key` for `run_id` for `lease`, or raise why this attempt may not run.

        Raises AlreadyCompletedError, RunInProgressError or StoreUnavailableError.
        """
        now = _utcnow()
        claim = Claim(key=key, run_id=run_id, lease_expires_at=now + lease)
        item = {
            "idempotency_key": {"S": key},
            "status": {"S": RunStatus.IN_PROGRESS},
            "run_id": {"S": run_id},
            "scheduled_time": {"S": scheduled_time.astimezone(UTC).isoformat()},
            "started_at": {"S": now.isoformat()},
            "lease_expires_at": _epoch(claim.lease_expires_at),
            "expires_at": _epoch(now + self.record_ttl),
        }
        try:
            self._client.put_item(
                TableName=self.table_name,
                Item=item,
                ConditionExpression=(
                    "attribute_not_exists(idempotency_key)"
                    " OR #status = :failed"
                    " OR (#status = :in_progress AND lease_expires_at < :now)"
                    " OR expires_at < :now"
                ),
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":failed": {"S": RunStatus.FAILED},
                    ":in_progress": {"S": RunStatus.IN_PROGRESS},
                    ":now": _epoch(now),
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if _code(error) != _CONDITION_FAILED:
                raise StoreUnavailableError(f"could not claim run {key!r}: {error}") from error
            raise _refusal(key, error.response.get("Item", {})) from None
        except BotoCoreError as error:
            raise StoreUnavailableError(f"could not claim run {key!r}: {error}") from error
        return claim

    def complete(self, claim: Claim, summary: Mapping[str, Any]) -> None:
        """Record that the claimed run succeeded, with the job's summary (stored as JSON)."""
        self._finish(claim, RunStatus.COMPLETED, "summary", json.dumps(summary, default=str))

    def fail(self, claim: Claim, reason: str) -> None:
        """Record that the claimed run failed, so a later attempt may claim it again."""
        self._finish(claim, RunStatus.FAILED, "error", reason[:_MAX_ERROR_CHARS])

    def _finish(self, claim: Claim, status: RunStatus, detail_name: str, detail: str) -> None:
        try:
            self._client.update_item(
                TableName=self.table_name,
                Key={"idempotency_key": {"S": claim.key}},
                UpdateExpression=(
                    "SET #status = :status, finished_at = :finished_at, #detail = :detail"
                    " REMOVE lease_expires_at"
                ),
                ConditionExpression="run_id = :run_id AND #status = :in_progress",
                ExpressionAttributeNames={"#status": "status", "#detail": detail_name},
                ExpressionAttributeValues={
                    ":status": {"S": status},
                    ":finished_at": {"S": _utcnow().isoformat()},
                    ":detail": {"S": detail},
                    ":run_id": {"S": claim.run_id},
                    ":in_progress": {"S": RunStatus.IN_PROGRESS},
                },
            )
        except ClientError as error:
            if _code(error) == _CONDITION_FAILED:
                raise ClaimLostError(
                    f"run {claim.key!r} is no longer held by run id {claim.run_id}"
                ) from None
            raise StoreUnavailableError(f"could not record run {claim.key!r}: {error}") from error
        except BotoCoreError as error:
            raise StoreUnavailableError(f"could not record run {claim.key!r}: {error}") from error


def _refusal(key: str, old: Mapping[str, Any]) -> IdempotencyError:
    """Why a claim failed, from the record that made its condition fail."""
    run_id = old.get("run_id", {}).get("S", "unknown")
    if old.get("status", {}).get("S") == RunStatus.COMPLETED:
        return AlreadyCompletedError(key, run_id)
    lease = old.get("lease_expires_at", {}).get("N")
    lease_expires_at = datetime.fromtimestamp(int(lease), tz=UTC) if lease else None
    return RunInProgressError(key, run_id, lease_expires_at)


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _epoch(moment: datetime) -> dict[str, str]:
    """A DynamoDB number attribute holding `moment` as whole epoch seconds (the TTL format)."""
    return {"N": str(int(moment.timestamp()))}


def _utcnow() -> datetime:
    return datetime.now(UTC)
