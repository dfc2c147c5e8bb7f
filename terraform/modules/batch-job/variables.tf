# BEGIN shared: name environment tags (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "name" {
  type        = string
  description = "Service name (lower-case kebab-case, 3-24 characters). Prefix of every resource name (<name>-<environment>) and the container name."

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

variable "vpc_id" {
  type        = string
  description = "ID of the VPC the task runs in (its security group is created there)."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8}([0-9a-f]{9})?$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Private subnets the task may be placed in (one per AZ, at least two). The task never gets a public IP, so these subnets need a NAT gateway or VPC endpoints for ECR, CloudWatch Logs and DynamoDB."

  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]{8}([0-9a-f]{9})?$", s))])
    error_message = "private_subnet_ids must list at least two subnet IDs such as subnet-0123456789abcdef0."
  }
}

variable "schedule_expression" {
  type        = string
  description = "When the job runs: an EventBridge Scheduler cron(...) or rate(...) expression, e.g. \"cron(0 2 * * ? *)\" or \"rate(1 hour)\". Evaluated in schedule_timezone."

  validation {
    condition     = can(regex("^(cron\\(.+\\)|rate\\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\\))$", var.schedule_expression))
    error_message = "schedule_expression must be a cron(...) expression (six fields, e.g. \"cron(0 2 * * ? *)\") or a rate(...) expression (e.g. \"rate(15 minutes)\", \"rate(1 day)\")."
  }
}

variable "schedule_timezone" {
  type        = string
  description = "IANA time zone the schedule expression is evaluated in (EventBridge Scheduler handles daylight-saving changes), e.g. \"UTC\" or \"Europe/Paris\". Also passed to the job as JOB_SCHEDULE_TIMEZONE."
  default     = "UTC"

  validation {
    condition     = can(regex("^(UTC|[A-Z][A-Za-z_]+(/[A-Za-z0-9_+-]+){1,2}|Etc/[A-Za-z0-9_+-]+)$", var.schedule_timezone))
    error_message = "schedule_timezone must be \"UTC\" or an IANA time zone name such as \"Europe/Paris\" or \"America/Argentina/Buenos_Aires\"."
  }
}

variable "cpu" {
  type        = number
  description = "Fargate task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384 (1024 = 1 vCPU)."
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be one of the Fargate sizes: 256, 512, 1024, 2048, 4096, 8192, 16384."
  }
}

variable "memory" {
  type        = number
  description = "Fargate task memory in MiB; must be a valid pair with cpu (256: 512/1024/2048; 512: 1024-4096; 1024: 2048-8192; 2048: 4096-16384; 4096: 8192-30720, in 1024 steps; 8192: 16384-61440 in 4096 steps; 16384: 32768-122880 in 8192 steps). The /tmp tmpfs counts against it."
  default     = 512

  validation {
    condition = (
      var.cpu == 256 ? contains([512, 1024, 2048], var.memory) :
      var.cpu == 512 ? var.memory >= 1024 && var.memory <= 4096 && var.memory % 1024 == 0 :
      var.cpu == 1024 ? var.memory >= 2048 && var.memory <= 8192 && var.memory % 1024 == 0 :
      var.cpu == 2048 ? var.memory >= 4096 && var.memory <= 16384 && var.memory % 1024 == 0 :
      var.cpu == 4096 ? var.memory >= 8192 && var.memory <= 30720 && var.memory % 1024 == 0 :
      var.cpu == 8192 ? var.memory >= 16384 && var.memory <= 61440 && var.memory % 4096 == 0 :
      var.cpu == 16384 ? var.memory >= 32768 && var.memory <= 122880 && var.memory % 8192 == 0 :
      false
    )
    error_message = "memory must be a valid Fargate pair with cpu: 256 -> 512, 1024 or 2048; 512 -> 1024-4096; 1024 -> 2048-8192; 2048 -> 4096-16384; 4096 -> 8192-30720 (all in 1024 MiB steps); 8192 -> 16384-61440 (4096 steps); 16384 -> 32768-122880 (8192 steps)."
  }
}

variable "architecture" {
  type        = string
  description = "CPU architecture the image is built for: X86_64 or ARM64 (Graviton, about 20 % cheaper; the image must be built for linux/arm64)."
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.architecture)
    error_message = "architecture must be X86_64 or ARM64."
  }
}

