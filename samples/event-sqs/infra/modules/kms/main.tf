data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id

  # Every resource the other modules create is named "<name>-<environment>..." (the
  # library's naming convention). The service statements below match that prefix, so
  # AWS services can use this key only for this service's own log groups, topics,
  # queues and schedules in this account and region.
  prefix = "${var.name}-${var.environment}"

  log_group_arns = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*${local.prefix}*"
  topic_arns     = "arn:${local.partition}:sns:${local.region}:${local.account_id}:${local.prefix}*"
  queue_arns     = "arn:${local.partition}:sqs:${local.region}:${local.account_id}:${local.prefix}*"
  schedule_arns  = "arn:${local.partition}:scheduler:${local.region}:${local.account_id}:schedule/*/${local.prefix}*"
  backup_role    = "arn:${local.partition}:iam::${local.account_id}:role/${local.prefix}-backup"

  # Actions a service needs to put data into (GenerateDataKey*) and read it back from
  # (Decrypt) an encrypted topic or queue.
  envelope_actions = ["kms:Decrypt", "kms:GenerateDataKey*"]

  tags = merge(var.tags, { Module = "kms" })

  # The key policy is written with jsonencode rather than an aws_iam_policy_document
  # data source: a key policy's "Resource" is always "*" (it means "this key"), which
  # the data-source IAM checks (CKV_AWS_109/111/356) misread as "every resource"
  # (checkov#2336). The policy itself is the same either way.
  # Producers in other accounts (the event-consumer's producer_principal_arns): SQS and SNS
  # encrypt what they send with this key on their behalf, so the key policy must let them
  # (their own IAM policy must allow it too). Only through SQS or SNS, and only for this
  # service's queues and topics.
  producer_statements = length(var.producer_principal_arns) == 0 ? [] : [
    {
      Sid       = "ProducersSendToServiceQueues"
      Effect    = "Allow"
      Principal = { AWS = var.producer_principal_arns }
      Action    = local.envelope_actions
      Resource  = "*"
      Condition = {
        StringEquals = { "kms:ViaService" = "sqs.${local.region}.amazonaws.com" }
        ArnLike      = { "kms:EncryptionContext:aws:sqs:arn" = local.queue_arns }
      }
    },
    {
      Sid       = "ProducersPublishToServiceTopics"
      Effect    = "Allow"
      Principal = { AWS = var.producer_principal_arns }
      Action    = local.envelope_actions
      Resource  = "*"
      Condition = {
        StringEquals = { "kms:ViaService" = "sns.${local.region}.amazonaws.com" }
        ArnLike      = { "kms:EncryptionContext:aws:sns:topicArn" = local.topic_arns }
      }
    },
  ]

  key_policy = {
    Version = "2012-10-17"
    Statement = concat([
      {
        # AWS's default statement: the account's IAM policies decide who may use and
        # administer the key. Without it the key can become unmanageable.
        Sid       = "EnableIamPolicies"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncryptServiceLogGroups"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
        Condition = {
          ArnLike = { "kms:EncryptionContext:aws:logs:arn" = local.log_group_arns }
        }
      },
      {
        # CloudWatch alarms publishing to the service's encrypted SNS topic.
        Sid       = "CloudWatchAlarmsPublishToEncryptedTopics"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = local.envelope_actions
        Resource  = "*"
        Condition = {
          ArnLike = { "kms:EncryptionContext:aws:sns:topicArn" = local.topic_arns }
        }
      },
      {
        # AWS Budgets notifications sent to the service's encrypted SNS topic.
        Sid       = "BudgetsPublishToEncryptedTopics"
        Effect    = "Allow"
        Principal = { Service = "budgets.amazonaws.com" }
        Action    = local.envelope_actions
        Resource  = "*"
        Condition = {
          ArnLike = { "kms:EncryptionContext:aws:sns:topicArn" = local.topic_arns }
        }
      },
      {
        # SNS delivering to the service's encrypted SQS queues (SNS -> SQS fan-out).
        Sid       = "SnsDeliverToEncryptedQueues"
        Effect    = "Allow"
        Principal = { Service = "sns.amazonaws.com" }
        Action    = local.envelope_actions
        Resource  = "*"
        Condition = {
          ArnLike = { "kms:EncryptionContext:aws:sqs:arn" = local.queue_arns }
        }
      },
      {
        # EventBridge rules sending to the service's encrypted SQS queues.
        Sid       = "EventBridgeSendToEncryptedQueues"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = local.envelope_actions
        Resource  = "*"
        Condition = {
          ArnLike = { "kms:EncryptionContext:aws:sqs:arn" = local.queue_arns }
        }
      },
      {
        # EventBridge Scheduler schedules encrypted with this key (schedule kms_key_arn).
        # The schedule's execution role also needs kms:Decrypt on the key (IAM side).
        Sid       = "SchedulerUseForServiceSchedules"
        Effect    = "Allow"
        Principal = { Service = "scheduler.amazonaws.com" }
        Action    = local.envelope_actions
        Resource  = "*"
        Condition = {
          ArnLike = { "kms:EncryptionContext:aws:scheduler:schedule-arn" = local.schedule_arns }
        }
      },
      {
        # AWS Backup encrypting recovery points in the vault. Granted to the backup
        # module's role (<name>-<environment>-backup, which may not exist yet: a key
        # policy cannot name a missing role, hence "*" plus aws:PrincipalArn), and only
        # through AWS Backup in this account.
        Sid       = "AwsBackupUseViaService"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
        Condition = {
          StringEquals = {
            "kms:CallerAccount" = local.account_id
            "kms:ViaService"    = "backup.${local.region}.amazonaws.com"
          }
          ArnEquals = { "aws:PrincipalArn" = local.backup_role }
        }
      },
      {
        Sid       = "AwsBackupCreateGrantsForAwsResources"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "kms:CreateGrant"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "kms:CallerAccount" = local.account_id
            "kms:ViaService"    = "backup.${local.region}.amazonaws.com"
          }
          ArnEquals = { "aws:PrincipalArn" = local.backup_role }
          Bool      = { "kms:GrantIsForAWSResource" = "true" }
        }
      },
    ], local.producer_statements)
  }
}

resource "aws_kms_key" "this" {
  description              = "${local.prefix}: customer-managed key for logs, topics, queues, schedules and backups"
  key_usage                = "ENCRYPT_DECRYPT"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  enable_key_rotation      = true
  rotation_period_in_days  = 365
  deletion_window_in_days  = var.deletion_window_in_days
  is_enabled               = true
  multi_region             = false
  policy                   = jsonencode(local.key_policy)

  tags = merge(local.tags, { Name = local.prefix })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.prefix}"
  target_key_id = aws_kms_key.this.key_id
}
