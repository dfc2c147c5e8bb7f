"""The idempotency record: key stability, claim rules per state, and recording outcomes."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from nightly_report.idempotency import (
    AlreadyCompletedError,
    ClaimLostError,
    IdempotencyStore,
    RunInProgressError,
    RunStatus,
    StoreUnavailableError,
    idempotency_key,
)
from tests.support import KEY, REGION, get_record, put_record

SCHEDULED = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def _now() -> int:
    return int(time.time())


def test_key_is_service_and_scheduled_time_in_utc() -> None:
    assert idempotency_key("nightly-report", SCHEDULED) == KEY


def test_key_is_the_same_for_the_same_instant_in_any_offset() -> None:
    berlin = datetime(2024, 5, 1, 4, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    with_micros = SCHEDULED.replace(microsecond=123456)

    assert idempotency_key("nightly-report", berlin) == KEY
    assert idempotency_key("nightly-report", with_micros) == KEY


def test_key_differs_per_scheduled_time_and_service() -> None:
    later = SCHEDULED + timedelta(minutes=1)

    assert idempotency_key("nightly-report", later) != KEY
    assert idempotency_key("other-job", SCHEDULED) != KEY


def test_key_rejects_a_naive_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        idempotency_key("nightly-report", datetime(2024, 5, 1, 2, 0))


def test_claim_records_the_run_in_progress_with_lease_and_ttl(
    store: IdempotencyStore, dynamodb: Any
) -> None:
    store.claim(KEY, "run-1", SCHEDULED, LEASE)

    record = get_record(dynamodb)
    assert record["status"] == RunStatus.IN_PROGRESS
    assert record["run_id"] == "run-1"
    assert record["scheduled_time"] == "2024-05-01T02:00:00+00:00"
    assert 0 < int(record["lease_expires_at"]) - _now() <= LEASE.total_seconds()
    assert int(record["expires_at"]) - _now() == pytest.approx(7 * 86400, abs=5)


def test_complete_stores_the_summary_and_ends_the_lease(
    store: IdempotencyStore, dynamodb: Any
) -> None:
    claim = store.claim(KEY, "run-1", SCHEDULED, LEASE)

    store.complete(claim, {"rows": 3})

    record = get_record(dynamodb)
    assert record["status"] == RunStatus.COMPLETED
    assert json.loads(record["summary"]) == {"rows": 3}
    assert "lease_expires_at" not in record


def test_a_completed_run_is_not_claimed_again(store: IdempotencyStore) -> None:
    store.complete(store.claim(KEY, "run-1", SCHEDULED, LEASE), {})

    with pytest.raises(AlreadyCompletedError) as refused:
        store.claim(KEY, "run-2", SCHEDULED, LEASE)
    assert refused.value.run_id == "run-1"


def test_a_live_claim_refuses_a_second_attempt(store: IdempotencyStore) -> None:
    store.claim(KEY, "run-1", SCHEDULED, LEASE)

    with pytest.raises(RunInProgressError) as refused:
        store.claim(KEY, "run-2", SCHEDULED, LEASE)
    assert refused.value.run_id == "run-1"
    assert refused.value.lease_expires_at is not None


def test_a_failed_run_may_be_retried(store: IdempotencyStore, dynamodb: Any) -> None:
    store.fail(store.claim(KEY, "run-1", SCHEDULED, LEASE), "boom")
    assert get_record(dynamodb)["error"] == "boom"

    store.claim(KEY, "run-2", SCHEDULED, LEASE)

    record = get_record(dynamodb)
    assert (record["status"], record["run_id"]) == (RunStatus.IN_PROGRESS, "run-2")


def test_an_in_progress_run_whose_lease_expired_may_be_retried(
    store: IdempotencyStore, dynamodb: Any
) -> None:
    put_record(
        dynamodb,
        status=RunStatus.IN_PROGRESS,
        lease_expires_at=_now() - 1,
        expires_at=_now() + 3600,
    )

    store.claim(KEY, "run-2", SCHEDULED, LEASE)

    assert get_record(dynamodb)["run_id"] == "run-2"


def test_a_completed_record_past_its_ttl_counts_as_absent(
    store: IdempotencyStore, dynamodb: Any
) -> None:
    put_record(dynamodb, status=RunStatus.COMPLETED, expires_at=_now() - 1)

    store.claim(KEY, "run-2", SCHEDULED, LEASE)

    assert get_record(dynamodb)["status"] == RunStatus.IN_PROGRESS


def test_only_the_claim_holder_records_the_outcome(store: IdempotencyStore) -> None:
    first = store.claim(KEY, "run-1", SCHEDULED, LEASE)
    store.fail(first, "boom")
    store.claim(KEY, "run-2", SCHEDULED, LEASE)

    with pytest.raises(ClaimLostError):
        store.complete(first, {})


def test_a_missing_table_is_reported_as_unavailable(dynamodb: Any) -> None:
    store = IdempotencyStore("no-such-table", region=REGION)

    with pytest.raises(StoreUnavailableError):
        store.claim(KEY, "run-1", SCHEDULED, LEASE)
