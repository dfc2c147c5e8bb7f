data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
  prefix    = "${var.name}-${var.environment}"

  # The kms module's key policy grants AWS Backup use of the key for exactly this role
  # name: keep the two in step.
  role_name = "${local.prefix}-backup"

  tags = merge(var.tags, { Module = "backup" })
}

################################################################################
# Vault
################################################################################

resource "aws_backup_vault" "this" {
  name          = local.prefix
  kms_key_arn   = var.kms_key_arn
  force_destroy = false

  tags = merge(local.tags, { Name = local.prefix })
}

resource "aws_backup_vault_lock_configuration" "this" {
  count = var.vault_lock_min_retention_days == null ? 0 : 1

  backup_vault_name   = aws_backup_vault.this.name
  min_retention_days  = var.vault_lock_min_retention_days
  max_retention_days  = var.vault_lock_max_retention_days
  changeable_for_days = var.vault_lock_changeable_for_days
}

################################################################################
# Plan: daily (with continuous backup for point-in-time restore) and weekly
################################################################################

resource "aws_backup_plan" "this" {
  name = local.prefix

  rule {
    rule_name                = "daily"
    target_vault_name        = aws_backup_vault.this.name
    schedule                 = var.daily_schedule
    start_window             = var.start_window_minutes
    completion_window        = var.completion_window_minutes
    enable_continuous_backup = var.enable_continuous_backup

    lifecycle {
      delete_after = var.retention_days
    }

    # A copy in another region (or account): it survives the loss of this region, of the
    # vault and of its key. Continuous recovery points are copied as snapshots.
    dynamic "copy_action" {
      for_each = var.copy_destination == null ? [] : [var.copy_destination.vault_arn]
      content {
        destination_vault_arn = copy_action.value

        lifecycle {
          delete_after = var.retention_days
        }
      }
    }

    recovery_point_tags = merge(local.tags, { BackupRule = "daily" })
  }

  rule {
    rule_name         = "weekly"
    target_vault_name = aws_backup_vault.this.name
    schedule          = var.weekly_schedule
    start_window      = var.start_window_minutes
    completion_window = var.completion_window_minutes

    lifecycle {
      delete_after = var.weekly_retention_days
    }

    dynamic "copy_action" {
      for_each = var.copy_destination == null ? [] : [var.copy_destination.vault_arn]
      content {
        destination_vault_arn = copy_action.value

        lifecycle {
          delete_after = var.weekly_retention_days
        }
      }
    }

    recovery_point_tags = merge(local.tags, { BackupRule = "weekly" })
  }

  tags = merge(local.tags, { Name = local.prefix })

  # Vault Lock checks retention when recovery points are created: lock first, so a
  # plan whose retention the lock refuses fails at apply, not at 03:00.
  depends_on = [aws_backup_vault_lock_configuration.this]
}

################################################################################
# Role and selection
################################################################################

data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "AwsBackupAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = local.role_name
  description          = "AWS Backup role for the ${local.prefix} backup plan (backup and restore)"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  permissions_boundary = var.permissions_boundary_arn
  max_session_duration = 3600

  tags = local.tags
}

# AWS-managed policies maintained by AWS Backup for every resource type it supports.
resource "aws_iam_role_policy_attachment" "backup" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_iam_role_policy_attachment" "restore" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"
}

# Use of the vault key (and of the same key on RDS snapshots and continuous backups):
# the key policy grants this too, but granting it on the role as well keeps the module
# working with any key whose policy delegates to IAM.
data "aws_iam_policy_document" "kms" {
  statement {
    sid = "UseBackupKey"
    actions = [
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:Encrypt",
      "kms:GenerateDataKey*",
      "kms:ReEncrypt*",
    ]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "GrantBackupKeyToAwsResources"
    actions   = ["kms:CreateGrant"]
    resources = [var.kms_key_arn]

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

# The copy vault's key, in the other region (its key policy grants this role too).
data "aws_iam_policy_document" "copy_key" {
  count = var.copy_destination == null ? 0 : 1

  statement {
    sid       = "UseCopyVaultKey"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    resources = [var.copy_destination.kms_key_arn]
  }

  statement {
    sid       = "GrantCopyVaultKeyToAwsResources"
    actions   = ["kms:CreateGrant"]
    resources = [var.copy_destination.kms_key_arn]

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role_policy" "copy_key" {
  count = var.copy_destination == null ? 0 : 1

  name   = "use-copy-vault-key"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.copy_key[0].json
}

resource "aws_iam_role_policy" "kms" {
  name   = "use-backup-key"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.kms.json
}

resource "aws_backup_selection" "this" {
  name         = local.prefix
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.this.arn
  resources    = var.resource_arns

  depends_on = [
    aws_iam_role_policy_attachment.backup,
    aws_iam_role_policy_attachment.restore,
    aws_iam_role_policy.kms,
  ]
}
