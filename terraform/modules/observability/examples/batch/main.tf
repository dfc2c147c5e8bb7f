provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      service       = "nightly-report"
      owner         = "team-data"
      environment   = "prod"
      "cost-center" = "cc-5678"
    }
  }
}

# In a generated service these come from the kms and batch-job modules
# (module.kms.key_arn, module.batch_job.log_group_name, module.batch_job.dlq_name).
locals {
  kms_key_arn    = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  log_group_name = "/ecs/nightly-report-prod"
  dlq_name       = "nightly-report-prod-scheduler-dlq"
}

module "observability" {
  source = "../../"

  name         = "nightly-report"
  environment  = "prod"
  service_type = "batch"
  tags         = { component = "observability" }

  kms_key_arn  = local.kms_key_arn
  alarm_emails = ["data-oncall@example.com", "data-team@example.com"]
  runbook_url  = "https://github.com/example-org/nightly-report/blob/main/docs/runbook.md"

  log_group_name = local.log_group_name
  # Runs daily; the heartbeat adds the attempts (3 x 45 min) and a 15-minute margin.
  schedule_interval_seconds = 86400
  timeout_minutes           = 45
  retries                   = 2
  dlq_name                  = local.dlq_name
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = module.observability.alarm_topic_arn
}

output "alarms" {
  description = "key => { name, anchor, severity } of every alarm that notifies."
  value       = module.observability.alarms
}

output "job_metric_namespace" {
  description = "Namespace of the job's success, failure and duration metrics."
  value       = module.observability.job_metric_namespace
}
