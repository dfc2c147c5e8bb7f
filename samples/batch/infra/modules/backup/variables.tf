# BEGIN shared: name environment tags kms_key_arn (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "name" {
  type        = string
  description = "Service name (lower-case kebab-case, 3-24 characters). Prefix of the vault, plan, selection and role names (<name>-<environment>)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name)) && length(var.name) >= 3 && length(var.name) <= 24
    error_message = "name must be 3-24 characters of lower-case letters, digits and single hyphens, starting with a letter and ending with a letter or digit (e.g. \"orders-api\")."
  }
}

variable "environment" {
  type        = string
  description = "Deployment environment: dev, staging or prod."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of: dev, staging, prod."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags merged into every taggable resource (the provider's default_tags carry service, owner, environment and cost-center)."
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256])
    error_message = "tags keys must be 1-128 characters and values at most 256 characters."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the customer-managed KMS key (from the kms module) that encrypts the vault's recovery points. The kms module's key policy already lets this module's role (<name>-<environment>-backup) use it through AWS Backup."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias)."
  }
}
# END shared

variable "resource_arns" {
  type        = list(string)
  description = "ARNs of the resources to back up (RDS instances or clusters, DynamoDB tables, EFS file systems, S3 buckets...). At least one."

  validation {
    condition     = length(var.resource_arns) > 0 && alltrue([for arn in var.resource_arns : can(regex("^arn:aws[a-z-]*:[a-z0-9-]+:", arn))])
    error_message = "resource_arns must be a non-empty list of ARNs (arn:<partition>:<service>:...)."
  }
}

variable "daily_schedule" {
  type        = string
  description = "Schedule of the daily backup rule, as an AWS cron expression in UTC."
  default     = "cron(0 3 * * ? *)"

  validation {
    condition     = can(regex("^cron\\(\\S+( \\S+){5}\\)$", var.daily_schedule))
    error_message = "daily_schedule must be an AWS cron expression with six fields, e.g. \"cron(0 3 * * ? *)\"."
  }
}

variable "retention_days" {
  type        = number
  description = "Days the daily recovery points (and the continuous point-in-time window) are kept: at least 7; at most 35 when enable_continuous_backup is true (the limit of continuous backups)."
  default     = 35

  validation {
    condition     = var.retention_days >= 7 && floor(var.retention_days) == var.retention_days
    error_message = "retention_days must be a whole number of days >= 7."
  }

  validation {
    condition     = !var.enable_continuous_backup || var.retention_days <= 35
    error_message = "retention_days must be at most 35 when enable_continuous_backup is true (AWS Backup keeps continuous backups for 1-35 days)."
  }
}

variable "weekly_schedule" {
  type        = string
  description = "Schedule of the weekly backup rule, as an AWS cron expression in UTC (default: Sundays 04:00)."
  default     = "cron(0 4 ? * SUN *)"

  validation {
    condition     = can(regex("^cron\\(\\S+( \\S+){5}\\)$", var.weekly_schedule))
    error_message = "weekly_schedule must be an AWS cron expression with six fields, e.g. \"cron(0 4 ? * SUN *)\"."
  }
}

variable "weekly_retention_days" {
  type        = number
  description = "Days the weekly recovery points are kept (longer than the daily ones)."
  default     = 90

  validation {
    condition     = floor(var.weekly_retention_days) == var.weekly_retention_days && var.weekly_retention_days > var.retention_days
    error_message = "weekly_retention_days must be a whole number of days greater than retention_days."
  }
}

variable "enable_continuous_backup" {
  type        = bool
  description = "Continuous backup on the daily rule: point-in-time restore (to any second within retention_days) for RDS, Aurora, S3 and SAP HANA resources; other resource types get the daily snapshots."
  default     = true
}

variable "start_window_minutes" {
  type        = number
  description = "Minutes after the scheduled time a backup job may start before it is cancelled (AWS minimum 60)."
  default     = 60

  validation {
    condition     = var.start_window_minutes >= 60 && floor(var.start_window_minutes) == var.start_window_minutes
    error_message = "start_window_minutes must be a whole number >= 60."
  }
}

variable "completion_window_minutes" {
  type        = number
  description = "Minutes after a job starts within which it must finish before AWS Backup cancels it."
  default     = 360

  validation {
    condition     = var.completion_window_minutes >= var.start_window_minutes + 60 && floor(var.completion_window_minutes) == var.completion_window_minutes
    error_message = "completion_window_minutes must be a whole number at least start_window_minutes + 60."
  }
}

variable "vault_lock_min_retention_days" {
  type        = number
  description = "Vault Lock: minimum retention every recovery point must have (null: no lock). Must not exceed retention_days, or the daily jobs fail. Governance mode unless vault_lock_changeable_for_days is set."
  default     = null

  validation {
    condition     = var.vault_lock_min_retention_days == null || try(var.vault_lock_min_retention_days >= 1 && var.vault_lock_min_retention_days <= var.retention_days, false)
    error_message = "vault_lock_min_retention_days must be null or a number of days from 1 to retention_days."
  }
}

variable "vault_lock_max_retention_days" {
  type        = number
  description = "Vault Lock: maximum retention a recovery point may have (null: no maximum). Must be at least weekly_retention_days."
  default     = null

  validation {
    condition     = var.vault_lock_max_retention_days == null || try(var.vault_lock_max_retention_days >= var.weekly_retention_days, false)
    error_message = "vault_lock_max_retention_days must be null or at least weekly_retention_days."
  }
}

variable "vault_lock_changeable_for_days" {
  type        = number
  description = "Vault Lock grace period in days (>= 3) after which the lock becomes immutable (compliance mode: nobody, not even the root user, can delete recovery points early or remove the lock). Null: governance mode (the lock can be removed with backup:DeleteBackupVaultLockConfiguration)."
  default     = null

  validation {
    condition     = var.vault_lock_changeable_for_days == null || try(var.vault_lock_changeable_for_days >= 3, false)
    error_message = "vault_lock_changeable_for_days must be null (governance mode) or at least 3 days."
  }
}

variable "copy_destination" {
  type = object({
    vault_arn   = string
    kms_key_arn = string
  })
  description = "A backup vault in another region (or account) that every daily and weekly recovery point is copied to, kept as long as the original, and its KMS key, which this module's role encrypts the copies with (null: no copy). Create it with the backup-vault module: { vault_arn = module.x.vault_arn, kms_key_arn = module.x.kms_key_arn }. An object, so that whether there is a copy is known at plan time even while the ARNs are not."
  default     = null
}

# BEGIN shared: permissions_boundary_arn (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "permissions_boundary_arn" {
  type        = string
  description = "Managed policy set as the permissions boundary of every IAM role this module creates (null: none). Stacks deployed by the ci-oidc deploy role must pass its workload_boundary_arn."
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be null or an IAM managed policy ARN."
  }
}
# END shared
