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
  mock_resource "aws_ecr_repository" {
    defaults = { arn = "arn:aws:ecr:eu-west-1:123456789012:repository/x", repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/nightly-report-dev" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/x" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/x" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-1:123456789012:q", url = "https://sqs.eu-west-1.amazonaws.com/123456789012/q" }
  }
  mock_resource "aws_ecs_cluster" {
    defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/nightly-report-dev" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/nightly-report-dev:1", arn_without_revision = "arn:aws:ecs:eu-west-1:123456789012:task-definition/nightly-report-dev" }
  }
}

variables {
  name                  = "nightly-report"
  environment           = "dev"
  vpc_id                = "vpc-0123456789abcdef0"
  private_subnet_ids    = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  schedule_expression   = "cron(0 2 * * ? *)"
  schedule_timezone     = "Europe/Paris"
  kms_key_arn           = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  image_tag             = "3f9c2e1"
  timeout_minutes       = 45
  environment_variables = { JOB_LOG_LEVEL = "DEBUG" }
}

run "job" {
  command = apply

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].readonlyRootFilesystem == true
    error_message = "the root filesystem must be read-only"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].user == "10001:10001"
    error_message = "the container must run as 10001:10001"
  }
  assert {
    condition = {
      for e in jsondecode(aws_ecs_task_definition.this.container_definitions)[0].environment : e.name => e.value
      } == {
      JOB_IDEMPOTENCY_TABLE = "nightly-report-dev-idempotency"
      JOB_TIMEOUT_SECONDS   = "2700"
      JOB_REGION            = "eu-west-1"
      JOB_SCHEDULE_TIMEZONE = "Europe/Paris"
      JOB_LOG_LEVEL         = "DEBUG"
    }
    error_message = "the container environment should hold the JOB_* settings and the extras"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].mountPoints[0].containerPath == "/tmp"
    error_message = "/tmp should be the writable task volume"
  }
  assert {
    condition     = jsondecode(aws_scheduler_schedule.this.target[0].input).containerOverrides[0].environment[0].value == "<aws.scheduler.scheduled-time>"
    error_message = "the schedule input should pass <aws.scheduler.scheduled-time> as JOB_SCHEDULED_TIME"
  }
  assert {
    condition     = jsondecode(aws_scheduler_schedule.this.target[0].input).containerOverrides[0].name == "nightly-report"
    error_message = "the container override should name the job container"
  }
  assert {
    condition     = aws_scheduler_schedule.this.target[0].retry_policy[0].maximum_retry_attempts == 3 && aws_scheduler_schedule.this.target[0].retry_policy[0].maximum_event_age_in_seconds == 3600
    error_message = "the retry policy should use retries and maximum_event_age_seconds"
  }
  assert {
    condition     = aws_scheduler_schedule.this.target[0].ecs_parameters[0].network_configuration[0].assign_public_ip == false
    error_message = "the task must not get a public IP"
  }
  assert {
    condition     = aws_dynamodb_table.idempotency.ttl[0].attribute_name == "expires_at" && aws_dynamodb_table.idempotency.deletion_protection_enabled == true
    error_message = "the idempotency table should have TTL on expires_at and deletion protection"
  }
}

run "invalid_fargate_pair" {
  command = plan

  variables {
    cpu    = 256
    memory = 4096
  }

  expect_failures = [var.memory]
}

run "invalid_schedule_expression" {
  command = plan

  variables {
    schedule_expression = "0 2 * * *"
  }

  expect_failures = [var.schedule_expression]
}

run "retries_out_of_range" {
  command = plan

  variables {
    retries = 186
  }

  expect_failures = [var.retries]
}
