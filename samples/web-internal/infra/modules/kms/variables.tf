# BEGIN shared: name environment tags (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "name" {
  type        = string
  description = "Service name (lower-case kebab-case, 3-24 characters). Used in the alias and in the resource-name patterns the key policy grants AWS services."

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
  description = "Waiting period, in days, between scheduling the key for deletion and its deletion (AWS allows 7-30)."
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "producer_principal_arns" {
  type        = list(string)
  description = "IAM principals of other accounts that send to this service's queues or publish to its topics (the event-consumer module's producer_principal_arns). The key policy lets them use the key through SQS and SNS only, for the <name>-<environment> queues and topics: without it a cross-account producer cannot send to an encrypted queue."
  default     = []

  validation {
    condition     = alltrue([for a in var.producer_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+|user/.+)$", a))])
    error_message = "producer_principal_arns must be IAM ARNs: arn:aws:iam::<account>:root, arn:aws:iam::<account>:role/<name> or arn:aws:iam::<account>:user/<name>."
  }
}
