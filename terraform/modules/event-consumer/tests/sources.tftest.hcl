# Offline tests with a mocked AWS provider (no credentials, no AWS calls):
#   terraform init -backend=false && terraform test
# They check the wiring (names, defaults computed in locals, JSON rendered for AWS) and that the
# variable validations refuse bad input. Mocked data sources return fixed values, so IAM policy
# contents are reviewed in main.tf, not here.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-1:123456789012:q", url = "https://sqs.eu-west-1.amazonaws.com/123456789012/q" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/x" }
  }
  mock_resource "aws_ecr_repository" {
    defaults = { arn = "arn:aws:ecr:eu-west-1:123456789012:repository/x", repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/x" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/x" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:t" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:rule/r" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:x" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/order-events-dev-idempotency" }
  }
}

variables {
  name               = "order-events"
  environment        = "dev"
  vpc_id             = "vpc-0123456789abcdef0"
  private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  image_tag          = "3f9c2e1"
}

run "sqs_defaults" {
  command = apply

  variables {
    event_source            = "sqs"
    producer_principal_arns = ["arn:aws:iam::210987654321:role/producer"]
  }

  assert {
    condition     = aws_sqs_queue.this.visibility_timeout_seconds == 180
    error_message = "the visibility timeout should default to 6 x function_timeout_seconds (180)"
  }
  assert {
    condition     = jsondecode(aws_sqs_queue.this.redrive_policy).maxReceiveCount == 5
    error_message = "the redrive policy should carry max_receive_count"
  }
  assert {
    condition     = aws_lambda_function.this.reserved_concurrent_executions == 15
    error_message = "reserved concurrency should default to max_concurrency + 5"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["POWERTOOLS_SERVICE_NAME"] == "order-events" && aws_lambda_function.this.environment[0].variables["ENVIRONMENT"] == "dev"
    error_message = "the function environment should carry POWERTOOLS_SERVICE_NAME and ENVIRONMENT"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["IDEMPOTENCY_TABLE"] == "order-events-dev-idempotency" && aws_lambda_function.this.environment[0].variables["DEAD_LETTER_QUEUE_URL"] == aws_sqs_queue.dlq.url
    error_message = "the function must know its idempotency table and the dead-letter queue invalid messages go to"
  }
  assert {
    condition     = aws_dynamodb_table.idempotency.hash_key == "id" && aws_dynamodb_table.idempotency.ttl[0].attribute_name == "expiration" && aws_dynamodb_table.idempotency.point_in_time_recovery[0].enabled
    error_message = "the idempotency table has aws-lambda-powertools' layout (id, expiration) and point-in-time recovery"
  }
  assert {
    condition     = aws_lambda_function.this.logging_config[0].application_log_level == "INFO"
    error_message = "INFO should map to the Lambda application log level INFO"
  }
  assert {
    condition     = aws_lambda_function.this.image_uri == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:3f9c2e1"
    error_message = "image_uri should be <repository url>:<image_tag>"
  }
  assert {
    condition     = length(aws_sns_topic.this) == 0 && length(aws_cloudwatch_event_rule.this) == 0
    error_message = "source sqs must create neither a topic nor a rule"
  }
  assert {
    condition     = output.topic_arn == null && output.rule_arn == null && output.rule_name == null
    error_message = "topic and rule outputs should be null for source sqs"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.this.scaling_config[0].maximum_concurrency == 10 && aws_lambda_event_source_mapping.this.function_response_types == toset(["ReportBatchItemFailures"])
    error_message = "the mapping should use max_concurrency and ReportBatchItemFailures"
  }
  assert {
    condition     = jsondecode(aws_sqs_queue_redrive_allow_policy.dlq.redrive_allow_policy).redrivePermission == "byQueue"
    error_message = "the DLQ should only accept redrive from the main queue"
  }
}

run "sns" {
  command = apply

  variables {
    event_source                    = "sns"
    batch_size                      = 50
    maximum_batching_window_seconds = 5
    visibility_timeout_seconds      = 400
    function_timeout_seconds        = 60
    log_level                       = "WARNING"
  }

  assert {
    condition     = length(aws_sns_topic.this) == 1 && aws_sns_topic_subscription.this[0].raw_message_delivery == false
    error_message = "source sns should create a topic and a non-raw subscription"
  }
  assert {
    condition     = aws_sqs_queue.this.visibility_timeout_seconds == 400
    error_message = "an explicit visibility_timeout_seconds should be used as is"
  }
  assert {
    condition     = output.topic_arn == "arn:aws:sns:eu-west-1:123456789012:t"
    error_message = "topic_arn should be the topic ARN for source sns"
  }
  assert {
    condition     = aws_lambda_function.this.logging_config[0].application_log_level == "WARN"
    error_message = "WARNING should map to the Lambda application log level WARN"
  }
}

run "eventbridge" {
  command = apply

  variables {
    event_source = "eventbridge"
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this[0].event_pattern).source[0] == "order-events"
    error_message = "the default event pattern should match source = [name]"
  }
  assert {
    condition     = aws_cloudwatch_event_rule.this[0].event_bus_name == "default"
    error_message = "the rule should be on the default bus"
  }
  assert {
    condition     = length(aws_sns_topic.this) == 0
    error_message = "source eventbridge must not create a topic"
  }
}

run "bad_visibility" {
  command = plan
  variables {
    visibility_timeout_seconds = 100
  }
  expect_failures = [var.visibility_timeout_seconds]
}

run "batch_over_10_needs_window" {
  command = plan

  variables {
    batch_size = 100
  }

  expect_failures = [var.maximum_batching_window_seconds]
}

run "reserved_below_max_concurrency" {
  command = plan

  variables {
    max_concurrency      = 10
    reserved_concurrency = 5
  }

  expect_failures = [var.reserved_concurrency]
}

run "unknown_source" {
  command = plan

  variables {
    event_source = "kinesis"
  }

  expect_failures = [var.event_source]
}
