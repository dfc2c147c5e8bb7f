################################################################################
# Common
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

variable "service_type" {
  type        = string
  description = "Which alarm set and dashboard to build: web (ALB + ECS), batch (scheduled ECS job) or event (SQS -> Lambda)."

  validation {
    condition     = contains(["web", "batch", "event"], var.service_type)
    error_message = "service_type must be one of: web, batch, event."
  }
}

# BEGIN shared: kms_key_arn (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "kms_key_arn" {
  type        = string
  description = "ARN of the customer-managed KMS key (from the kms module) that encrypts the alarm SNS topic. Its key policy must let the cloudwatch.amazonaws.com service principal use kms:Decrypt and kms:GenerateDataKey* (otherwise alarms cannot publish to the encrypted topic; see README)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias)."
  }
}
# END shared

variable "alarm_emails" {
  type        = list(string)
  description = "E-mail addresses subscribed to the alarm topic (each must confirm the subscription from the e-mail AWS sends). May be empty, e.g. when a chat or paging integration subscribes to the topic outside this module."
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : length(e) <= 254 && can(regex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$", e))])
    error_message = "alarm_emails must be e-mail addresses such as oncall@example.com (at most 254 characters each)."
  }

  validation {
    condition     = length(distinct(var.alarm_emails)) == length(var.alarm_emails)
    error_message = "alarm_emails must not contain duplicates."
  }
}

variable "runbook_url" {
  type        = string
  description = "URL of the service's runbook (docs/runbook.md rendered by the code host). Every alarm description links to \"<runbook_url>#alarm-<key>\", so the URL must not carry a fragment of its own."

  validation {
    condition     = can(regex("^https://[^\\s#]+$", var.runbook_url)) && length(var.runbook_url) <= 512
    error_message = "runbook_url must start with https://, contain no whitespace and no '#' fragment, and be at most 512 characters (it goes into 1024-character alarm descriptions)."
  }
}

################################################################################
# web (ALB + ECS)
################################################################################

variable "slo_availability" {
  type        = number
  description = "Availability SLO in percent over a rolling 30 days (web only), measured at the ALB: SLI = 1 - (ELB 5XX + target 5XX) / (RequestCount + the ELB 5XX rejected before a target was chosen). 99.9 leaves an error budget of 0.1 % (43.2 minutes of full outage per 30 days)."
  default     = 99.9

  validation {
    condition     = var.slo_availability >= 90 && var.slo_availability <= 99.99
    error_message = "slo_availability must be a percentage from 90 to 99.99 (e.g. 99.9)."
  }
}

variable "alb_arn_suffix" {
  type        = string
  description = "ALB ARN suffix, the LoadBalancer dimension of AWS/ApplicationELB metrics (aws_lb.arn_suffix, e.g. app/orders-api-prod/50dc6c495c0c9188). Required when service_type = \"web\"."
  default     = null

  validation {
    condition     = var.service_type != "web" || var.alb_arn_suffix != null
    error_message = "alb_arn_suffix is required when service_type = \"web\"."
  }

  validation {
    condition     = var.alb_arn_suffix == null || can(regex("^app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$", var.alb_arn_suffix))
    error_message = "alb_arn_suffix must look like app/<alb-name>/<16 hex digits> (the arn_suffix attribute of aws_lb)."
  }
}

variable "target_group_arn_suffix" {
  type        = string
  description = "Target group ARN suffix, the TargetGroup dimension of AWS/ApplicationELB metrics (aws_lb_target_group.arn_suffix, e.g. targetgroup/orders-api-prod/943f017f100becff). Required when service_type = \"web\"."
  default     = null

  validation {
    condition     = var.service_type != "web" || var.target_group_arn_suffix != null
    error_message = "target_group_arn_suffix is required when service_type = \"web\"."
  }

  validation {
    condition     = var.target_group_arn_suffix == null || can(regex("^targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$", var.target_group_arn_suffix))
    error_message = "target_group_arn_suffix must look like targetgroup/<tg-name>/<16 hex digits> (the arn_suffix attribute of aws_lb_target_group)."
  }
}

variable "latency_p99_threshold_seconds" {
  type        = number
  description = "web: the p99-latency alarm fires when the ALB's TargetResponseTime p99 exceeds this many seconds (in 2 of 3 five-minute periods)."
  default     = 1

  validation {
    condition     = var.latency_p99_threshold_seconds > 0 && var.latency_p99_threshold_seconds <= 60
    error_message = "latency_p99_threshold_seconds must be greater than 0 and at most 60."
  }
}

