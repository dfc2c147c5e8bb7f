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


output "schedule_name" {
  description = "EventBridge Scheduler schedule that starts the job."
  value       = module.job.schedule_name
}

output "idempotency_table_name" {
  description = "DynamoDB table recording each scheduled run."
  value       = module.job.idempotency_table_name
}
