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
  description = "VPC to deploy into (normally the vpc module's vpc_id output)."
  default     = "vpc-0a1b2c3d4e5f67890"

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0a1b2c3d4e5f67890."
  }
}

variable "vpc_cidr_block" {
  type        = string
  description = "CIDR block of the VPC (normally the vpc module's vpc_cidr_block output)."
  default     = "10.20.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr_block, 0))
    error_message = "vpc_cidr_block must be an IPv4 CIDR block such as 10.20.0.0/16."
  }
}

variable "public_subnet_ids" {
  type        = list(string)
  description = "Public subnets, one per AZ (normally the vpc module's public_subnet_ids output)."
  default     = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"]

  validation {
    condition     = length(var.public_subnet_ids) >= 2 && alltrue([for s in var.public_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "public_subnet_ids must list at least 2 subnet IDs."
  }
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Private subnets, one per AZ (normally the vpc module's private_subnet_ids output)."
  default     = ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012", "subnet-0a1b2c3d4e5f60013"]

  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "private_subnet_ids must list at least 2 subnet IDs."
  }
}

variable "certificate_arn" {
  type        = string
  description = "ACM certificate for the service's hostname, in the same region."
  default     = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
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

variable "image_tag" {
  type        = string
  description = "Image tag to deploy (CI passes the git SHA)."
  default     = "3f9c2ab"

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be an immutable Docker tag, not latest."
  }
}
