"""Constants and helpers the tests share."""

from __future__ import annotations

import json
from typing import Any

REGION = "eu-central-1"
TABLE = "nightly-report-idempotency"
SCHEDULED_TIME = "2024-05-01T02:00:00Z"
KEY = "nightly-report#2024-05-01T02:00:00Z"


def get_record(dynamodb: Any, key: str = KEY) -> dict[str, Any]:
    """The idempotency record of `key`, as plain strings."""
    item = dynamodb.get_item(
        TableName=TABLE, Key={"idempotency_key": {"S": key}}, ConsistentRead=True
    )
    return {name: next(iter(value.values())) for name, value in item["Item"].items()}


def put_record(dynamodb: Any, **attributes: str | int) -> None:
    """Write an idempotency record for `KEY` directly, to set up a state."""
    item: dict[str, Any] = {"idempotency_key": {"S": KEY}, "run_id": {"S": "earlier-run"}}
    for name, value in attributes.items():
        item[name] = {"N": str(value)} if isinstance(value, int) else {"S": value}
    dynamodb.put_item(TableName=TABLE, Item=item)


def json_lines(output: str) -> list[dict[str, Any]]:
    """Every line of `output` parsed as JSON (fails the test on a line that is not)."""
    return [json.loads(line) for line in output.splitlines() if line.strip()]
