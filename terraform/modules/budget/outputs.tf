output "budget_name" {
  description = "Name of the budget (<name>-<environment>-monthly)."
  value       = aws_budgets_budget.this.name
}

output "budget_id" {
  description = "ID of the budget (<account id>:<budget name>)."
  value       = aws_budgets_budget.this.id
}

output "budget_arn" {
  description = "ARN of the budget."
  value       = aws_budgets_budget.this.arn
}

output "cost_allocation_tag_filter" {
  description = "The TagKeyValue filter the budget uses (user:stack$<name>-<environment>)."
  value       = local.stack_tag_filter
}

output "activated_cost_allocation_tags" {
  description = "Tag keys this module activated as cost allocation tags (empty unless activate_cost_allocation_tags)."
  value       = sort(keys(aws_ce_cost_allocation_tag.this))
}
