################################################################################
# event-consumer: (SQS | SNS -> SQS | EventBridge -> SQS) -> Lambda (container image),
# with a redrive DLQ, a DLQ for the function's asynchronous invocations, KMS everywhere,
# X-Ray tracing and a least-privilege function role.
################################################################################

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  name = "${var.name}-${var.environment}"

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id

  tags = merge(var.tags, { Module = "event-consumer" })

  is_sqs         = var.event_source == "sqs"
  is_sns         = var.event_source == "sns"
  is_eventbridge = var.event_source == "eventbridge"

  # AWS: visibility timeout >= 6 x function timeout for a Lambda consumer.
  visibility_timeout_seconds = coalesce(var.visibility_timeout_seconds, 6 * var.function_timeout_seconds)

  # Headroom above the mapping's maximum concurrency for manual and asynchronous invocations,
  # so they never throttle the queue's own invocations.
  reserved_concurrency = coalesce(var.reserved_concurrency, var.max_concurrency + 5)

  # Main queue keeps messages 4 days; the DLQ 14 days. A message moved to a standard DLQ keeps
  # its original enqueue time, so the DLQ's retention must be the longer one.
  queue_retention_seconds = 345600
  dlq_retention_seconds   = 1209600

  event_pattern = coalesce(var.event_pattern, jsonencode({ source = [var.name] }))

  # Powertools level names -> Lambda advanced logging controls level names.
  lambda_log_level = {
    DEBUG    = "DEBUG"
    INFO     = "INFO"
    WARNING  = "WARN"
    ERROR    = "ERROR"
    CRITICAL = "FATAL"
  }[var.log_level]

  function_environment = merge(var.environment_variables, {
    POWERTOOLS_SERVICE_NAME = var.name
    POWERTOOLS_LOG_LEVEL    = var.log_level
    ENVIRONMENT             = var.environment
    IDEMPOTENCY_TABLE       = aws_dynamodb_table.idempotency.name
    IDEMPOTENCY_TTL_SECONDS = tostring(var.idempotency_ttl_seconds)
    DEAD_LETTER_QUEUE_URL   = aws_sqs_queue.dlq.url
  })

}

################################################################################
# Queues: main queue, its redrive DLQ, and the function's own DLQ
################################################################################

resource "aws_sqs_queue" "dlq" {
  name                              = "${local.name}-dlq"
  message_retention_seconds         = local.dlq_retention_seconds
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 300

  tags = local.tags
}

resource "aws_sqs_queue" "this" {
  name                              = local.name
  visibility_timeout_seconds        = local.visibility_timeout_seconds
  message_retention_seconds         = local.queue_retention_seconds
  receive_wait_time_seconds         = 20
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 300

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })

  tags = local.tags
}

# Only the main queue may use the DLQ as its dead-letter queue. A separate resource, since the
# main queue's redrive policy already refers to the DLQ.
resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this.arn]
  })
}

# Failed asynchronous invocations of the function (manual or test invokes); messages from the
# queue are retried through the queue and end in aws_sqs_queue.dlq instead.
resource "aws_sqs_queue" "function_dlq" {
  name                              = "${local.name}-function-dlq"
  message_retention_seconds         = local.dlq_retention_seconds
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 300

  tags = local.tags
}

################################################################################
# Idempotency: one record per event id (aws-lambda-powertools' DynamoDB layout), so a
# redelivered or resent event is processed once
################################################################################

