################################################################################
# batch-job: EventBridge Scheduler -> ECS RunTask on Fargate, with the job's
# DynamoDB idempotency table, a KMS-encrypted DLQ for failed invocations, and
# least-privilege task, execution and scheduler roles.
################################################################################

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  name           = "${var.name}-${var.environment}"
  container_name = var.name

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id

  tags = merge(var.tags, { Module = "batch-job" })

  # The names the job reads (see the batch template's settings.py); fixed ones win over extras,
  # and the variable's validation refuses extras that would collide.
  job_environment = merge(var.environment_variables, {
    JOB_IDEMPOTENCY_TABLE = aws_dynamodb_table.idempotency.name
    JOB_TIMEOUT_SECONDS   = tostring(var.timeout_minutes * 60)
    JOB_REGION            = local.region
    JOB_SCHEDULE_TIMEZONE = var.schedule_timezone
  })

  # Per run, Scheduler replaces <aws.scheduler.scheduled-time> with the run's scheduled time
  # (ISO 8601, UTC). The job derives its idempotency key from it, so every retry of one
  # scheduled run maps to the same DynamoDB record.
  schedule_input = jsonencode({
    containerOverrides = [{
      name = local.container_name
      environment = [{
        name  = "JOB_SCHEDULED_TIME"
        value = "<aws.scheduler.scheduled-time>"
      }]
    }]
  })
}

################################################################################
# ECR repository
################################################################################

module "ecr" {
  source = "../ecr"

  name        = local.name
  kms_key_arn = var.kms_key_arn
  tags        = local.tags
}

################################################################################
# Idempotency table (one record per scheduled run; see the template's idempotency.py)
################################################################################

resource "aws_dynamodb_table" "idempotency" {
  name                        = "${local.name}-idempotency"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "idempotency_key"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "idempotency_key"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = local.tags
}

################################################################################
# Logs
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${local.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = local.tags
}

################################################################################
# ECS cluster and task definition
################################################################################

resource "aws_ecs_cluster" "this" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = local.tags
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.cpu)
  memory                   = tostring(var.memory)
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.architecture
  }

  # Writable scratch space for the read-only root filesystem (see the mount below).
  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name      = local.container_name
      image     = "${module.ecr.repository_url}:${var.image_tag}"
      essential = true

      # Same non-root user as the image (the Dockerfile's USER 10001:10001), stated here too so
      # a changed image cannot silently run as root.
      user                   = "10001:10001"
      readonlyRootFilesystem = true
      privileged             = false

      # Seconds between SIGTERM and SIGKILL when the task is stopped: the job records the run
      # as FAILED in that window (exit code 143).
      stopTimeout = 30

      # Sorted by name, so the rendered JSON (and the plan) is stable.
      environment = [
        for k in sort(keys(local.job_environment)) : { name = k, value = local.job_environment[k] }
      ]

      # The root filesystem is read-only; /tmp is the task volume "tmp" on the task's ephemeral
      # storage (the ECS documentation lists tmpfs as unsupported on Fargate). The image
      # declares VOLUME /tmp with mode 1777, so the non-root user can write there.
      mountPoints = [
        {
          sourceVolume  = "tmp"
          containerPath = "/tmp"
          readOnly      = false
        }
      ]
      volumesFrom  = []
      portMappings = []

      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this.name
          awslogs-region        = local.region
          awslogs-stream-prefix = "job"
          # Blocking: a run's log lines are its audit trail, so the job waits rather than drops
          # lines when CloudWatch Logs pushes back (non-blocking would lose them silently).
          mode = "blocking"
        }
      }
    }
  ])

  tags = local.tags
}

################################################################################
# Security group: no ingress; egress HTTPS only (ECR, CloudWatch Logs, DynamoDB and
# whatever AWS or HTTPS APIs the job calls, through NAT or VPC endpoints)
################################################################################

