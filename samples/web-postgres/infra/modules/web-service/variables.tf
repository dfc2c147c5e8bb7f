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
  description = "ID of the VPC the load balancer, target group and security groups live in."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0a1b2c3d4e5f67890."
  }
}

variable "vpc_cidr_block" {
  type        = string
  description = "IPv4 CIDR block of the VPC. Used as the ALB ingress source when the ALB is internal and allowed_cidr_blocks is not set."

  validation {
    condition     = can(cidrhost(var.vpc_cidr_block, 0))
    error_message = "vpc_cidr_block must be an IPv4 CIDR block such as 10.0.0.0/16."
  }
}

variable "internet_facing" {
  type        = bool
  description = "true: internet-facing ALB in the public subnets; false: internal ALB in the private subnets."
  default     = true
}

variable "public_subnet_ids" {
  type        = list(string)
  description = "Public subnet IDs (at least 2, in different AZs) for an internet-facing ALB. Ignored when internet_facing = false."
  default     = []

  validation {
    condition     = alltrue([for s in var.public_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "public_subnet_ids must contain subnet IDs such as subnet-0a1b2c3d4e5f67890."
  }

  validation {
    condition     = var.internet_facing ? length(var.public_subnet_ids) >= 2 : true
    error_message = "public_subnet_ids must list at least 2 subnets (in different AZs) when internet_facing = true."
  }
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Private subnet IDs (at least 2, in different AZs, with a NAT route) for the ECS tasks and for an internal ALB."

  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "private_subnet_ids must list at least 2 subnet IDs such as subnet-0a1b2c3d4e5f67890."
  }
}

variable "allowed_cidr_blocks" {
  type        = list(string)
  description = "IPv4 CIDR blocks allowed to reach the ALB on 443/80. null (default) means [\"0.0.0.0/0\"] when internet-facing, else [vpc_cidr_block]."
  default     = null

  validation {
    condition     = var.allowed_cidr_blocks == null ? true : length(var.allowed_cidr_blocks) > 0 && alltrue([for c in var.allowed_cidr_blocks : can(cidrhost(c, 0))])
    error_message = "allowed_cidr_blocks must be null or a non-empty list of IPv4 CIDR blocks such as 203.0.113.0/24."
  }
}

variable "egress_cidr_blocks_postgres" {
  type        = list(string)
  description = "IPv4 CIDR blocks the tasks may reach on TCP 5432 (PostgreSQL), typically [vpc_cidr_block] when the service uses the database module. Empty = no database egress."
  default     = []

  validation {
    condition     = alltrue([for c in var.egress_cidr_blocks_postgres : can(cidrhost(c, 0))])
    error_message = "egress_cidr_blocks_postgres must contain IPv4 CIDR blocks such as 10.0.0.0/16."
  }
}

################################################################################
# Load balancer and WAF
################################################################################

variable "certificate_arn" {
  type        = string
  description = "ARN of the ACM certificate served by the HTTPS listener (must be in the same region as the ALB)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Enable deletion protection on the ALB. Set false only to tear an environment down."
  default     = true
}

variable "idle_timeout" {
  type        = number
  description = "ALB idle connection timeout in seconds (1-4000)."
  default     = 60

  validation {
    condition     = var.idle_timeout >= 1 && var.idle_timeout <= 4000 && floor(var.idle_timeout) == var.idle_timeout
    error_message = "idle_timeout must be a whole number of seconds between 1 and 4000."
  }
}

variable "access_logs_retention_days" {
  type        = number
  description = "Days after which ALB access log objects expire in the access-log bucket (noncurrent versions expire 30 days after becoming noncurrent)."
  default     = 90

  validation {
    condition     = var.access_logs_retention_days >= 1 && var.access_logs_retention_days <= 3650 && floor(var.access_logs_retention_days) == var.access_logs_retention_days
    error_message = "access_logs_retention_days must be a whole number between 1 and 3650."
  }
}

variable "access_logs_force_destroy" {
  type        = bool
  description = "Allow Terraform to delete the access-log bucket even when it still holds logs (dev teardown only)."
  default     = false
}

variable "rate_limit_per_5min" {
  type        = number
  description = "WAF rate-based rule: maximum requests per client IP in any 5-minute window before requests from that IP are blocked."
  default     = 2000

  validation {
    condition     = var.rate_limit_per_5min >= 10 && var.rate_limit_per_5min <= 2000000000 && floor(var.rate_limit_per_5min) == var.rate_limit_per_5min
    error_message = "rate_limit_per_5min must be a whole number between 10 and 2000000000 (WAF limits)."
  }
}

variable "waf_common_rule_set_count_rules" {
  type        = list(string)
  description = "Rule names inside AWSManagedRulesCommonRuleSet that count instead of block. Default: SizeRestrictions_BODY, which blocks every request body over 8 KB (most JSON APIs send larger ones); its matches are logged and counted in the WAF metrics. [] = every rule blocks."
  default     = ["SizeRestrictions_BODY"]

  validation {
    condition     = alltrue([for r in var.waf_common_rule_set_count_rules : can(regex("^[A-Za-z0-9_]+$", r))])
    error_message = "waf_common_rule_set_count_rules must contain rule names of AWSManagedRulesCommonRuleSet such as SizeRestrictions_BODY."
  }
}

variable "waf_anonymous_ip_list_count_rules" {
  type        = list(string)
  description = "Rule names inside AWSManagedRulesAnonymousIpList that count instead of block. Default: HostingProviderIPList, which blocks every caller on a hosting or cloud provider's IP range (server-to-server API clients); AnonymousIPList (VPNs, Tor, proxies) keeps blocking. [] = every rule blocks."
  default     = ["HostingProviderIPList"]

  validation {
    condition     = alltrue([for r in var.waf_anonymous_ip_list_count_rules : contains(["AnonymousIPList", "HostingProviderIPList"], r)])
    error_message = "waf_anonymous_ip_list_count_rules may only name the rules of AWSManagedRulesAnonymousIpList: AnonymousIPList, HostingProviderIPList."
  }
}

################################################################################
# Encryption and logs
################################################################################

# BEGIN shared: kms_key_arn (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "kms_key_arn" {
  type        = string
  description = "ARN of the customer-managed KMS key (from the kms module) that encrypts the ECR repository and the CloudWatch log groups. Its key policy must allow logs.<region>.amazonaws.com."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias)."
  }
}
# END shared

