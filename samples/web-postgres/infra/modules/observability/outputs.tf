output "alarm_topic_arn" {
  description = "ARN of the KMS-encrypted SNS topic every alarm notifies (alarm and OK). Subscribe paging or chat integrations to it."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_topic_name" {
  description = "Name of the alarm SNS topic (<name>-<environment>-alarms)."
  value       = aws_sns_topic.alarms.name
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard (<name>-<environment>)."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "dashboard_arn" {
  description = "ARN of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_arn
}

output "alarms" {
  description = "Every alarm that notifies, for the chosen service_type and options: key => { name, anchor, severity }. anchor is \"alarm-<key>\", the id of the alarm's section in the generated docs/runbook.md; severity is \"page\" or \"ticket\". For web the SLO entries are the composite alarms (slo-burn-fast, slo-burn-slow, slo-burn-ticket); their per-window children are in slo_window_alarms."
  value = {
    for k, a in local.alarm_catalog : k => {
      name     = local.notifying_alarms[k].name
      anchor   = a.anchor
      severity = a.severity
    }
  }
}

output "alarm_names" {
  description = "Names of the alarms in `alarms` (sorted by key): the alarms that notify. Excludes the SLO per-window children."
  value       = [for k in sort(keys(local.notifying_alarms)) : local.notifying_alarms[k].name]
}

output "alarm_arns" {
  description = "ARNs of the alarms in `alarms`, by key."
  value       = { for k, a in local.notifying_alarms : k => a.arn }
}

output "slo_window_alarms" {
  description = "web only (empty otherwise): the per-window SLO burn-rate alarms, key => { name, parent, window_seconds, threshold }. They have no actions; the composite named by parent notifies. threshold is the error ratio (fraction, not percent)."
  value = {
    for k, w in local.slo_windows : k => {
      name           = aws_cloudwatch_metric_alarm.slo_window[k].alarm_name
      parent         = w.parent
      window_seconds = w.period
      threshold      = w.threshold
    }
  }
}

output "job_metric_namespace" {
  description = "batch only (null otherwise): CloudWatch namespace of the metrics the log metric filters publish (JobRunSucceeded, JobRunFailed, JobRunDuration)."
  value       = local.is_batch ? local.job_metric_namespace : null
}

output "heartbeat_window_seconds" {
  description = "batch only (null otherwise): the window of the job-did-not-run alarm (schedule_interval_seconds + (retries + 1) x timeout_minutes + 15 minutes, rounded up to period x evaluation periods), or null when that is over 7 days and no heartbeat alarm exists."
  value       = local.heartbeat_enabled ? local.heartbeat_window_seconds : null
}