resource "aws_security_group" "task" {
  #checkov:skip=CKV2_AWS_5:Attached at run time: the aws_scheduler_schedule target passes it in ecs_parameters.network_configuration to every RunTask, a connection checkov's resource list does not model.
  name        = "${local.name}-task"
  description = "${local.name} batch job task: no ingress, HTTPS egress only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${local.name}-task" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "task_https" {
  security_group_id = aws_security_group.task.id
  description       = "HTTPS to AWS APIs (ECR, CloudWatch Logs, DynamoDB) and HTTPS dependencies"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"

  tags = local.tags
}

################################################################################
# IAM: task execution role (ECS agent: pull the image, write logs)
################################################################################

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    sid     = "EcsTasksAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    # Confused-deputy protection: only ECS tasks of this account may assume the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:*"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name                 = "${local.name}-execution"
  description          = "ECS task execution role of ${local.name}: pulls the image and writes the logs"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid = "EcrAuthToken"
    # ecr:GetAuthorizationToken does not support resource-level permissions: AWS requires "*".
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "EcrPull"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [module.ecr.repository_arn]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:log-stream:*"]
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

################################################################################
# IAM: task role (the job itself)
################################################################################

resource "aws_iam_role" "task" {
  name                 = "${local.name}-task"
  description          = "Task role of the ${local.name} job: its idempotency table, plus any extra policies"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

data "aws_iam_policy_document" "task" {
  statement {
    sid = "IdempotencyTable"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ]
    resources = [aws_dynamodb_table.idempotency.arn]
  }

  statement {
    sid       = "IdempotencyTableKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]

    # The key may only be used through DynamoDB in this region.
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "idempotency-table"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

resource "aws_iam_role_policy" "task_extra" {
  for_each = { for i, p in var.task_role_policy_json : tostring(i) => p }

  name   = "extra-${each.key}"
  role   = aws_iam_role.task.id
  policy = each.value
}

################################################################################
# Dead-letter queue for invocations Scheduler could not deliver
################################################################################

resource "aws_sqs_queue" "dlq" {
  name                              = "${local.name}-schedule-dlq"
  message_retention_seconds         = 1209600 # 14 days, the SQS maximum
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 300

  tags = local.tags
}

data "aws_iam_policy_document" "dlq" {
  statement {
    sid       = "SchedulerSendMessage"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq.arn]

    # Scheduler writes dead letters with the schedule's execution role.
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.scheduler.arn]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [aws_sqs_queue.dlq.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  policy    = data.aws_iam_policy_document.dlq.json
}

################################################################################
# IAM: scheduler execution role
################################################################################

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    sid     = "SchedulerAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    # Only schedules in this job's schedule group.
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:scheduler:${local.region}:${local.account_id}:schedule-group/${local.name}"]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  name                 = "${local.name}-scheduler"
  description          = "EventBridge Scheduler execution role of ${local.name}: runs the job's task"
  assume_role_policy   = data.aws_iam_policy_document.scheduler_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "RunTask"
    actions   = ["ecs:RunTask"]
    resources = ["${aws_ecs_task_definition.this.arn_without_revision}:*"]

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [aws_ecs_cluster.this.arn]
    }
  }

  # RunTask with tags (managed tags, propagated task-definition tags) needs tag-on-create
  # permission on the task it starts.
  statement {
    sid       = "TagTask"
    actions   = ["ecs:TagResource"]
    resources = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:task/${aws_ecs_cluster.this.name}/*"]

    condition {
      test     = "StringEquals"
      variable = "ecs:CreateAction"
      values   = ["RunTask"]
    }
  }

  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.task.arn, aws_iam_role.execution.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  statement {
    sid       = "DeadLetter"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq.arn]
  }

  # Decrypt: the schedule's target input is encrypted with the key. GenerateDataKey: writing to
  # the KMS-encrypted DLQ.
  statement {
    sid       = "Key"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "run-task"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

################################################################################
# Schedule
################################################################################

resource "aws_scheduler_schedule_group" "this" {
  name = local.name

  tags = local.tags
}

resource "aws_scheduler_schedule" "this" {
  name        = local.name
  group_name  = aws_scheduler_schedule_group.this.name
  description = "Runs the ${local.name} batch job"
  state       = "ENABLED"

  schedule_expression          = var.schedule_expression
  schedule_expression_timezone = var.schedule_timezone
  kms_key_arn                  = var.kms_key_arn

  # Fire at the scheduled time: the scheduled time is the run's identity (idempotency key).
  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_ecs_cluster.this.arn
    role_arn = aws_iam_role.scheduler.arn
    input    = local.schedule_input

    ecs_parameters {
      task_definition_arn     = aws_ecs_task_definition.this.arn
      task_count              = 1
      launch_type             = "FARGATE"
      platform_version        = "LATEST"
      enable_ecs_managed_tags = true
      enable_execute_command  = false
      propagate_tags          = "TASK_DEFINITION"

      network_configuration {
        subnets          = var.private_subnet_ids
        security_groups  = [aws_security_group.task.id]
        assign_public_ip = false
      }
    }

    retry_policy {
      maximum_retry_attempts       = var.retries
      maximum_event_age_in_seconds = var.maximum_event_age_seconds
    }

    dead_letter_config {
      arn = aws_sqs_queue.dlq.arn
    }
  }

  # The role's permissions must exist before the first invocation.
  depends_on = [aws_iam_role_policy.scheduler, aws_sqs_queue_policy.dlq]
}