variable "log_retention_in_days" {
  type        = number
  description = "Retention of the application and WAF CloudWatch log groups, in days."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of the CloudWatch values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

################################################################################
# Container image
################################################################################

variable "image_tag" {
  type        = string
  description = "Tag of the image in this service's ECR repository to run (e.g. the git SHA). Tags are immutable, so \"latest\" is rejected."

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a Docker tag (letters, digits, _ . -, max 128 characters, not starting with . or -) and must not be \"latest\" (the repository is IMMUTABLE)."
  }
}

variable "ecr_image_retention_count" {
  type        = number
  description = "Number of most recent images kept in the ECR repository; older images are expired (untagged images expire after 7 days)."
  default     = 30

  validation {
    condition     = var.ecr_image_retention_count >= 1 && var.ecr_image_retention_count <= 1000 && floor(var.ecr_image_retention_count) == var.ecr_image_retention_count
    error_message = "ecr_image_retention_count must be a whole number between 1 and 1000."
  }
}

################################################################################
# Task
################################################################################

variable "cpu" {
  type        = number
  description = "Fargate task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be one of the Fargate values: 256, 512, 1024, 2048, 4096, 8192, 16384."
  }
}

variable "memory" {
  type        = number
  description = "Fargate task memory in MiB; must be a valid pair with cpu (256: 512/1024/2048; 512: 1024-4096; 1024: 2048-8192; 2048: 4096-16384 in 1024 steps; 4096: 8192-30720 in 1024 steps; 8192: 16384-61440 in 4096 steps; 16384: 32768-122880 in 8192 steps)."
  default     = 1024

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
    error_message = "memory is not valid for the chosen cpu. Fargate pairs: 256 -> 512, 1024, 2048; 512 -> 1024-4096 (1024 steps); 1024 -> 2048-8192 (1024 steps); 2048 -> 4096-16384 (1024 steps); 4096 -> 8192-30720 (1024 steps); 8192 -> 16384-61440 (4096 steps); 16384 -> 32768-122880 (8192 steps)."
  }
}

