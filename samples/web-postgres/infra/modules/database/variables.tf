################################################################################
# Identity
################################################################################

# BEGIN shared: name environment tags (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "name" {
  type        = string
  description = "Service name (lower-case kebab-case, 3-24 characters). Prefix of every resource name (<name>-<environment>)."

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

################################################################################
# Network
################################################################################

variable "vpc_id" {
  type        = string
  description = "ID of the VPC holding the database subnet group (for the database security group)."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0a1b2c3d4e5f67890."
  }
}

variable "database_subnet_group_name" {
  type        = string
  description = "Name of the existing DB subnet group (isolated database subnets in >= 2 AZs, normally from the vpc module)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9 ._-]{0,254}$", var.database_subnet_group_name)) && var.database_subnet_group_name != "default"
    error_message = "database_subnet_group_name must be an existing DB subnet group name (lowercase letters, digits, spaces, . _ -; max 255 characters) and not \"default\"."
  }
}

variable "allowed_security_group_ids" {
  type        = list(string)
  description = "Security groups allowed to connect on the database port (e.g. the web-service module's service_security_group_id). Empty = nobody can connect."
  default     = []

  validation {
    condition     = alltrue([for sg in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", sg))])
    error_message = "allowed_security_group_ids must contain security group IDs such as sg-0a1b2c3d4e5f67890."
  }
}

variable "port" {
  type        = number
  description = "TCP port PostgreSQL listens on."
  default     = 5432

  validation {
    condition     = var.port >= 1150 && var.port <= 65535 && floor(var.port) == var.port
    error_message = "port must be a whole number between 1150 and 65535 (RDS limits)."
  }
}

################################################################################
# Engine and instance
################################################################################

variable "engine_version" {
  type        = string
  description = "PostgreSQL version: a major (\"16\": RDS picks the default minor and auto minor upgrades keep it current) or major.minor (\"16.4\"). Also selects the parameter group family (postgres<major>)."
  default     = "16"

  validation {
    condition     = can(regex("^(1[1-9]|[2-9][0-9])(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be a PostgreSQL major (e.g. \"16\") or major.minor (e.g. \"16.4\"), major >= 11."
  }
}

variable "instance_class" {
  type        = string
  description = "RDS instance class."
  default     = "db.t4g.medium"

  validation {
    condition     = can(regex("^db\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must be an RDS instance class starting with \"db.\", e.g. db.t4g.medium or db.r7g.large."
  }
}

variable "multi_az" {
  type        = bool
  description = "Run a synchronous standby in a second AZ (automatic failover). Default true; dev may pass false to halve the cost."
  default     = true
}

variable "allocated_storage" {
  type        = number
  description = "Initial gp3 storage in GiB."
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536 && floor(var.allocated_storage) == var.allocated_storage
    error_message = "allocated_storage must be a whole number of GiB between 20 and 65536."
  }
}

variable "max_allocated_storage" {
  type        = number
  description = "Upper bound in GiB for storage autoscaling (must be greater than allocated_storage)."
  default     = 100

  validation {
    condition     = var.max_allocated_storage > var.allocated_storage && var.max_allocated_storage <= 65536 && floor(var.max_allocated_storage) == var.max_allocated_storage
    error_message = "max_allocated_storage must be a whole number of GiB greater than allocated_storage and at most 65536."
  }
}

variable "db_name" {
  type        = string
  description = "Name of the database created at launch. null (default) derives it from name with hyphens replaced by underscores."
  default     = null

  validation {
    condition     = var.db_name == null ? true : can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,62}$", var.db_name))
    error_message = "db_name must start with a letter and contain only letters, digits and underscores (max 63 characters)."
  }
}

variable "master_username" {
  type        = string
  description = "Master user name. Its password is generated and stored in Secrets Manager by RDS (manage_master_user_password)."
  default     = "dbadmin"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,62}$", var.master_username)) && !contains(["postgres", "rdsadmin", "rdsrepladmin", "admin", "root"], lower(var.master_username))
    error_message = "master_username must start with a letter, contain only letters, digits and underscores (max 63 characters), and not be a reserved name (postgres, rdsadmin, rdsrepladmin, admin, root)."
  }
}

variable "ca_cert_identifier" {
  type        = string
  description = "CA of the server certificate: rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or rds-ca-ecc384-g1."
  default     = "rds-ca-rsa2048-g1"

  validation {
    condition     = contains(["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"], var.ca_cert_identifier)
    error_message = "ca_cert_identifier must be one of: rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1."
  }
}

variable "allow_major_version_upgrade" {
  type        = bool
  description = "Allow a change of engine_version to a new major version (set true only for the upgrade apply, together with the new engine_version)."
  default     = false
}

variable "apply_immediately" {
  type        = bool
  description = "Apply modifications immediately instead of in the next maintenance window (may restart the instance)."
  default     = false
}

################################################################################
# Encryption
################################################################################

# BEGIN shared: kms_key_arn (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "kms_key_arn" {
  type        = string
  description = "ARN of the customer-managed KMS key (from the kms module) for storage, Performance Insights, the managed master-user secret and the log groups. Its key policy must allow logs.<region>.amazonaws.com."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias)."
  }
}
# END shared

