"""order-notifications: an AWS Lambda consumer of SNS notifications via SQS."""
