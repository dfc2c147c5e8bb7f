provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      service       = "invoice-events"
      owner         = "team-billing"
      environment   = "staging"
      "cost-center" = "cc-9012"
    }
  }
}

# In a generated service these come from the kms and event-consumer modules
# (module.kms.key_arn, module.event_consumer.queue_name, .dlq_name, .function_name, .function_dlq_name).
locals {
  kms_key_arn       = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  queue_name        = "invoice-events-staging"
  dlq_name          = "invoice-events-staging-dlq"
  function_name     = "invoice-events-staging"
  function_dlq_name = "invoice-events-staging-function-dlq"
}

module "observability" {
  source = "../../"

  name         = "invoice-events"
  environment  = "staging"
  service_type = "event"
  tags         = { component = "observability" }

  kms_key_arn = local.kms_key_arn
  # No e-mail subscriptions: the team's chat integration subscribes to alarm_topic_arn.
  alarm_emails = []
  runbook_url  = "https://github.com/example-org/invoice-events/blob/main/docs/runbook.md"

  queue_name                = local.queue_name
  dlq_name                  = local.dlq_name
  function_name             = local.function_name
  function_dlq_name         = local.function_dlq_name
  max_age_seconds_threshold = 300
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
