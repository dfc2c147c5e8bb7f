"""Run the handler locally on an SQS event file, as Lambda would run it.

    python -m order_notifications.invoke events/sample.json

Prints the handler's response, the partial batch response, and exits 1 if a message failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from aws_lambda_powertools.utilities.typing import LambdaContext

from order_notifications.handler import handler

_NAME = "order-notifications"
_REGION = "eu-west-1"


class LocalContext(LambdaContext):
    """The Lambda context of a local run, with the fields the handler's logger reads."""

    def __init__(self) -> None:
        self._function_name = _NAME
        self._function_version = "$LATEST"
        self._invoked_function_arn = f"arn:aws:lambda:{_REGION}:123456789012:function:{_NAME}"
        self._memory_limit_in_mb = 256
        self._aws_request_id = "local-invocation"
        self._log_group_name = f"/aws/lambda/{_NAME}"
        self._log_stream_name = "local"


def main(argv: Sequence[str] | None = None) -> int:
    """Invoke the handler with the SQS event in the given file; return the exit code."""
    parser = argparse.ArgumentParser(description="Run the handler on an SQS event file.")
    parser.add_argument("event_file", type=Path, help="an SQS event, e.g. events/sample.json")
    args = parser.parse_args(argv)
    event = json.loads(args.event_file.read_text(encoding="utf-8"))
    response = handler(event, LocalContext())
    print(json.dumps(response, indent=2))
    return 1 if response["batchItemFailures"] else 0


if __name__ == "__main__":
    sys.exit(main())
