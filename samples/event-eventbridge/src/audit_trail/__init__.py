"""audit-trail: an AWS Lambda consumer of EventBridge events via SQS."""