variable "error_rate_threshold_percent" {
  type        = number
  description = "web: the 5xx-errors alarm fires when (ELB 5XX + target 5XX) / valid requests (RequestCount + requests rejected before a target) exceeds this percentage in 3 of 5 one-minute periods. A fast, coarse signal; the SLO burn-rate alerts are the budget-aware ones."
  default     = 5

  validation {
    condition     = var.error_rate_threshold_percent > 0 && var.error_rate_threshold_percent <= 100
    error_message = "error_rate_threshold_percent must be greater than 0 and at most 100."
  }
}

################################################################################
# batch (EventBridge Scheduler -> ECS RunTask)
################################################################################

variable "log_group_name" {
  type        = string
  description = "batch: the job's CloudWatch Logs log group; the module adds metric filters on its JSON line {\"message\": \"run finished\", \"exit_code\": N, \"duration_seconds\": S}. Required when service_type = \"batch\"."
  default     = null

  validation {
    condition     = var.service_type != "batch" || var.log_group_name != null
    error_message = "log_group_name is required when service_type = \"batch\"."
  }

  validation {
    condition     = var.log_group_name == null || can(regex("^[A-Za-z0-9_./#-]{1,512}$", var.log_group_name))
    error_message = "log_group_name must be 1-512 characters of letters, digits, '_', '-', '/', '.' and '#'."
  }
}

variable "schedule_interval_seconds" {
  type        = number
  description = "batch: the longest gap between two scheduled runs, in seconds (60 to 2678400 = 31 days). The job-did-not-run heartbeat fires when no run succeeded for this interval plus (retries + 1) x timeout_minutes plus a 15-minute margin, rounded up to a valid CloudWatch period x evaluation-periods combination. CloudWatch alarms cannot look back more than 7 days, so when that window is longer no heartbeat alarm is created (a plan-time warning says so). Required when service_type = \"batch\"."
  default     = null

  validation {
    condition     = var.service_type != "batch" || var.schedule_interval_seconds != null
    error_message = "schedule_interval_seconds is required when service_type = \"batch\"."
  }

  validation {
    condition     = var.schedule_interval_seconds == null || try(var.schedule_interval_seconds >= 60 && var.schedule_interval_seconds <= 86400 * 31 && floor(var.schedule_interval_seconds) == var.schedule_interval_seconds, false)
    error_message = "schedule_interval_seconds must be a whole number of seconds from 60 to 2678400 (31 days)."
  }
}

variable "timeout_minutes" {
  type        = number
  description = "batch: the job's timeout in minutes (the batch-job module's timeout_minutes). The job-duration alarm fires when a run took more than 80 % of it. Required when service_type = \"batch\"."
  default     = null

  validation {
    condition     = var.service_type != "batch" || var.timeout_minutes != null
    error_message = "timeout_minutes is required when service_type = \"batch\"."
  }

  validation {
    condition     = var.timeout_minutes == null || try(var.timeout_minutes >= 1 && var.timeout_minutes <= 1440 && floor(var.timeout_minutes) == var.timeout_minutes, false)
    error_message = "timeout_minutes must be a whole number from 1 to 1440 (24 hours)."
  }
}

variable "retries" {
  type        = number
  description = "batch: how many times the scheduler retries a run (the batch-job module's retries). Each attempt may run up to timeout_minutes, so the heartbeat window grows by that much per retry. null: 0."
  default     = null

  validation {
    condition     = var.retries == null || try(var.retries >= 0 && var.retries <= 185 && floor(var.retries) == var.retries, false)
    error_message = "retries must be a whole number from 0 to 185."
  }
}

variable "heartbeat_armed_at" {
  type        = string
  description = "batch: when the job-did-not-run heartbeat starts to count missing runs, as a UTC timestamp (\"2026-03-02T00:00:00Z\"). Periods before it count as successes, so a new environment does not page before its first scheduled run could have finished. null (default): the time of the first apply, recorded once in a terraform_data resource. Set it to re-arm the heartbeat, e.g. after the schedule was paused on purpose."
  default     = null

  validation {
    condition     = var.heartbeat_armed_at == null || try(endswith(var.heartbeat_armed_at, "Z") && formatdate("YYYY", var.heartbeat_armed_at) != "", false)
    error_message = "heartbeat_armed_at must be null or an RFC 3339 timestamp in UTC ending in Z, e.g. \"2026-03-02T00:00:00Z\"."
  }
}

################################################################################
# batch and event: dead-letter queue
################################################################################