variable "cpu_architecture" {
  type        = string
  description = "CPU architecture of the task: X86_64 or ARM64 (Graviton, cheaper; the image must be built for it)."
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "container_port" {
  type        = number
  description = "Port the container listens on (HTTP). Must be >= 1024 because the container runs as a non-root user."
  default     = 8080

  validation {
    condition     = var.container_port >= 1024 && var.container_port <= 65535 && floor(var.container_port) == var.container_port
    error_message = "container_port must be a whole number between 1024 and 65535 (non-root users cannot bind privileged ports)."
  }
}

variable "health_path" {
  type        = string
  description = "HTTP path the ALB health check requests; must answer 200."
  default     = "/healthz"

  validation {
    condition     = can(regex("^/[A-Za-z0-9/._~%!$&'()*+,;=:@-]*$", var.health_path)) && length(var.health_path) <= 1024
    error_message = "health_path must be an absolute URL path starting with / (max 1024 characters), e.g. /healthz."
  }
}

variable "deregistration_delay" {
  type        = number
  description = "Seconds the target group keeps draining connections to a deregistering task (0-3600). Keep it <= stop_timeout-ish so deploys stay fast."
  default     = 30

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600 && floor(var.deregistration_delay) == var.deregistration_delay
    error_message = "deregistration_delay must be a whole number of seconds between 0 and 3600."
  }
}

variable "environment_variables" {
  type        = map(string)
  description = "Plain (non-secret) environment variables for the container, NAME => value."
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.environment_variables) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k))])
    error_message = "environment_variables keys must be valid variable names (letters, digits, underscore; not starting with a digit)."
  }
}

variable "secrets" {
  type        = map(string)
  description = "Secret environment variables, NAME => full ARN of an SSM parameter (arn:...:ssm:...:parameter/...) or a Secrets Manager secret (arn:...:secretsmanager:...:secret:name-AbCdEf, optionally with :json-key:version-stage:version-id). The execution role gets read access to exactly these."
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.secrets) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k))])
    error_message = "secrets keys must be valid variable names (letters, digits, underscore; not starting with a digit)."
  }

  validation {
    condition = alltrue([for v in values(var.secrets) : can(regex(
      "^arn:aws[a-z-]*:(ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+|secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+(:[^:]*:[^:]*:[^:]*)?)$", v
    ))])
    error_message = "secrets values must be full ARNs of SSM parameters (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME) or Secrets Manager secrets (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf[:json-key:version-stage:version-id])."
  }
}

