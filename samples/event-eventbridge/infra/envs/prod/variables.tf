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

variable "create_oidc_provider" {
  type        = bool
  description = "Create the account's GitHub OIDC provider (false when another stack in the account already did)."
  default     = true
}
