"""The Lambda entry point: an SQS batch in, a partial batch response out.

Each SQS message is handled on its own by `record_handler`: its body is validated into an
`Event` (see `models.py`) and passed to `process` (see `processing.py`, the extension point).

- **Once per event.** `process` runs at most once per event id: the outcome is recorded in the
  DynamoDB idempotency table (aws-lambda-powertools idempotency, keyed on `id`), and a copy of
  the event (SQS delivers at least once; producers retry) gets the recorded outcome without
  running `process` again. While one copy is being processed, another fails and is retried
  later. A `process` that raises leaves no record, so the retry runs it again.
- **Invalid messages fail fast.** A body that is not a valid event will never become one: it is
  moved to the dead-letter queue at once, with the validation error as message attributes,
  instead of being retried 5 times first. The dead-letter queue alarm
  fires, and after the producer or the model is fixed it can be redriven.
- **Other failures are retried.** A message whose processing raises is reported in
  `batchItemFailures`; the event source mapping uses ReportBatchItemFailures, so SQS deletes
  the messages that succeeded and redelivers only the failed ones once their visibility
  timeout ends. After 5 receives SQS moves a message to the dead-letter
  queue. If every message in the batch fails, the handler raises instead, so the invocation
  counts as an error and the event source mapping backs off.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import (
    PydanticSerializer,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from audit_trail.config import Settings
from audit_trail.models import Event, parse_event
from audit_trail.processing import Outcome, process

settings = Settings.from_env()
logger = Logger(
    service=settings.service_name, level=settings.log_level, environment=settings.environment
)
tracer = Tracer(service=settings.service_name)
processor = BatchProcessor(event_type=EventType.SQS)
idempotency = IdempotencyConfig(
    event_key_jmespath="id", expires_after_seconds=settings.idempotency_ttl_seconds
)


def _process(event: Event) -> Outcome:
    # `process` is looked up at call time, so tests can replace it in this module.
    return process(event)


def _once(function: Callable[[Event], Outcome]) -> Callable[..., Outcome]:
    """`function` made idempotent on the event id, when there is a table (not in a local run)."""
    if settings.idempotency_table is None:
        return function
    return idempotent_function(
        function,
        data_keyword_argument="event",
        config=idempotency,
        persistence_store=DynamoDBPersistenceLayer(table_name=settings.idempotency_table),
        output_serializer=PydanticSerializer(model=Outcome),
    )


process_once = _once(_process)


def _dead_letter(record: SQSRecord, error: ValidationError) -> bool:
    """Move a message that can never be valid to the dead-letter queue; False if there is none."""
    if settings.dead_letter_queue_url is None:
        return False
    problems = error.errors(include_url=False, include_input=False)
    boto3.client("sqs").send_message(
        QueueUrl=settings.dead_letter_queue_url,
        MessageBody=record.body,
        MessageAttributes={
            "error": {"DataType": "String", "StringValue": "not a valid event"},
            "errors": {
                "DataType": "String",
                "StringValue": json.dumps(problems, default=str)[:4000],
            },
            "source_message_id": {"DataType": "String", "StringValue": record.message_id},
        },
    )
    return True


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    """Validate one message and process it once; raise to fail (and retry) this message alone.

    Logs carry the SQS message id as correlation id.
    """
    logger.set_correlation_id(record.message_id)
    receive_count = int(record.attributes.approximate_receive_count)
    try:
        event = parse_event(record.body)
    except ValidationError as error:
        moved = _dead_letter(record, error)
        logger.error(
            "Message is not a valid event",
            extra={
                "receive_count": receive_count,
                "moved_to_dead_letter_queue": moved,
                "errors": error.errors(include_url=False, include_input=False),
            },
        )
        if moved:
            return
        raise
    tracer.put_annotation(key="event_type", value=event.type)
    try:
        outcome = process_once(event=event)
    except Exception:
        logger.exception(
            "Event processing failed",
            extra={"event_id": event.id, "event_type": event.type, "receive_count": receive_count},
        )
        raise
    logger.info("Event processed", extra=outcome.model_dump())


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    """Process an SQS batch and return the ids of the messages that failed."""
    if event.get("Records") == []:
        # SQS never sends an empty batch, but a hand-made test invocation can: nothing to do.
        return {"batchItemFailures": []}
    # A record left in progress by an invocation that timed out can be retried after it.
    idempotency.register_lambda_context(context)
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