variable "timeout_minutes" {
  type        = number
  description = "How long one run may take before the job stops itself and fails, in minutes (1-1440). Passed to the container as JOB_TIMEOUT_SECONDS = timeout_minutes * 60."
  default     = 30

  validation {
    condition     = var.timeout_minutes >= 1 && var.timeout_minutes <= 1440 && floor(var.timeout_minutes) == var.timeout_minutes
    error_message = "timeout_minutes must be a whole number from 1 to 1440 (24 hours)."
  }
}

variable "retries" {
  type        = number
  description = "How many times EventBridge Scheduler retries a failed RunTask call (0-185). A retry covers a RunTask call that failed (throttling, no Fargate capacity, bad configuration), not a job that started and then failed. Scheduler's own default is 185 retries over 24 h, which is why this is always set."
  default     = 3

  validation {
    condition     = var.retries >= 0 && var.retries <= 185 && floor(var.retries) == var.retries
    error_message = "retries must be a whole number from 0 to 185."
  }
}

variable "maximum_event_age_seconds" {
  type        = number
  description = "How long (60-86400 s) Scheduler keeps retrying an invocation before it gives up and sends it to the dead-letter queue."
  default     = 3600

  validation {
    condition     = var.maximum_event_age_seconds >= 60 && var.maximum_event_age_seconds <= 86400 && floor(var.maximum_event_age_seconds) == var.maximum_event_age_seconds
    error_message = "maximum_event_age_seconds must be a whole number from 60 to 86400 (24 hours)."
  }
}

# BEGIN shared: kms_key_arn (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "kms_key_arn" {
  type        = string
  description = "ARN of the customer-managed KMS key (from the kms module) that encrypts the ECR repository, log group, DynamoDB table, DLQ and the schedule. Its key policy must allow the CloudWatch Logs service principal (see README)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias)."
  }
}
# END shared

variable "log_retention_days" {
  type        = number
  description = "Retention of the job's CloudWatch log group, in days (a value CloudWatch accepts; 365 or more keeps a year of history for audits)."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "image_tag" {
  type        = string
  description = "Tag of the job image in this module's ECR repository (tags are immutable: use the git SHA or a release version, never \"latest\")."

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a Docker tag (1-128 characters of letters, digits, _, . and -, not starting with . or -) and must not be \"latest\"."
  }
}

variable "environment_variables" {
  type        = map(string)
  description = "Extra non-secret environment variables for the container. Names the module sets itself (JOB_IDEMPOTENCY_TABLE, JOB_TIMEOUT_SECONDS, JOB_REGION, JOB_SCHEDULE_TIMEZONE, JOB_SCHEDULED_TIME) are refused. Do not put secrets here: they are visible in the task definition."
  default     = {}

  validation {
    condition = alltrue([
      for k, v in var.environment_variables :
      can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k)) &&
      !contains(["JOB_IDEMPOTENCY_TABLE", "JOB_TIMEOUT_SECONDS", "JOB_REGION", "JOB_SCHEDULE_TIMEZONE", "JOB_SCHEDULED_TIME"], k)
    ])
    error_message = "environment_variables names must match ^[A-Za-z_][A-Za-z0-9_]*$ and must not be JOB_IDEMPOTENCY_TABLE, JOB_TIMEOUT_SECONDS, JOB_REGION, JOB_SCHEDULE_TIMEZONE or JOB_SCHEDULED_TIME (the module sets those)."
  }
}

variable "task_role_policy_json" {
  type        = list(string)
  description = "Extra IAM policy documents (JSON strings, e.g. from data.aws_iam_policy_document.x.json) attached inline to the task role, for what the job itself calls beyond its idempotency table. Keep them least-privilege."
  default     = []

  validation {
    condition     = length(var.task_role_policy_json) <= 10 && alltrue([for p in var.task_role_policy_json : can(jsondecode(p).Statement)])
    error_message = "task_role_policy_json must be a list of at most 10 IAM policy JSON documents, each with a Statement."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Deletion protection on the idempotency table. Keep true outside throwaway environments; set false (and apply) before destroying."
  default     = true
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
