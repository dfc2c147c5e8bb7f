output "alarm_topic_arn" {
  description = "SNS topic every alarm of this environment notifies."
  value       = module.service.alarm_topic_arn
}

output "deploy_role_arn" {
  description = "IAM role GitHub Actions assumes (OIDC) to deploy this environment: variable AWS_DEPLOY_ROLE_ARN."
  value       = module.service.deploy_role_arn
}

output "plan_role_arn" {
  description = "Read-only IAM role GitHub Actions assumes (OIDC) to plan this environment: variable AWS_PLAN_ROLE_ARN."
  value       = module.service.plan_role_arn
}

output "ecr_repository_url" {
  description = "ECR repository CI pushes the service image to."
  value       = module.service.ecr_repository_url
}

output "dashboard_name" {
  description = "CloudWatch dashboard of this environment."
  value       = module.service.dashboard_name
}

output "migration" {
  description = "The one-off migration task scripts/deploy.py runs before each service update (null without a database)."
  value       = module.service.migration
}

output "image_tag" {
  description = "Container image tag this environment runs: pull request plans plan with it, so they show only their own changes."
  value       = var.image_tag
}
