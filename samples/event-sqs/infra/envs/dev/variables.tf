variable "image_tag" {
  type        = string
  description = "Container image tag to deploy (the git commit SHA CI built and pushed)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a Docker tag (1-128 letters, digits, _ . -) and not \"latest\": deploy an immutable tag such as the commit SHA."
  }
}

variable "alarm_emails" {
  type        = list(string)
  description = "Email addresses subscribed to the alarm topic (each confirms the subscription)."
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alarm_emails must be email addresses."
  }
}

variable "state_bucket" {
  type        = string
  description = "S3 bucket holding this environment's state: null for the account's state bucket of the region (tfstate-<account id>-<region>, made by `make bootstrap`); set it (with STATE_BUCKET for scripts/deploy.py) only to use another bucket. The CI roles may read and write this environment's state in it."
  default     = null

  validation {
    condition     = var.state_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket must be null or an S3 bucket name: 3-63 lower-case letters, digits, '.' or '-'."
  }
}
