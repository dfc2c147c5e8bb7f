# BEGIN shared: name environment tags (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "name" {
  type        = string
  description = "Service name (lower-case kebab-case, 3-24 characters). Value of the `service` cost allocation tag the budget filters on."

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


variable "monthly_budget_usd" {
  type        = number
  description = "Monthly cost limit in USD for the resources of this stack: tagged <stack_tag_key> = <name>-<environment> (at least 1)."

  validation {
    condition     = var.monthly_budget_usd >= 1
    error_message = "monthly_budget_usd must be a number of USD >= 1."
  }
}

variable "alert_emails" {
  type        = list(string)
  description = "E-mail addresses notified at 80 % forecasted and 100 % actual spend (may be empty when sns_topic_arn is set; AWS Budgets allows at most 10)."
  default     = []

  validation {
    condition = length(var.alert_emails) <= 10 && alltrue([
      for e in var.alert_emails : can(regex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$", e))
    ])
    error_message = "alert_emails must be a list of at most 10 e-mail addresses such as \"team@example.com\"."
  }
}

variable "sns_topic_arn" {
  type        = string
  description = "Optional SNS topic notified at 80 % forecasted and 100 % actual spend (null: e-mail only). Its topic policy must allow budgets.amazonaws.com to sns:Publish, and, if it is KMS-encrypted, the key policy must let budgets.amazonaws.com use the key (the kms module does this for topics named <name>-<environment>*)."
  default     = null

  validation {
    condition     = var.sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.sns_topic_arn))
    error_message = "sns_topic_arn must be null or an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<topic>)."
  }

  validation {
    condition     = var.sns_topic_arn != null || length(var.alert_emails) > 0
    error_message = "Set at least one alert_emails address or an sns_topic_arn: a budget notification needs a subscriber."
  }
}

variable "linked_account_ids" {
  type        = list(string)
  description = "Optional member account IDs the budget is restricted to (LinkedAccount filter), for a budget created in the management account over the environment's own account. Empty: every account the budget's account can see (just itself for a member account)."
  default     = []

  validation {
    condition     = alltrue([for id in var.linked_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "linked_account_ids must be 12-digit AWS account IDs."
  }
}

variable "activate_cost_allocation_tags" {
  type        = bool
  description = "Activate the service, environment, cost-center and tenant tags as cost allocation tags (aws_ce_cost_allocation_tag). Account-wide: enable it in one root module only, in the management (payer) account, and only after the tags appear in billing data."
  default     = false
}

variable "stack_tag_key" {
  type        = string
  description = "Tag whose value is <name>-<environment> on every resource of the stack (the generated environments set stack through the provider's default_tags). The budget counts only those resources, once the tag is an active cost allocation tag."
  default     = "stack"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.:/=+@-]{1,128}$", var.stack_tag_key)) && !startswith(var.stack_tag_key, "aws:")
    error_message = "stack_tag_key must be a tag key of 1-128 letters, digits and _ . : / = + - @, not starting with aws:."
  }
}