################################################################################
# Backups and maintenance
################################################################################

variable "backup_retention_period" {
  type        = number
  description = "Days of automated backups (point-in-time recovery window)."
  default     = 14

  validation {
    condition     = var.backup_retention_period >= 7 && var.backup_retention_period <= 35 && floor(var.backup_retention_period) == var.backup_retention_period
    error_message = "backup_retention_period must be a whole number of days between 7 and 35."
  }
}

variable "backup_window" {
  type        = string
  description = "Daily UTC window for automated backups, hh24:mi-hh24:mi (at least 30 minutes, must not overlap maintenance_window)."
  default     = "03:00-04:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.backup_window))
    error_message = "backup_window must be hh24:mi-hh24:mi in UTC, e.g. 03:00-04:00."
  }
}

variable "maintenance_window" {
  type        = string
  description = "Weekly UTC maintenance window, ddd:hh24:mi-ddd:hh24:mi (must not overlap backup_window)."
  default     = "sun:04:30-sun:05:30"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_window))
    error_message = "maintenance_window must be ddd:hh24:mi-ddd:hh24:mi in UTC with lowercase days, e.g. sun:04:30-sun:05:30."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Block deletion of the instance. Set false only to tear an environment down (a final snapshot is still taken)."
  default     = true
}

################################################################################
# Observability
################################################################################

variable "performance_insights_retention_period" {
  type        = number
  description = "Performance Insights retention in days: 7 (free tier), a multiple of 31 up to 713, or 731."
  default     = 7

  validation {
    condition     = var.performance_insights_retention_period == 7 || var.performance_insights_retention_period == 731 || (var.performance_insights_retention_period % 31 == 0 && var.performance_insights_retention_period >= 31 && var.performance_insights_retention_period <= 713)
    error_message = "performance_insights_retention_period must be 7, 731, or a multiple of 31 between 31 and 713."
  }
}

variable "monitoring_interval" {
  type        = number
  description = "Enhanced Monitoring granularity in seconds: 1, 5, 10, 15, 30 or 60."
  default     = 60

  validation {
    condition     = contains([1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be one of 1, 5, 10, 15, 30, 60 (Enhanced Monitoring cannot be disabled by this module)."
  }
}

variable "log_statement" {
  type        = string
  description = "PostgreSQL log_statement: ddl (default: schema changes), mod (ddl + data-modifying statements) or all (every statement: verbose and may log sensitive literals)."
  default     = "ddl"

  validation {
    condition     = contains(["ddl", "mod", "all"], var.log_statement)
    error_message = "log_statement must be one of: ddl, mod, all."
  }
}

variable "log_min_duration_statement" {
  type        = number
  description = "Log statements running at least this many milliseconds (slow-query log); -1 disables."
  default     = 1000

  validation {
    condition     = var.log_min_duration_statement >= -1 && var.log_min_duration_statement <= 2147483647 && floor(var.log_min_duration_statement) == var.log_min_duration_statement
    error_message = "log_min_duration_statement must be a whole number of milliseconds >= -1 (-1 disables)."
  }
}

variable "log_retention_in_days" {
  type        = number
  description = "Retention of the exported PostgreSQL CloudWatch log groups, in days."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of the CloudWatch values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "additional_parameters" {
  type = list(object({
    name         = string
    value        = string
    apply_method = optional(string, "pending-reboot")
  }))
  description = "Extra DB parameter group parameters (e.g. shared_preload_libraries). Must not repeat rds.force_ssl, log_statement or log_min_duration_statement, which the module manages."
  default     = []

  validation {
    condition     = alltrue([for p in var.additional_parameters : contains(["immediate", "pending-reboot"], p.apply_method)])
    error_message = "additional_parameters[*].apply_method must be immediate or pending-reboot."
  }

  validation {
    condition     = alltrue([for p in var.additional_parameters : !contains(["rds.force_ssl", "log_statement", "log_min_duration_statement"], p.name)])
    error_message = "additional_parameters must not set rds.force_ssl, log_statement or log_min_duration_statement (use the module's variables)."
  }
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