resource "aws_dynamodb_table" "idempotency" {
  name                        = "${local.name}-idempotency"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "id"
    type = "S"
  }

  # Powertools writes the record's expiry (epoch seconds) here; DynamoDB deletes it after.
  ttl {
    attribute_name = "expiration"
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
# Source: SNS topic
################################################################################

resource "aws_sns_topic" "this" {
  count = local.is_sns ? 1 : 0

  name              = local.name
  kms_master_key_id = var.kms_key_arn

  tags = local.tags
}

data "aws_iam_policy_document" "topic" {
  count = local.is_sns ? 1 : 0

  dynamic "statement" {
    for_each = length(var.producer_principal_arns) > 0 ? [1] : []

    content {
      sid       = "ProducersPublish"
      actions   = ["sns:Publish"]
      resources = [aws_sns_topic.this[0].arn]

      principals {
        type        = "AWS"
        identifiers = var.producer_principal_arns
      }
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this[0].arn]

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

resource "aws_sns_topic_policy" "this" {
  count = local.is_sns ? 1 : 0

  arn    = aws_sns_topic.this[0].arn
  policy = data.aws_iam_policy_document.topic[0].json
}

resource "aws_sns_topic_subscription" "this" {
  count = local.is_sns ? 1 : 0

  topic_arn = aws_sns_topic.this[0].arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.this.arn

  # Off: the queue gets the SNS envelope (message id, topic, timestamp, attributes), which the
  # consumer's parse_event unwraps.
  raw_message_delivery = false

  # Messages SNS cannot deliver to the queue (e.g. KMS denied) go to the DLQ, not lost.
  redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn })

  depends_on = [aws_sqs_queue_policy.this, aws_sqs_queue_policy.dlq]
}

################################################################################
# Source: EventBridge rule
################################################################################

resource "aws_cloudwatch_event_rule" "this" {
  count = local.is_eventbridge ? 1 : 0

  name           = local.name
  description    = "Forwards matching events to the ${local.name} queue"
  event_bus_name = var.event_bus_name
  event_pattern  = local.event_pattern
  state          = "ENABLED"

  tags = local.tags
}

resource "aws_cloudwatch_event_target" "this" {
  count = local.is_eventbridge ? 1 : 0

  rule           = aws_cloudwatch_event_rule.this[0].name
  event_bus_name = var.event_bus_name
  target_id      = "sqs"
  arn            = aws_sqs_queue.this.arn

  # Events EventBridge cannot deliver to the queue (after its retries) go to the DLQ, not lost.
  dead_letter_config {
    arn = aws_sqs_queue.dlq.arn
  }

  depends_on = [aws_sqs_queue_policy.this, aws_sqs_queue_policy.dlq]
}

################################################################################
# Queue policies: only the configured source may send; TLS only
################################################################################

data "aws_iam_policy_document" "queue" {
  dynamic "statement" {
    for_each = local.is_sqs && length(var.producer_principal_arns) > 0 ? [1] : []

    content {
      sid       = "ProducersSendMessage"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.this.arn]

      principals {
        type        = "AWS"
        identifiers = var.producer_principal_arns
      }
    }
  }

  dynamic "statement" {
    for_each = local.is_sns ? [1] : []

    content {
      sid       = "TopicSendMessage"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.this.arn]

      principals {
        type        = "Service"
        identifiers = ["sns.amazonaws.com"]
      }

      condition {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = [aws_sns_topic.this[0].arn]
      }
    }
  }

  dynamic "statement" {
    for_each = local.is_eventbridge ? [1] : []

    content {
      sid       = "RuleSendMessage"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.this.arn]

      principals {
        type        = "Service"
        identifiers = ["events.amazonaws.com"]
      }

      condition {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = [aws_cloudwatch_event_rule.this[0].arn]
      }
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [aws_sqs_queue.this.arn]

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

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  policy    = data.aws_iam_policy_document.queue.json
}

