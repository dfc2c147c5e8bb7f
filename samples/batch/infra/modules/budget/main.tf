locals {
  prefix = "${var.name}-${var.environment}"

  # Cost Explorer's tag filter value is "user:<tag key>$<tag value>". Built with
  # format(): in an HCL string "$${" is the escape for a literal "${", so
  # "user:stack$${local.prefix}" would filter on that text, not the name. One tag names
  # service and environment together (stack = <name>-<environment>, from the provider's
  # default_tags): a budget's tag filter values are ORed, so filtering on service and
  # environment separately would sum every environment of the service (or every service of
  # the environment) in a shared account.
  stack_tag_filter = format("user:%s$%s", var.stack_tag_key, local.prefix)

  subscribers_sns = var.sns_topic_arn == null ? [] : [var.sns_topic_arn]

  # Early warning on the forecast, then the real overrun.
  notifications = {
    forecasted-80 = { type = "FORECASTED", threshold = 80 }
    actual-100    = { type = "ACTUAL", threshold = 100 }
  }

  # Tags that must be cost allocation tags for the filter above (and for per-service,
  # per-tenant or per-cost-center reports) to work. Until the stack tag is active, AWS
  # Budgets sees no cost for the filter and the budget reads 0 USD.
  cost_allocation_tags = distinct(["service", "environment", var.stack_tag_key, "cost-center", "tenant"])

  tags = merge(var.tags, { Module = "budget" })
}

resource "aws_budgets_budget" "this" {
  name         = "${local.prefix}-monthly"
  budget_type  = "COST"
  limit_amount = tostring(var.monthly_budget_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "TagKeyValue"
    values = [local.stack_tag_filter]
  }

  dynamic "cost_filter" {
    for_each = length(var.linked_account_ids) > 0 ? [var.linked_account_ids] : []

    content {
      name   = "LinkedAccount"
      values = cost_filter.value
    }
  }

  dynamic "notification" {
    for_each = local.notifications

    content {
      notification_type          = notification.value.type
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value.threshold
      threshold_type             = "PERCENTAGE"
      subscriber_email_addresses = var.alert_emails
      subscriber_sns_topic_arns  = local.subscribers_sns
    }
  }

  tags = merge(local.tags, { Name = "${local.prefix}-monthly" })
}

# Account-wide switches (one per tag key, not per service): keep them off in service
# stacks and turn them on once, in the management account.
resource "aws_ce_cost_allocation_tag" "this" {
  for_each = var.activate_cost_allocation_tags ? toset(local.cost_allocation_tags) : toset([])

  tag_key = each.value
  status  = "Active"
}