variable "dlq_name" {
  type        = string
  description = "Name of the SQS dead-letter queue to alarm on: for batch the EventBridge Scheduler DLQ (alarm scheduler-dlq), for event the source queue's redrive DLQ (alarm dlq-depth). Required when service_type is batch or event."
  default     = null

  validation {
    condition     = var.service_type == "web" || var.dlq_name != null
    error_message = "dlq_name is required when service_type is \"batch\" (the scheduler DLQ) or \"event\" (the queue's redrive DLQ)."
  }

  validation {
    condition     = var.dlq_name == null || can(regex("^[A-Za-z0-9_-]{1,80}(\\.fifo)?$", var.dlq_name))
    error_message = "dlq_name must be an SQS queue name: 1-80 letters, digits, '-' or '_', optionally ending in .fifo."
  }
}

################################################################################
# event (SQS -> Lambda)
################################################################################

variable "queue_name" {
  type        = string
  description = "event: name of the SQS source queue the function consumes. Required when service_type = \"event\"."
  default     = null

  validation {
    condition     = var.service_type != "event" || var.queue_name != null
    error_message = "queue_name is required when service_type = \"event\"."
  }

  validation {
    condition     = var.queue_name == null || can(regex("^[A-Za-z0-9_-]{1,80}(\\.fifo)?$", var.queue_name))
    error_message = "queue_name must be an SQS queue name: 1-80 letters, digits, '-' or '_', optionally ending in .fifo."
  }
}

variable "function_name" {
  type        = string
  description = "event: name of the Lambda function that consumes the queue. Required when service_type = \"event\"."
  default     = null

  validation {
    condition     = var.service_type != "event" || var.function_name != null
    error_message = "function_name is required when service_type = \"event\"."
  }

  validation {
    condition     = var.function_name == null || can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name must be a Lambda function name: 1-64 letters, digits, '-' or '_' (not an ARN)."
  }
}

variable "function_dlq_name" {
  type        = string
  description = "event: name of the SQS queue configured as the Lambda function's own dead-letter queue (dead_letter_config, used for failed asynchronous invocations). Required when service_type = \"event\"."
  default     = null

  validation {
    condition     = var.service_type != "event" || var.function_dlq_name != null
    error_message = "function_dlq_name is required when service_type = \"event\"."
  }

  validation {
    condition     = var.function_dlq_name == null || can(regex("^[A-Za-z0-9_-]{1,80}(\\.fifo)?$", var.function_dlq_name))
    error_message = "function_dlq_name must be an SQS queue name: 1-80 letters, digits, '-' or '_', optionally ending in .fifo."
  }
}

variable "max_age_seconds_threshold" {
  type        = number
  description = "event: the queue-age alarm fires when the source queue's ApproximateAgeOfOldestMessage exceeds this many seconds for 3 consecutive minutes."
  default     = 300

  validation {
    condition     = var.max_age_seconds_threshold >= 60 && var.max_age_seconds_threshold <= 1209600 && floor(var.max_age_seconds_threshold) == var.max_age_seconds_threshold
    error_message = "max_age_seconds_threshold must be a whole number of seconds from 60 to 1209600 (14 days, the longest SQS retention)."
  }
}

variable "db_instance_id" {
  type        = string
  description = "web with a database: identifier of the RDS instance; adds the db-cpu and db-free-storage alarms and a database row on the dashboard. null: no database."
  default     = null

  validation {
    condition     = var.db_instance_id == null || can(regex("^[a-z][a-z0-9-]{0,62}$", var.db_instance_id))
    error_message = "db_instance_id must be null or an RDS instance identifier (lower-case letters, digits and hyphens, starting with a letter)."
  }
}

variable "db_cpu_threshold_percent" {
  type        = number
  description = "web with a database: the db-cpu alarm fires when the instance's average CPU stays above this for 15 minutes."
  default     = 80

  validation {
    condition     = var.db_cpu_threshold_percent > 0 && var.db_cpu_threshold_percent < 100
    error_message = "db_cpu_threshold_percent must be between 0 and 100 (exclusive)."
  }
}

variable "db_allocated_storage_gib" {
  type        = number
  description = "web with a database: the instance's allocated storage in GiB at creation (the database module's allocated_storage). The db-free-storage threshold is a share of it."
  default     = 20

  validation {
    condition     = var.db_allocated_storage_gib >= 20 && var.db_allocated_storage_gib <= 65536
    error_message = "db_allocated_storage_gib must be from 20 to 65536 GiB (gp3)."
  }
}

variable "db_free_storage_threshold_percent" {
  type        = number
  description = "web with a database: the db-free-storage alarm fires when free storage stays under this percentage of db_allocated_storage_gib for 10 minutes. Below 10, RDS storage autoscaling's trigger, so normal growth never pages."
  default     = 5

  validation {
    condition     = var.db_free_storage_threshold_percent > 0 && var.db_free_storage_threshold_percent < 10
    error_message = "db_free_storage_threshold_percent must be above 0 and below 10: storage autoscaling grows the volume at 10 % free, and a threshold there would page on every normal growth."
  }
}
