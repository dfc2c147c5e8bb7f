output "role_arn" {
  description = "ARN of the deploy role (terraform apply, image push): role-to-assume of the environment's deploy job."
  value       = aws_iam_role.deploy.arn
}

output "role_name" {
  description = "Name of the deploy role (<name>-<environment>-deploy)."
  value       = aws_iam_role.deploy.name
}

output "plan_role_arn" {
  description = "ARN of the read-only plan role: role-to-assume of pull request plans and drift detection."
  value       = aws_iam_role.plan.arn
}

output "plan_role_name" {
  description = "Name of the plan role (<name>-<environment>-plan)."
  value       = aws_iam_role.plan.name
}

output "workload_boundary_arn" {
  description = "Permissions boundary every role of the stack must carry (the deploy role can only create roles with it)."
  value       = aws_iam_policy.workload_boundary.arn
}

output "oidc_provider_arn" {
  description = "ARN of the account's GitHub Actions OIDC identity provider (an account prerequisite the bootstrap creates; looked up here)."
  value       = data.aws_iam_openid_connect_provider.github.arn
}

output "github_subject" {
  description = "The sub claim the deploy role accepts (repo:<org>/<repo>:environment:<environment>)."
  value       = local.github_subject
}

output "plan_subjects" {
  description = "The sub claims the plan role accepts: the GitHub environment <environment>-plan and the default branch. Disjoint from github_subject."
  value       = local.plan_subjects
}
