# BEGIN shared: name environment tags (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "name" {
  type        = string
  description = "Service name (lower-case kebab-case, 3-24 characters). The copy vault is <name>-<environment>-copy, and the backup module's role <name>-<environment>-backup writes to it."

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
# END shared

variable "deletion_window_in_days" {
  type        = number
  description = "Waiting period, in days, between scheduling the copy vault's key for deletion and its deletion (AWS allows 7-30)."
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "vault_lock_min_retention_days" {
  type        = number
  description = "Vault Lock: minimum retention every copied recovery point must have (null: no lock). Must not exceed the copies' retention (the backup module's retention_days), or the copies fail. Governance mode unless vault_lock_changeable_for_days is set."
  default     = null

  validation {
    condition     = var.vault_lock_min_retention_days == null || try(var.vault_lock_min_retention_days >= 1 && var.vault_lock_min_retention_days <= 36500, false)
    error_message = "vault_lock_min_retention_days must be null or a number of days from 1 to 36500."
  }
}

variable "vault_lock_max_retention_days" {
  type        = number
  description = "Vault Lock: maximum retention a copied recovery point may have (null: no maximum). Must be at least the longest copy retention (the backup module's weekly_retention_days)."
  default     = null

  validation {
    condition     = var.vault_lock_max_retention_days == null || try(var.vault_lock_max_retention_days >= coalesce(var.vault_lock_min_retention_days, 1), false)
    error_message = "vault_lock_max_retention_days must be null or at least vault_lock_min_retention_days."
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