variable "secrets_kms_key_arns" {
  type        = list(string)
  description = "Additional KMS key ARNs that encrypt the referenced secrets (kms_key_arn is always included). The execution role may use them only via SSM/Secrets Manager."
  default     = []

  validation {
    condition     = alltrue([for k in var.secrets_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", k))])
    error_message = "secrets_kms_key_arns must contain KMS key ARNs such as arn:aws:kms:eu-west-1:123456789012:key/12345678-1234-1234-1234-123456789012."
  }
}

variable "stop_timeout" {
  type        = number
  description = "Seconds ECS waits after SIGTERM before SIGKILL (Fargate maximum 120)."
  default     = 30

  validation {
    condition     = var.stop_timeout >= 2 && var.stop_timeout <= 120 && floor(var.stop_timeout) == var.stop_timeout
    error_message = "stop_timeout must be a whole number of seconds between 2 and 120."
  }
}

variable "migration" {
  type = object({
    command = list(string)
    secrets = optional(map(string), {})
  })
  description = "One-off migration task run before each service update (e.g. database migrations): the service's image and environment_variables with this command, plus secrets (NAME => Secrets Manager secret ARN, optionally with :json-key:version-stage:version-id) only this task's execution role may read. null: no migration task."
  default     = null

  validation {
    condition     = var.migration == null || try(length(var.migration.command) > 0, false)
    error_message = "migration.command must be a non-empty list, e.g. [\"python\", \"-m\", \"app.migrate\"]."
  }

  validation {
    condition = var.migration == null || alltrue([for v in values(try(var.migration.secrets, {})) : can(regex(
      "^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@!-]+(:[^:]*:[^:]*:[^:]*)?$", v
    ))])
    error_message = "migration.secrets values must be Secrets Manager secret ARNs (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME[:json-key:version-stage:version-id])."
  }
}

variable "enable_execute_command" {
  type        = bool
  description = "Break-glass: ECS Exec into the service's tasks (a shell through SSM; sessions are encrypted with kms_key_arn and transcribed to the exec log group). Keep false except during an incident: turning it on or off starts a new deployment."
  default     = false
}

variable "task_role_policy_json" {
  type        = list(string)
  description = "IAM policy documents (JSON) attached inline to the task role: only what the application itself calls (e.g. an rds-db:connect statement for the database module's iam_connect_arn_prefix). Empty = the app has no AWS permissions."
  default     = []

  validation {
    condition     = alltrue([for p in var.task_role_policy_json : can(jsondecode(p))])
    error_message = "task_role_policy_json must contain valid JSON IAM policy documents (use data.aws_iam_policy_document.x.json)."
  }
}

################################################################################
# ECS service and autoscaling
################################################################################

variable "container_insights" {
  type        = string
  description = "ECS cluster Container Insights mode: enabled or enhanced (enhanced adds task/container-level metrics at higher cost)."
  default     = "enabled"

  validation {
    condition     = contains(["enabled", "enhanced"], var.container_insights)
    error_message = "container_insights must be enabled or enhanced."
  }
}

variable "health_check_grace_period_seconds" {
  type        = number
  description = "Seconds ECS ignores failing ALB health checks after a task starts."
  default     = 60

  validation {
    condition     = var.health_check_grace_period_seconds >= 0 && var.health_check_grace_period_seconds <= 3600 && floor(var.health_check_grace_period_seconds) == var.health_check_grace_period_seconds
    error_message = "health_check_grace_period_seconds must be a whole number between 0 and 3600."
  }
}

variable "min_tasks" {
  type        = number
  description = "Minimum number of tasks (also the initial desired count). At least 2 so one AZ failure does not take the service down."
  default     = 2

  validation {
    condition     = var.min_tasks >= 2 && floor(var.min_tasks) == var.min_tasks
    error_message = "min_tasks must be a whole number >= 2 (one task per AZ)."
  }
}

variable "max_tasks" {
  type        = number
  description = "Maximum number of tasks autoscaling may run (>= min_tasks)."
  default     = 6

  validation {
    condition     = var.max_tasks >= var.min_tasks && var.max_tasks <= 1000 && floor(var.max_tasks) == var.max_tasks
    error_message = "max_tasks must be a whole number >= min_tasks and <= 1000."
  }
}

variable "cpu_target_percent" {
  type        = number
  description = "Target average CPU utilization (%) of the service for target-tracking autoscaling."
  default     = 60

  validation {
    condition     = var.cpu_target_percent >= 10 && var.cpu_target_percent <= 90
    error_message = "cpu_target_percent must be between 10 and 90."
  }
}

variable "memory_target_percent" {
  type        = number
  description = "Target average memory utilization (%) of the service for target-tracking autoscaling."
  default     = 70

  validation {
    condition     = var.memory_target_percent >= 10 && var.memory_target_percent <= 90
    error_message = "memory_target_percent must be between 10 and 90."
  }
}

variable "requests_per_target" {
  type        = number
  description = "Target ALBRequestCountPerTarget (requests per task per minute) for target-tracking autoscaling."
  default     = 500

  validation {
    condition     = var.requests_per_target >= 1 && var.requests_per_target <= 1000000
    error_message = "requests_per_target must be between 1 and 1000000."
  }
}

variable "scale_in_cooldown" {
  type        = number
  description = "Seconds after a scale-in before another scale-in may start."
  default     = 300

  validation {
    condition     = var.scale_in_cooldown >= 0 && var.scale_in_cooldown <= 3600
    error_message = "scale_in_cooldown must be between 0 and 3600 seconds."
  }
}

variable "scale_out_cooldown" {
  type        = number
  description = "Seconds after a scale-out before another scale-out may start."
  default     = 60

  validation {
    condition     = var.scale_out_cooldown >= 0 && var.scale_out_cooldown <= 3600
    error_message = "scale_out_cooldown must be between 0 and 3600 seconds."
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
