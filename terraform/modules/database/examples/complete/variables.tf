variable "region" {
  type        = string
  description = "AWS region to deploy the example into."
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC holding the database subnets (normally the vpc module's vpc_id output)."
  default     = "vpc-0a1b2c3d4e5f67890"

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0a1b2c3d4e5f67890."
  }
}

variable "database_subnet_group_name" {
  type        = string
  description = "DB subnet group over the isolated database subnets (normally the vpc module's database_subnet_group_name output)."
  default     = "orders-api-prod-database"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9 ._-]{0,254}$", var.database_subnet_group_name))
    error_message = "database_subnet_group_name must be a DB subnet group name."
  }
}

variable "app_security_group_id" {
  type        = string
  description = "Security group of the application tasks (normally the web-service module's service_security_group_id output)."
  default     = "sg-0a1b2c3d4e5f67890"

  validation {
    condition     = can(regex("^sg-[0-9a-f]{8,17}$", var.app_security_group_id))
    error_message = "app_security_group_id must be a security group ID."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "Customer-managed KMS key (normally the kms module's key_arn output)."
  default     = "arn:aws:kms:eu-west-1:123456789012:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}
