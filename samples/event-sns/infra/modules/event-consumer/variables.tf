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

variable "vpc_id" {
  type        = string
  description = "ID of the VPC the function runs in (its security group is created there)."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8}([0-9a-f]{9})?$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Private subnets the function's network interfaces are placed in (one per AZ, at least two). The function has no public IP: whatever it calls must be reachable through a NAT gateway or VPC endpoints."

  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]{8}([0-9a-f]{9})?$", s))])
    error_message = "private_subnet_ids must list at least two subnet IDs such as subnet-0123456789abcdef0."
  }
}

variable "event_source" {
  type        = string
  description = "Where the events come from (named event_source because Terraform reserves the variable name \"source\" for modules): \"sqs\" (producers send to the queue), \"sns\" (a topic created here fans out to the queue) or \"eventbridge\" (a rule created here on event_bus_name forwards matching events to the queue)."
  default     = "sqs"

  validation {
    condition     = contains(["sqs", "sns", "eventbridge"], var.event_source)
    error_message = "event_source must be one of: sqs, sns, eventbridge."
  }
}

variable "event_pattern" {
  type        = string
  description = "eventbridge only: the rule's event pattern, a JSON object string (e.g. jsonencode({ source = [\"orders\"], \"detail-type\" = [\"OrderPlaced\"] })). Default: {\"source\": [\"<name>\"]}. Ignored for other sources."
  default     = null

  validation {
    condition     = var.event_pattern == null ? true : can(keys(jsondecode(var.event_pattern))) && length(var.event_pattern) <= 4096
    error_message = "event_pattern must be null or a JSON object string of at most 4096 characters, e.g. {\"source\": [\"orders\"]}."
  }
}

variable "event_bus_name" {
  type        = string
  description = "eventbridge only: name (or ARN) of the event bus the rule listens on. Ignored for other sources."
  default     = "default"

  validation {
    condition     = can(regex("^(arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/)?[A-Za-z0-9._/-]{1,256}$", var.event_bus_name))
    error_message = "event_bus_name must be an event bus name (letters, digits, ., _, -, /; at most 256 characters) or an event bus ARN."
  }
}

variable "producer_principal_arns" {
  type        = list(string)
  description = "IAM principals (role, user or account root ARNs, e.g. another account's producer role) allowed by resource policy to send: sqs:SendMessage on the queue (source sqs) or sns:Publish on the topic (source sns). Ignored for eventbridge (producers put events on the bus). Same-account producers may instead be granted by their own IAM policy. Producers also need kms:GenerateDataKey and kms:Decrypt on the key: pass the same list to the kms module, whose key policy then allows them through SQS and SNS."
  default     = []

  validation {
    condition     = alltrue([for a in var.producer_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+|user/.+)$", a))])
    error_message = "producer_principal_arns must be IAM ARNs: arn:aws:iam::<account>:root, arn:aws:iam::<account>:role/<name> or arn:aws:iam::<account>:user/<name>."
  }
}

variable "batch_size" {
  type        = number
  description = "Most messages the event source mapping hands the function per invocation (1-10000). Above 10, maximum_batching_window_seconds must be at least 1."
  default     = 10

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000 && floor(var.batch_size) == var.batch_size
    error_message = "batch_size must be a whole number from 1 to 10000."
  }
}

variable "maximum_batching_window_seconds" {
  type        = number
  description = "How long (0-300 s) the event source mapping may wait to fill a batch before invoking. Must be at least 1 when batch_size is over 10 (Lambda requires it)."
  default     = 0

  validation {
    condition     = var.maximum_batching_window_seconds >= 0 && var.maximum_batching_window_seconds <= 300 && floor(var.maximum_batching_window_seconds) == var.maximum_batching_window_seconds
    error_message = "maximum_batching_window_seconds must be a whole number from 0 to 300."
  }

  validation {
    condition     = var.batch_size <= 10 || var.maximum_batching_window_seconds > 0
    error_message = "maximum_batching_window_seconds must be at least 1 when batch_size is over 10."
  }
}

variable "max_concurrency" {
  type        = number
  description = "Most concurrent invocations the queue drives (event source mapping scaling_config.maximum_concurrency, 2-1000). Caps the load on whatever the function calls."
  default     = 10

  validation {
    condition     = var.max_concurrency >= 2 && var.max_concurrency <= 1000 && floor(var.max_concurrency) == var.max_concurrency
    error_message = "max_concurrency must be a whole number from 2 to 1000."
  }
}

variable "reserved_concurrency" {
  type        = number
  description = "Reserved concurrent executions of the function; at least max_concurrency, so the queue's invocations are never throttled (a throttled batch goes back to the queue and uses up a receive). Default null: max_concurrency + 5, the extra for manual and asynchronous invocations (replays, tests)."
  default     = null

  validation {
    condition     = var.reserved_concurrency == null ? true : var.reserved_concurrency >= var.max_concurrency && floor(var.reserved_concurrency) == var.reserved_concurrency
    error_message = "reserved_concurrency must be null or a whole number at least max_concurrency."
  }
}

variable "function_timeout_seconds" {
  type        = number
  description = "Function timeout in seconds (1-900); one invocation handles a whole batch within it."
  default     = 30

  validation {
    condition     = var.function_timeout_seconds >= 1 && var.function_timeout_seconds <= 900 && floor(var.function_timeout_seconds) == var.function_timeout_seconds
    error_message = "function_timeout_seconds must be a whole number from 1 to 900."
  }
}

