output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies."
  value       = module.observability.alarm_topic_arn
}

output "alarms" {
  description = "Every alarm that notifies: key => { name, anchor, severity }; the anchor is its runbook section."
  value       = module.observability.alarms
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the service."
  value       = module.observability.dashboard_name
}

output "deploy_role_arn" {
  description = "IAM role GitHub Actions assumes to apply (deploy jobs)."
  value       = module.ci_oidc.role_arn
}

output "plan_role_arn" {
  description = "Read-only IAM role GitHub Actions assumes to plan (pull requests, drift)."
  value       = module.ci_oidc.plan_role_arn
}

output "ecr_repository_url" {
  description = "ECR repository of the service image."
  value       = local.ecr_repository_url
}

output "vpc_id" {
  description = "VPC of the service."
  value       = module.network.vpc_id
}


output "migration" {
  description = "The one-off migration task the deploy runs before each service update (null without a database)."
  value       = module.web.migration
}

output "exec_log_group_name" {
  description = "Log group of the ECS Exec session transcripts (break-glass)."
  value       = module.web.exec_log_group_name
}

output "alb_dns_name" {
  description = "DNS name of the load balancer (point the service's DNS record at it)."
  value       = module.web.alb_dns_name
}

output "database_endpoint" {
  description = "Endpoint of the PostgreSQL instance."
  value       = module.database.endpoint
}
