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

# In a generated service these come from the kms and web-service modules
# (module.kms.key_arn, module.web_service.alb_arn_suffix, module.web_service.target_group_arn_suffix).
locals {
  kms_key_arn             = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  alb_arn_suffix          = "app/orders-api-prod/50dc6c495c0c9188"
  target_group_arn_suffix = "targetgroup/orders-api-prod/943f017f100becff"
}

module "observability" {
  source = "../../"

  name         = "orders-api"
  environment  = "prod"
  service_type = "web"
  tags         = { component = "observability" }

  kms_key_arn  = local.kms_key_arn
  alarm_emails = ["orders-oncall@example.com"]
  runbook_url  = "https://github.com/example-org/orders-api/blob/main/docs/runbook.md"

  # 99.9 % over 30 days: 43.2 minutes of error budget.
  slo_availability = 99.9

  alb_arn_suffix                = local.alb_arn_suffix
  target_group_arn_suffix       = local.target_group_arn_suffix
  latency_p99_threshold_seconds = 1
  error_rate_threshold_percent  = 5
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = module.observability.alarm_topic_arn
}

output "alarms" {
  description = "key => { name, anchor, severity } of every alarm that notifies."
  value       = module.observability.alarms
}

output "dashboard_name" {
  description = "CloudWatch dashboard name."
  value       = module.observability.dashboard_name
}
