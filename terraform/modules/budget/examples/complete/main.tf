provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      service       = "orders-api"
      owner         = "team-orders"
      environment   = "prod"
      "cost-center" = "cc-1234"
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

module "budget" {
  source = "../../"

  name               = "orders-api"
  environment        = "prod"
  monthly_budget_usd = 450
  alert_emails       = ["team-orders@example.com", "finops@example.com"]

  # The observability module's alarm topic (named <name>-<environment>-alarms, so the
  # kms module's key policy already lets budgets.amazonaws.com use its key).
  sns_topic_arn = "arn:aws:sns:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:orders-api-prod-alarms"

  # Account-wide: leave false in service stacks, turn on once in the payer account.
  activate_cost_allocation_tags = false
}

output "budget_name" {
  description = "Name of the budget."
  value       = module.budget.budget_name
}
