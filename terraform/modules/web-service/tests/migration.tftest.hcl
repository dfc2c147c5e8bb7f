# Offline tests with a mocked AWS provider (no credentials, no AWS calls):
#   terraform init -backend=false && terraform test
# The one-off migration task (its container, its secrets and who may read them) and the
# break-glass ECS Exec switch.

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
    defaults = { arn = "arn:aws:ecr:eu-west-1:123456789012:repository/orders-api-dev", repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api-dev" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/orders-api-dev-role" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/orders-api-dev" }
  }
  mock_resource "aws_lb" {
    defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/orders-api-dev/abc", arn_suffix = "app/orders-api-dev/abc" }
  }
  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-api-dev/abc", arn_suffix = "targetgroup/orders-api-dev/abc" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::orders-api-dev-alb-logs" }
  }
  mock_resource "aws_wafv2_web_acl" {
    defaults = { arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/orders-api-dev/abc" }
  }
  mock_resource "aws_ecs_cluster" {
    defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/orders-api-dev" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/orders-api-dev:1" }
  }
}

variables {
  name               = "orders-api"
  environment        = "dev"
  vpc_id             = "vpc-0123456789abcdef0"
  vpc_cidr_block     = "10.0.0.0/16"
  public_subnet_ids  = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  private_subnet_ids = ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"]
  certificate_arn    = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"
  kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  image_tag          = "3f9c2e1"

  environment_variables = { APP_DB_HOST = "db.internal" }
}

run "no_migration_no_exec_by_default" {
  command = apply

  assert {
    condition     = length(aws_ecs_task_definition.migration) == 0 && output.migration == null
    error_message = "without a migration there is no migration task"
  }
  assert {
    condition     = aws_ecs_service.this.enable_execute_command == false && length(aws_iam_role_policy.exec) == 0
    error_message = "ECS Exec is off unless asked for"
  }
  assert {
    condition     = [for v in aws_ecs_task_definition.this.volume : v.name] == ["tmp"]
    error_message = "only /tmp is writable without ECS Exec"
  }
}

run "migration_task" {
  command = apply

  variables {
    migration = {
      command = ["python", "-m", "orders_api.migrate"]
      secrets = {
        APP_DB_MASTER_USER     = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf:username::"
        APP_DB_MASTER_PASSWORD = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf:password::"
      }
    }
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.migration[0].container_definitions)[0].command == ["python", "-m", "orders_api.migrate"]
    error_message = "the migration task runs the migration command"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.migration[0].container_definitions)[0].image == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api-dev:3f9c2e1"
    error_message = "the migration runs the image being deployed"
  }
  assert {
    condition = {
      for s in jsondecode(aws_ecs_task_definition.migration[0].container_definitions)[0].secrets : s.name => s.valueFrom
      } == {
      APP_DB_MASTER_USER     = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf:username::"
      APP_DB_MASTER_PASSWORD = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf:password::"
    }
    error_message = "the master user's secret reaches the migration container only"
  }
  assert {
    condition     = length(jsondecode(aws_ecs_task_definition.this.container_definitions)[0].secrets) == 0
    error_message = "the service's own container never gets the master user's secret"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.migration[0].container_definitions)[0].readonlyRootFilesystem == true && jsondecode(aws_ecs_task_definition.migration[0].container_definitions)[0].user == "10001:10001"
    error_message = "the migration runs like the service: read-only root filesystem, non-root"
  }
  assert {
    condition     = local.migration_secret_arns == tolist(["arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf"])
    error_message = "the migration's execution role may read exactly the secret (the ARN without its JSON key)"
  }
  assert {
    condition     = aws_ecs_task_definition.migration[0].task_role_arn == null && aws_ecs_task_definition.migration[0].family == "orders-api-dev-migrate"
    error_message = "the migration task has no task role: it calls no AWS API"
  }
  assert {
    condition     = output.migration.task_definition == "orders-api-dev-migrate" && output.migration.subnets == tolist(["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"])
    error_message = "the output tells the deploy how to run the task"
  }
}

run "break_glass_exec" {
  command = apply

  variables {
    enable_execute_command = true
  }

  assert {
    condition     = aws_ecs_service.this.enable_execute_command == true && length(aws_iam_role_policy.exec) == 1
    error_message = "ECS Exec on: the service allows it and the task role may open the session"
  }
  assert {
    condition     = toset([for m in jsondecode(aws_ecs_task_definition.this.container_definitions)[0].mountPoints : m.containerPath]) == toset(["/tmp", "/var/lib/amazon/ssm", "/var/log/amazon/ssm", "/managed-agents"])
    error_message = "the SSM agent's folders are writable volumes under the read-only root filesystem"
  }
  assert {
    condition     = one(aws_ecs_cluster.this.configuration[0].execute_command_configuration).logging == "OVERRIDE"
    error_message = "sessions are transcribed to the exec log group"
  }
}

run "migration_secrets_must_be_secrets_manager_arns" {
  command = plan

  variables {
    migration = {
      command = ["python", "-m", "orders_api.migrate"]
      secrets = { APP_DB_MASTER_PASSWORD = "hunter2" }
    }
  }

  expect_failures = [var.migration]
}
