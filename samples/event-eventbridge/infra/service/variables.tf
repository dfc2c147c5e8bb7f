variable "environment" {
  type        = string
  description = "Environment this stack is: dev, staging or prod."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "vpc_cidr" {
  type        = string
  description = "IPv4 range of this environment's VPC (/16 to /20, from the spec's vpc_cidrs)."
}

variable "az_count" {
  type        = number
  description = "Availability zones the network spans (prod: 3)."

  validation {
    condition     = contains([2, 3], var.az_count)
    error_message = "az_count must be 2 or 3."
  }
}

variable "nat_strategy" {
  type        = string
  description = "NAT gateways: one_per_az (HA), single (cost; loses egress when its AZ fails) or none."

  validation {
    condition     = contains(["one_per_az", "single", "none"], var.nat_strategy)
    error_message = "nat_strategy must be one_per_az, single or none."
  }
}

variable "image_tag" {
  type        = string
  description = "Container image tag to deploy (immutable, e.g. the commit SHA)."
}

variable "alarm_emails" {
  type        = list(string)
  description = "Email addresses subscribed to the alarm topic."
  default     = []
}

variable "monthly_budget_usd" {
  type        = number
  description = "Monthly AWS cost budget of this environment in USD."

  validation {
    condition     = var.monthly_budget_usd >= 1
    error_message = "monthly_budget_usd must be at least 1."
  }
}

variable "state_bucket" {
  type        = string
  description = "S3 bucket of the Terraform state; null for the account's state bucket of the region (tfstate-<account id>-<region>)."
  default     = null
}

variable "deletion_protection" {
  type        = bool
  description = "Protect stateful and public-facing resources from deletion (on outside dev)."
}


variable "max_concurrency" {
  type        = number
  description = "Most concurrent Lambda invocations the queue drives."
}
