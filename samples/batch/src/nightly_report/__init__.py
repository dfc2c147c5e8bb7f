"""nightly-report: a scheduled job run as an ECS Fargate task.

EventBridge Scheduler starts the task, which runs the job once and exits. `cli.main` is the
entrypoint and documents the exit codes; `job.run` is the work itself.
"""

from typing import Final

#: The service name: the logs' `service` field and the prefix of every idempotency key.
SERVICE_NAME: Final = "nightly-report"
