"""The Lambda entry point: an SQS batch in, a partial batch response out.

Each SQS message is handled on its own by `record_handler`: its body is validated into an
`Event` (see `models.py`) and passed to `process` (see `processing.py`, the extension point).
A message that fails, whether invalid or because `process` raised, is reported in
`batchItemFailures`; the event source mapping uses ReportBatchItemFailures, so SQS deletes
the messages that succeeded and redelivers only the failed ones once their visibility
timeout ends. After 5 receives SQS moves a message to the dead-letter queue.
If every message in the batch fails, the handler raises instead, so the invocation counts as
an error and the event source mapping backs off.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from payment_events.config import Settings
from payment_events.models import parse_event
from payment_events.processing import process

settings = Settings.from_env()
logger = Logger(
    service=settings.service_name, level=settings.log_level, environment=settings.environment
)
tracer = Tracer(service=settings.service_name)
processor = BatchProcessor(event_type=EventType.SQS)


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    """Validate one message and process it; raise to fail this message alone.

    Logs carry the SQS message id as correlation id. Invalid messages raise
    `ValidationError`: they are retried like any failure and end in the dead-letter queue,
    where they can be inspected and redriven once the producer or the model is fixed.
    """
    logger.set_correlation_id(record.message_id)
    receive_count = int(record.attributes.approximate_receive_count)
    try:
        event = parse_event(record.body)
    except ValidationError as error:
        logger.error(
            "Message is not a valid event",
            extra={
                "receive_count": receive_count,
                "errors": error.errors(include_url=False, include_input=False),
            },
        )
        raise
    tracer.put_annotation(key="event_type", value=event.type)
    try:
        outcome = process(event)
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
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
