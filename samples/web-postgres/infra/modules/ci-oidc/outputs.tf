output "role_arn" {
  description = "ARN of the deploy role: the workflow's role-to-assume (aws-actions/configure-aws-credentials)."
  value       = aws_iam_role.deploy.arn
}

output "role_name" {
  description = "Name of the deploy role (<name>-<environment>-deploy)."
  value       = aws_iam_role.deploy.name
}

output "oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC identity provider (created here or looked up)."
  value       = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn
}

output "github_subject" {
  description = "The sub claim the trust policy accepts (repo:<org>/<repo>:environment:<environment>)."
  value       = local.github_subject
}