variable "visibility_timeout_seconds" {
  type        = number
  description = "Visibility timeout of the queue in seconds. Default null: 6 x function_timeout_seconds, as AWS recommends for Lambda consumers (room for retries of a throttled batch). When set: at least 6 x function_timeout_seconds and at most 43200."
  default     = null

  validation {
    condition     = var.visibility_timeout_seconds == null ? true : var.visibility_timeout_seconds >= 6 * var.function_timeout_seconds && var.visibility_timeout_seconds <= 43200 && floor(var.visibility_timeout_seconds) == var.visibility_timeout_seconds
    error_message = "visibility_timeout_seconds must be null or a whole number from 6 x function_timeout_seconds to 43200 (12 hours)."
  }
}

variable "memory_size" {
  type        = number
  description = "Function memory in MB (128-10240); CPU is allocated in proportion."
  default     = 512

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "architecture" {
  type        = string
  description = "Instruction set the image is built for: x86_64 or arm64 (Graviton, cheaper per GB-second; the image must be built for linux/arm64)."
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "max_receive_count" {
  type        = number
  description = "How many times a message is received (and fails) before SQS moves it to the dead-letter queue (5-1000)."
  default     = 5

  validation {
    condition     = var.max_receive_count >= 5 && var.max_receive_count <= 1000 && floor(var.max_receive_count) == var.max_receive_count
    error_message = "max_receive_count must be a whole number from 5 to 1000."
  }
}

# BEGIN shared: kms_key_arn (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "kms_key_arn" {
  type        = string
  description = "ARN of the customer-managed KMS key (from the kms module) that encrypts the queues, topic, ECR repository, log group and the function's environment. Its key policy must allow the service principals listed in the README."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias)."
  }
}
# END shared

variable "log_retention_days" {
  type        = number
  description = "Retention of the function's CloudWatch log group, in days (a value CloudWatch accepts; 365 or more keeps a year of history for audits)."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "image_tag" {
  type        = string
  description = "Tag of the function image in this module's ECR repository (tags are immutable: use the git SHA or a release version, never \"latest\"). The image must be pushed before the function is created."

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a Docker tag (1-128 characters of letters, digits, _, . and -, not starting with . or -) and must not be \"latest\"."
  }
}

variable "log_level" {
  type        = string
  description = "Log level of the function: DEBUG, INFO, WARNING, ERROR or CRITICAL. Sets POWERTOOLS_LOG_LEVEL and the matching Lambda application log level."
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], var.log_level)
    error_message = "log_level must be one of: DEBUG, INFO, WARNING, ERROR, CRITICAL."
  }
}

variable "environment_variables" {
  type        = map(string)
  description = "Extra non-secret environment variables for the function (encrypted at rest with kms_key_arn). POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, ENVIRONMENT, IDEMPOTENCY_TABLE, IDEMPOTENCY_TTL_SECONDS and DEAD_LETTER_QUEUE_URL are set by the module; names Lambda reserves (AWS_*, _*, LAMBDA_TASK_ROOT, LAMBDA_RUNTIME_DIR, TZ) are refused."
  default     = {}

  validation {
    condition = alltrue([
      for k, v in var.environment_variables :
      can(regex("^[A-Za-z][A-Za-z0-9_]*$", k)) &&
      !startswith(k, "AWS_") &&
      !contains(["POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL", "ENVIRONMENT", "IDEMPOTENCY_TABLE", "IDEMPOTENCY_TTL_SECONDS", "DEAD_LETTER_QUEUE_URL", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ"], k)
    ])
    error_message = "environment_variables names must match ^[A-Za-z][A-Za-z0-9_]*$, must not start with AWS_ and must not be POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, ENVIRONMENT, IDEMPOTENCY_TABLE, IDEMPOTENCY_TTL_SECONDS, DEAD_LETTER_QUEUE_URL, LAMBDA_TASK_ROOT, LAMBDA_RUNTIME_DIR or TZ."
  }
}

variable "function_role_policy_json" {
  type        = list(string)
  description = "Extra IAM policy documents (JSON strings, e.g. from data.aws_iam_policy_document.x.json) attached inline to the function's role, for what process() calls. Keep them least-privilege."
  default     = []

  validation {
    condition     = length(var.function_role_policy_json) <= 10 && alltrue([for p in var.function_role_policy_json : can(jsondecode(p).Statement)])
    error_message = "function_role_policy_json must be a list of at most 10 IAM policy JSON documents, each with a Statement."
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

variable "idempotency_ttl_seconds" {
  type        = number
  description = "How long an event id is remembered after it was processed, in seconds (the idempotency record's expiry): a copy of the event arriving within it is not processed again. Default 5 days, more than the queue's 4-day retention, so every SQS redelivery is covered."
  default     = 432000

  validation {
    condition     = var.idempotency_ttl_seconds >= 3600 && var.idempotency_ttl_seconds <= 31536000 && floor(var.idempotency_ttl_seconds) == var.idempotency_ttl_seconds
    error_message = "idempotency_ttl_seconds must be a whole number of seconds from 3600 (1 hour) to 31536000 (1 year)."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the idempotency table from deletion (on outside dev)."
  default     = true
}
