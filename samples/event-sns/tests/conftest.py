"""Test configuration: no X-Ray daemon, moto's DynamoDB and SQS, a Lambda context, and the
handler's JSON logs."""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from moto import mock_aws

if TYPE_CHECKING:
    from order_notifications.invoke import LocalContext

# Set before the service modules are imported (the fixtures below import them lazily): Tracer
# reads POWERTOOLS_TRACE_DISABLED when created, so no test tries to reach an X-Ray daemon.
os.environ["POWERTOOLS_TRACE_DISABLED"] = "1"
os.environ["POWERTOOLS_LOG_LEVEL"] = "INFO"
os.environ["ENVIRONMENT"] = "test"
# As Lambda sets them in AWS (the module's environment), with fake credentials: moto answers.
REGION = "eu-west-1"
IDEMPOTENCY_TABLE = "order-notifications-test-idempotency"
DEAD_LETTER_QUEUE = "order-notifications-test-dlq"
os.environ["IDEMPOTENCY_TABLE"] = IDEMPOTENCY_TABLE
os.environ["DEAD_LETTER_QUEUE_URL"] = (
    f"https://sqs.{REGION}.amazonaws.com/123456789012/{DEAD_LETTER_QUEUE}"
)
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }
)

LogRecords = Callable[[], list[dict[str, Any]]]


@pytest.fixture(autouse=True)
def aws() -> Iterator[Any]:
    """moto's DynamoDB and SQS: the idempotency table and the dead-letter queue, as deployed."""
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        dynamodb.create_table(
            TableName=IDEMPOTENCY_TABLE,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        boto3.client("sqs", region_name=REGION).create_queue(QueueName=DEAD_LETTER_QUEUE)
        yield dynamodb


@pytest.fixture
def dead_letters() -> Callable[[], list[dict[str, Any]]]:
    """The messages in the dead-letter queue (call the fixture value to read them)."""

    def read() -> list[dict[str, Any]]:
        sqs = boto3.client("sqs", region_name=REGION)
        url = sqs.get_queue_url(QueueName=DEAD_LETTER_QUEUE)["QueueUrl"]
        found = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
        )
        return list(found.get("Messages", []))

    return read


@pytest.fixture
def lambda_context() -> LocalContext:
    """A Lambda context like the one Lambda passes to the handler."""
    from order_notifications.invoke import LocalContext

    return LocalContext()


@pytest.fixture
def logs() -> Iterator[LogRecords]:
    """Capture the handler's JSON log lines; call the fixture value to get them as dicts."""
    from order_notifications.handler import logger

    log_handler = logger.registered_handler
    assert isinstance(log_handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = log_handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    log_handler.setStream(previous)
