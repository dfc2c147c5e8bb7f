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


variable "cidr_block" {
  type        = string
  description = "IPv4 CIDR of the VPC, /16 to /20. Split with cidrsubnet: the first three quarters hold one private subnet per AZ (/18 each for a /16), the last quarter the public and database subnets (/22 each for a /16)."
  default     = "10.0.0.0/16"

  validation {
    condition = try(
      can(regex("^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$", var.cidr_block)) &&
      cidrsubnet(var.cidr_block, 0, 0) == var.cidr_block &&
      tonumber(split("/", var.cidr_block)[1]) >= 16 &&
      tonumber(split("/", var.cidr_block)[1]) <= 20,
      false
    )
    error_message = "cidr_block must be an IPv4 network address in CIDR notation with a prefix from /16 to /20 (e.g. \"10.0.0.0/16\"; host bits must be zero)."
  }
}

variable "az_count" {
  type        = number
  description = "Number of Availability Zones to spread the subnets over: 2 or 3 (use 3 in prod)."
  default     = 3

  validation {
    condition     = contains([2, 3], var.az_count)
    error_message = "az_count must be 2 or 3."
  }
}

variable "azs" {
  type        = list(string)
  description = "Availability Zone names to use, in order (e.g. [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]); only the first az_count are used. Null: the first az_count existing zones among <region>a to <region>f, in name order."
  default     = null

  validation {
    condition = var.azs == null ? true : (
      length(var.azs) >= var.az_count &&
      length(distinct(var.azs)) == length(var.azs) &&
      alltrue([for az in var.azs : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+[a-z]$", az))])
    )
    error_message = "azs must be null or a list of at least az_count distinct Availability Zone names such as \"eu-west-1a\"."
  }
}

variable "nat_strategy" {
  type        = string
  description = "Internet egress for the private subnets: one_per_az (a NAT gateway per AZ, each private route table through its own AZ's NAT: survives an AZ failure), single (one NAT in the first AZ shared by every private subnet: cheaper, but egress of every AZ depends on that one AZ) or none (no NAT: private subnets have no internet egress; AWS APIs only through the gateway endpoints or interface endpoints you add)."
  default     = "one_per_az"

  validation {
    condition     = contains(["one_per_az", "single", "none"], var.nat_strategy)
    error_message = "nat_strategy must be one of: one_per_az, single, none."
  }
}

# BEGIN shared: kms_key_arn (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "kms_key_arn" {
  type        = string
  description = "ARN of the customer-managed KMS key (from the kms module) that encrypts the flow-log log group. Its key policy must let logs.<region>.amazonaws.com use it for log groups whose name contains <name>-<environment>."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias)."
  }
}
# END shared

variable "flow_log_retention_days" {
  type        = number
  description = "Retention of the VPC flow-log log group, in days (a value CloudWatch Logs accepts; 365 or more keeps a year of network evidence)."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be one of the CloudWatch Logs retention values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "flow_log_max_aggregation_interval" {
  type        = number
  description = "Seconds over which flow-log records are aggregated before delivery: 60 (finer, more records) or 600 (AWS default, cheaper)."
  default     = 60

  validation {
    condition     = contains([60, 600], var.flow_log_max_aggregation_interval)
    error_message = "flow_log_max_aggregation_interval must be 60 or 600."
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
