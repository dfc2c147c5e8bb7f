"""payment-events: an AWS Lambda consumer of SQS messages."""
