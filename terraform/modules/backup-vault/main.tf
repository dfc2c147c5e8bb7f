################################################################################
# backup-vault: the destination of the backup module's copies, in another region
# (instantiate it with a provider for that region): its own KMS key, and a vault
# that can be locked.
################################################################################

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  prefix     = "${var.name}-${var.environment}"
  vault_name = "${local.prefix}-copy"
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id

  # The backup module's role (<name>-<environment>-backup) writes the copies.
  source_role = "arn:${local.partition}:iam::${local.account_id}:role/${local.prefix}-backup"

  tags = merge(var.tags, { Module = "backup-vault" })

  # jsonencode rather than an aws_iam_policy_document: a key policy's "*" resource means "this
  # key", which the data-source checks misread (checkov#2336), as in the kms module.
  key_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableIamPolicies"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AwsBackupCopiesViaService"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
        Condition = {
          StringEquals = {
            "kms:CallerAccount" = local.account_id
            "kms:ViaService"    = "backup.${local.region}.amazonaws.com"
          }
          ArnEquals = { "aws:PrincipalArn" = local.source_role }
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
          ArnEquals = { "aws:PrincipalArn" = local.source_role }
          Bool      = { "kms:GrantIsForAWSResource" = "true" }
        }
      },
    ]
  }
}

resource "aws_kms_key" "this" {
  description             = "${local.vault_name}: recovery point copies of ${local.prefix}"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = jsonencode(local.key_policy)

  tags = merge(local.tags, { Name = local.vault_name })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.vault_name}"
  target_key_id = aws_kms_key.this.key_id
}

resource "aws_backup_vault" "this" {
  name          = local.vault_name
  kms_key_arn   = aws_kms_key.this.arn
  force_destroy = false

  tags = merge(local.tags, { Name = local.vault_name })
}

resource "aws_backup_vault_lock_configuration" "this" {
  count = var.vault_lock_min_retention_days == null ? 0 : 1

  backup_vault_name   = aws_backup_vault.this.name
  min_retention_days  = var.vault_lock_min_retention_days
  max_retention_days  = var.vault_lock_max_retention_days
  changeable_for_days = var.vault_lock_changeable_for_days
}