# The DLQ also receives what SNS (subscription redrive) or EventBridge (target DLQ) could not
# deliver to the main queue.
data "aws_iam_policy_document" "dlq" {
  dynamic "statement" {
    for_each = local.is_sns ? [1] : []

    content {
      sid       = "TopicDeadLetter"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.dlq.arn]

      principals {
        type        = "Service"
        identifiers = ["sns.amazonaws.com"]
      }

      condition {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = [aws_sns_topic.this[0].arn]
      }
    }
  }

  dynamic "statement" {
    for_each = local.is_eventbridge ? [1] : []

    content {
      sid       = "RuleDeadLetter"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.dlq.arn]

      principals {
        type        = "Service"
        identifiers = ["events.amazonaws.com"]
      }

      condition {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = [aws_cloudwatch_event_rule.this[0].arn]
      }
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

data "aws_iam_policy_document" "function_dlq" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [aws_sqs_queue.function_dlq.arn]

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

resource "aws_sqs_queue_policy" "function_dlq" {
  queue_url = aws_sqs_queue.function_dlq.id
  policy    = data.aws_iam_policy_document.function_dlq.json
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

# Lets the Lambda service pull the image for functions of this account (the statement Lambda
# would otherwise add to the repository itself, outside Terraform).
data "aws_iam_policy_document" "ecr" {
  statement {
    sid     = "LambdaECRImageRetrievalPolicy"
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "aws:sourceArn"
      values   = ["arn:${local.partition}:lambda:${local.region}:${local.account_id}:function:*"]
    }
  }
}

resource "aws_ecr_repository_policy" "this" {
  repository = module.ecr.repository_name
  policy     = data.aws_iam_policy_document.ecr.json
}

################################################################################
# Logs
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${local.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = local.tags
}

################################################################################
# Security group: no ingress; egress HTTPS only (AWS APIs and HTTPS dependencies
# through NAT or VPC endpoints)
################################################################################

resource "aws_security_group" "this" {
  name        = "${local.name}-lambda"
  description = "${local.name} consumer function: no ingress, HTTPS egress only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${local.name}-lambda" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = "HTTPS to AWS APIs and HTTPS dependencies"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"

  tags = local.tags
}

################################################################################
# IAM: function role
################################################################################

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    sid     = "LambdaAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = "${local.name}-consumer"
  description          = "Execution role of the ${local.name} consumer function"
  assume_role_policy   = data.aws_iam_policy_document.lambda_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

data "aws_iam_policy_document" "lambda" {
  statement {
    sid = "ConsumeQueue"
    actions = [
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
    ]
    resources = [aws_sqs_queue.this.arn]
  }

  # The function's own DLQ (failed asynchronous invocations), and the queue's DLQ: a message
  # that can never be valid is moved there at once instead of being retried.
  statement {
    sid       = "FunctionDeadLetter"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.function_dlq.arn, aws_sqs_queue.dlq.arn]
  }

  statement {
    sid       = "IdempotencyRecords"
    actions   = ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.idempotency.arn]
  }

  # Decrypt: read the KMS-encrypted queue's messages and idempotency records.
  # GenerateDataKey: write to the KMS-encrypted DLQs and idempotency table.
  statement {
    sid       = "Key"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:log-stream:*"]
  }

  statement {
    sid = "XRay"
    # xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions:
    # AWS requires "*".
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "consumer"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.lambda.json
}

# ENI management for a function in a VPC (ec2:CreateNetworkInterface and friends, which only
# accept "*"): the AWS managed policy is the documented way to grant it.
resource "aws_iam_role_policy_attachment" "vpc_access" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role_policy" "extra" {
  for_each = { for i, p in var.function_role_policy_json : tostring(i) => p }

  name   = "extra-${each.key}"
  role   = aws_iam_role.this.id
  policy = each.value
}

################################################################################
# Function
################################################################################

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_272:Code signing applies to .zip packages only; Lambda rejects a code signing config on a container image function. Image integrity comes from the immutable, scanned, KMS-encrypted ECR tag the function pins.
  function_name = local.name
  description   = "${local.name} event consumer (${var.event_source})"
  role          = aws_iam_role.this.arn

  package_type  = "Image"
  image_uri     = "${module.ecr.repository_url}:${var.image_tag}"
  architectures = [var.architecture]

  timeout                        = var.function_timeout_seconds
  memory_size                    = var.memory_size
  reserved_concurrent_executions = local.reserved_concurrency

  kms_key_arn = var.kms_key_arn

  environment {
    variables = local.function_environment
  }

  tracing_config {
    mode = "Active"
  }

  vpc_config {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [aws_security_group.this.id]
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.function_dlq.arn
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = local.lambda_log_level
    system_log_level      = "WARN"
  }

  tags = local.tags

  # Lambda checks the role's permissions (DLQ, VPC, logs) when the function is created.
  depends_on = [
    aws_iam_role_policy.this,
    aws_iam_role_policy_attachment.vpc_access,
    aws_ecr_repository_policy.this,
  ]
}

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn = aws_sqs_queue.this.arn
  function_name    = aws_lambda_function.this.arn
  enabled          = true

  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.maximum_batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.max_concurrency
  }

  tags = local.tags

  depends_on = [aws_iam_role_policy.this]
}
