################################################################################
# observability: one KMS-encrypted SNS alarm topic, the alarms of one service
# (web, batch or event), SLO burn-rate alerts for web, and a dashboard.
#
# Every alarm is defined as data in the locals below (one map per service type)
# and created by a for_each, so the `alarms` output, the alarm names and the
# runbook anchors cannot drift apart.
################################################################################

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  prefix = "${var.name}-${var.environment}"
  tags   = merge(var.tags, { Module = "observability" })

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
}

# BEGIN alarm-definitions (pure logic: no resource or data-source references)
locals {
  is_web   = var.service_type == "web"
  is_batch = var.service_type == "batch"
  is_event = var.service_type == "event"

  # Every per-type input is null for the other types; the definitions of all three types are
  # evaluated (only the chosen one is used), so numbers that may be null are coalesced here.
  schedule_interval_seconds = coalesce(var.schedule_interval_seconds, 60)
  timeout_minutes           = coalesce(var.timeout_minutes, 1)

  ##############################################################################
  # web: ALB metrics
  ##############################################################################

  alb_dimensions = { LoadBalancer = var.alb_arn_suffix }
  tg_dimensions  = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }

  # The ALB series of the availability SLI; `period` is filled in per use. Valid requests are
  # RequestCount plus the requests the load balancer rejected before choosing a target:
  # RequestCount only counts requests that reached a target, so with no registered or healthy
  # target (every request a 503 from the load balancer) it is not published at all, and a
  # ratio over RequestCount alone has no data exactly during a total outage. Rejected = ELB 5XX
  # minus the 502 and 504 the load balancer returns after choosing a target (those are in
  # RequestCount already). The 5XX metrics are not published while they are zero, hence
  # FILL(..., 0) on every series; with no traffic at all the ratio is 0 / 0, which CloudWatch
  # drops, and the alarms treat the missing datapoint as not breaching (idle = nothing failed).
  sli_metrics = {
    elb5xx    = { namespace = "AWS/ApplicationELB", metric_name = "HTTPCode_ELB_5XX_Count", stat = "Sum", dimensions = local.alb_dimensions }
    elb502    = { namespace = "AWS/ApplicationELB", metric_name = "HTTPCode_ELB_502_Count", stat = "Sum", dimensions = local.alb_dimensions }
    elb504    = { namespace = "AWS/ApplicationELB", metric_name = "HTTPCode_ELB_504_Count", stat = "Sum", dimensions = local.alb_dimensions }
    target5xx = { namespace = "AWS/ApplicationELB", metric_name = "HTTPCode_Target_5XX_Count", stat = "Sum", dimensions = local.alb_dimensions }
    requests  = { namespace = "AWS/ApplicationELB", metric_name = "RequestCount", stat = "Sum", dimensions = local.alb_dimensions }
  }
  sli_errors_expression  = "FILL(elb5xx, 0) + FILL(target5xx, 0)"
  sli_valid_expression   = "FILL(requests, 0) + FILL(elb5xx, 0) - FILL(elb502, 0) - FILL(elb504, 0)"
  error_ratio_expression = "(${local.sli_errors_expression}) / (${local.sli_valid_expression})"

  # Error budget as a fraction: 99.9 % -> 0.001 (and as text for metric-math expressions).
  error_budget      = (100 - var.slo_availability) / 100
  error_budget_text = format("%.6g", local.error_budget)

  # Multi-window, multi-burn-rate alerts (Google SRE workbook, ch. 5, table 5-8) for a
  # 30-day SLO window. Both windows of a pair must be over burn_rate x error_budget.
  # budget_spent = burn_rate x long window / 30 days: 14.4 x 1 h = 2 %, 6 x 6 h = 5 %, 1 x 3 d = 10 %.
  slo_alerts = {
    "slo-burn-fast" = {
      severity     = "page"
      burn_rate    = 14.4
      budget_spent = "2 %"
      long         = { label = "1h", text = "1 h", seconds = 3600 }
      short        = { label = "5m", text = "5 min", seconds = 300 }
    }
    "slo-burn-slow" = {
      severity     = "page"
      burn_rate    = 6
      budget_spent = "5 %"
      long         = { label = "6h", text = "6 h", seconds = 21600 }
      short        = { label = "30m", text = "30 min", seconds = 1800 }
    }
    "slo-burn-ticket" = {
      severity     = "ticket"
      burn_rate    = 1
      budget_spent = "10 %"
      long         = { label = "3d", text = "3 d", seconds = 259200 }
      short        = { label = "6h", text = "6 h", seconds = 21600 }
    }
  }

  # Threshold on the error ratio. Capped at 1 (100 % errors): below a 93.06 % SLO a 14.4x burn
  # would need more than 100 % errors, and the capped alarm still fires on a total outage.
  slo_thresholds = { for k, a in local.slo_alerts : k => min(1, tonumber(format("%.6g", a.burn_rate * local.error_budget))) }

  # The composites: keys of `alarms`, each notifying. Empty unless web.
  slo_composites = { for k, a in local.slo_alerts : k => a if local.is_web }

  # The per-window children: one metric-math alarm per window, period = the window and one
  # evaluation period, so the datapoint IS the error ratio over the whole window (CloudWatch's
  # default sliding evaluation window: it ends at the time of each evaluation). Within the CloudWatch limit of period x evaluation
  # periods <= 7 days (<= 1 day for periods under an hour): 5m, 30m -> 1 period < 1 day;
  # 1h, 6h, 3d -> 1 period <= 7 days. No actions: only the composite notifies.
  slo_windows = merge([
    for k, a in local.slo_composites : {
      for w in ["long", "short"] : "${k}-${a[w].label}" => {
        parent    = k
        window    = a[w].text
        period    = a[w].seconds
        burn_rate = a.burn_rate
        threshold = local.slo_thresholds[k]
      }
    }
  ]...)

  web_alarms = {
    "5xx-errors" = {
      severity            = "page"
      summary             = "More than ${var.error_rate_threshold_percent} % of the ALB's requests ended in a 5XX (ELB or target) in 3 of the last 5 minutes"
      comparison_operator = "GreaterThanThreshold"
      threshold           = var.error_rate_threshold_percent
      evaluation_periods  = 5
      datapoints_to_alarm = 3
      treat_missing_data  = "notBreaching"
      expression          = "100 * ${local.error_ratio_expression}"
      label               = "5XX error rate (%)"
      metrics             = { for id, m in local.sli_metrics : id => merge(m, { period = 60 }) }
    }
    "p99-latency" = {
      severity            = "ticket"
      summary             = "The ALB's p99 target response time was above ${var.latency_p99_threshold_seconds} s in 2 of the last 3 five-minute periods"
      comparison_operator = "GreaterThanThreshold"
      threshold           = var.latency_p99_threshold_seconds
      evaluation_periods  = 3
      datapoints_to_alarm = 2
      treat_missing_data  = "notBreaching"
      expression          = null
      label               = "TargetResponseTime p99 (s)"
      metrics = {
        latency = { namespace = "AWS/ApplicationELB", metric_name = "TargetResponseTime", stat = "p99", period = 300, dimensions = local.alb_dimensions }
      }
    }
    "unhealthy-hosts" = {
      severity            = "page"
      summary             = "The target group had an unhealthy target (UnHealthyHostCount > 0) or no healthy target (HealthyHostCount < 1) for 3 consecutive minutes"
      comparison_operator = "GreaterThanOrEqualToThreshold"
      threshold           = 1
      evaluation_periods  = 3
      datapoints_to_alarm = 3
      treat_missing_data  = "notBreaching"
      # 1 when either condition holds. A missing HealthyHostCount is filled with 1 (healthy):
      # ALB publishes nothing without traffic, and a silent ALB is not evidence of failure.
      expression = "IF(FILL(unhealthy, 0) > 0, 1, 0) + IF(FILL(healthy, 1) < 1, 1, 0)"
      label      = "Unhealthy or no healthy target (1 = yes)"
      metrics = {
        unhealthy = { namespace = "AWS/ApplicationELB", metric_name = "UnHealthyHostCount", stat = "Maximum", period = 60, dimensions = local.tg_dimensions }
        healthy   = { namespace = "AWS/ApplicationELB", metric_name = "HealthyHostCount", stat = "Minimum", period = 60, dimensions = local.tg_dimensions }
      }
    }
  }

  ##############################################################################
  # web with a database: the RDS instance (only when db_instance_id is set)
  ##############################################################################

  db_dimensions = { DBInstanceIdentifier = var.db_instance_id }

  # Storage autoscaling grows the volume when free space is under 10 % of the allocated storage
  # (for 5 minutes, at most once every 6 hours): a threshold at or above that would page on
  # every normal growth. This one sits below it, on the allocated storage at creation (after a
  # growth it is an even smaller share), so it only fires when autoscaling cannot keep up.
  db_free_storage_threshold_bytes = floor(var.db_allocated_storage_gib * 1073741824 * var.db_free_storage_threshold_percent / 100)
  db_free_storage_threshold_gib   = format("%.3g", local.db_free_storage_threshold_bytes / 1073741824)

  db_alarms_all = {
    "db-cpu" = {
      severity            = "ticket"
      summary             = "The database ${coalesce(var.db_instance_id, "-")} averaged more than ${var.db_cpu_threshold_percent} % CPU for 15 minutes: queries slow down and connections pile up"
      comparison_operator = "GreaterThanThreshold"
      threshold           = var.db_cpu_threshold_percent
      evaluation_periods  = 3
      datapoints_to_alarm = 3
      treat_missing_data  = "missing"
      expression          = null
      label               = "Database CPU (%)"
      metrics = {
        cpu = { namespace = "AWS/RDS", metric_name = "CPUUtilization", stat = "Average", period = 300, dimensions = local.db_dimensions }
      }
    }
    "db-free-storage" = {
      severity            = "page"
      summary             = "The database ${coalesce(var.db_instance_id, "-")} has less than ${var.db_free_storage_threshold_percent} % of its ${var.db_allocated_storage_gib} GiB allocated storage free (${local.db_free_storage_threshold_gib} GiB), below the 10 % at which storage autoscaling grows the volume: autoscaling is at its maximum, waiting out its 6-hour cooldown or failing, and writes stop when storage runs out"
      comparison_operator = "LessThanThreshold"
      threshold           = local.db_free_storage_threshold_bytes
      evaluation_periods  = 2
      datapoints_to_alarm = 2
      treat_missing_data  = "missing"
      expression          = null
      label               = "Free storage (bytes)"
      metrics = {
        free = { namespace = "AWS/RDS", metric_name = "FreeStorageSpace", stat = "Minimum", period = 300, dimensions = local.db_dimensions }
      }
    }
  }
  db_alarms = { for k, v in local.db_alarms_all : k => v if local.is_web && var.db_instance_id != null }

  ##############################################################################
  # batch: metrics from the job's "run finished" log line
  ##############################################################################

  job_metric_namespace = "${var.name}/${var.environment}"

  job_metric_filters = {
    run-succeeded = {
      metric_name = "JobRunSucceeded"
      pattern     = "{ ($.message = \"run finished\") && ($.exit_code = 0) }"
      value       = "1"
      unit        = "Count"
    }
    run-failed = {
      metric_name = "JobRunFailed"
      # 75 = another live attempt already holds the run (a duplicate delivery): not a failure.
      pattern = "{ ($.message = \"run finished\") && ($.exit_code != 0) && ($.exit_code != 75) }"
      value   = "1"
      unit    = "Count"
    }
    run-duration = {
      metric_name = "JobRunDuration"
      pattern     = "{ $.message = \"run finished\" }"
      value       = "$.duration_seconds"
      unit        = "Seconds"
    }
  }

  job_duration_threshold_seconds = local.timeout_minutes * 60 * 0.8

  # Heartbeat: "no successful run in the last W seconds", W = the longest gap between two
  # successes of a healthy job: one schedule interval, plus every attempt the scheduler may
  # make running to its timeout (a run that starts late, fails and is retried), plus a margin
  # for scheduler jitter and log-to-metric delivery. As N periods of P seconds that must ALL
  # breach, N x P >= W within the CloudWatch evaluation limit (<= 1 day when P < 1 h,
  # <= 7 days otherwise); the window slides by P:
  #   W <= 1 h  -> P = 1 min (N <= 60);  W <= 1 day -> P = 5 min (N <= 288);
  #   W <= 7 d  -> P = 1 h  (N <= 168);  W >  7 d   -> no heartbeat alarm (cannot be expressed).
  # The expression counts every period before the alarm was armed (the first apply, or
  # heartbeat_armed_at) as a success, so a new environment pages only when no run succeeded
  # for W after it was created, not before its first scheduled run. {armed_at} is replaced by
  # that time (seconds since the epoch) where the alarm is created.
  retries                  = coalesce(var.retries, 0)
  heartbeat_margin_seconds = 900
  heartbeat_min_window     = local.schedule_interval_seconds + local.timeout_minutes * 60 * (local.retries + 1) + local.heartbeat_margin_seconds
  heartbeat_period = (
    local.heartbeat_min_window <= 3600 ? 60 :
    local.heartbeat_min_window <= 86400 ? 300 : 3600
  )
  heartbeat_evaluation_periods = ceil(local.heartbeat_min_window / local.heartbeat_period)
  heartbeat_window_seconds     = local.heartbeat_period * local.heartbeat_evaluation_periods
  heartbeat_enabled            = local.is_batch && local.heartbeat_window_seconds <= 604800
  heartbeat_window_text = (
    local.heartbeat_window_seconds % 86400 == 0 ? "${local.heartbeat_window_seconds / 86400} d" :
    local.heartbeat_window_seconds % 3600 == 0 ? "${local.heartbeat_window_seconds / 3600} h" :
    "${local.heartbeat_window_seconds / 60} min"
  )
  heartbeat_expression = "IF(EPOCH(succeeded) < {armed_at}, 1, FILL(succeeded, 0))"

  job_metric = { namespace = local.job_metric_namespace, dimensions = {} }

  batch_alarms_all = {
    "job-failed" = {
      severity            = "page"
      summary             = "A run of the job finished with a non-zero exit code (JobRunFailed >= 1 in 5 minutes)"
      comparison_operator = "GreaterThanOrEqualToThreshold"
      threshold           = 1
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      treat_missing_data  = "notBreaching"
      expression          = null
      label               = "Failed runs"
      metrics = {
        failed = merge(local.job_metric, { metric_name = "JobRunFailed", stat = "Sum", period = 300 })
      }
    }
    "job-duration" = {
      severity            = "ticket"
      summary             = "A run took longer than 80 % of the job's ${local.timeout_minutes}-minute timeout (${local.job_duration_threshold_seconds} s): it is close to being killed"
      comparison_operator = "GreaterThanThreshold"
      threshold           = local.job_duration_threshold_seconds
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      treat_missing_data  = "notBreaching"
      expression          = null
      label               = "Longest run (s)"
      metrics = {
        duration = merge(local.job_metric, { metric_name = "JobRunDuration", stat = "Maximum", period = 300 })
      }
    }
    "job-did-not-run" = {
      severity            = "page"
      summary             = "No run of the job succeeded in the last ${local.heartbeat_window_text} (one schedule interval, ${local.retries + 1} attempts up to the ${local.timeout_minutes}-minute timeout and a 15-minute margin; counted from when the alarm was armed)"
      comparison_operator = "LessThanThreshold"
      threshold           = 1
      evaluation_periods  = local.heartbeat_evaluation_periods
      datapoints_to_alarm = local.heartbeat_evaluation_periods
      treat_missing_data  = "breaching"
      expression          = local.heartbeat_expression
      label               = "Successful runs (1 before the alarm was armed)"
      metrics = {
        succeeded = merge(local.job_metric, { metric_name = "JobRunSucceeded", stat = "Sum", period = local.heartbeat_period })
      }
    }
    "scheduler-dlq" = {
      severity            = "ticket"
      summary             = "EventBridge Scheduler could not start the job and sent the invocation to its dead-letter queue ${coalesce(var.dlq_name, "-")}"
      comparison_operator = "GreaterThanThreshold"
      threshold           = 0
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      treat_missing_data  = "notBreaching"
      expression          = null
      label               = "Messages in the scheduler DLQ"
      metrics = {
        visible = { namespace = "AWS/SQS", metric_name = "ApproximateNumberOfMessagesVisible", stat = "Maximum", period = 300, dimensions = { QueueName = var.dlq_name } }
      }
    }
  }
  batch_alarms = { for k, v in local.batch_alarms_all : k => v if k != "job-did-not-run" || local.heartbeat_enabled }

  ##############################################################################
  # event: SQS source queue, its DLQ, the Lambda consumer and its DLQ
  ##############################################################################

  event_alarms = {
    "queue-age" = {
      severity            = "page"
      summary             = "The oldest message in ${coalesce(var.queue_name, "-")} has waited more than ${var.max_age_seconds_threshold} s for 3 consecutive minutes: the consumer is stuck, failing or too slow"
      comparison_operator = "GreaterThanThreshold"
      threshold           = var.max_age_seconds_threshold
      evaluation_periods  = 3
      datapoints_to_alarm = 3
      treat_missing_data  = "notBreaching"
      expression          = null
      label               = "Age of oldest message (s)"
      metrics = {
        age = { namespace = "AWS/SQS", metric_name = "ApproximateAgeOfOldestMessage", stat = "Maximum", period = 60, dimensions = { QueueName = var.queue_name } }
      }
    }
    "dlq-depth" = {
      severity            = "ticket"
      summary             = "Messages from ${coalesce(var.queue_name, "-")} exhausted their receives and are in the dead-letter queue ${coalesce(var.dlq_name, "-")}"
      comparison_operator = "GreaterThanThreshold"
      threshold           = 0
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      treat_missing_data  = "notBreaching"
      expression          = null
      label               = "Messages in the DLQ"
      metrics = {
        visible = { namespace = "AWS/SQS", metric_name = "ApproximateNumberOfMessagesVisible", stat = "Maximum", period = 300, dimensions = { QueueName = var.dlq_name } }
      }
    }
    "lambda-errors" = {
      severity            = "ticket"
      summary             = "The function ${coalesce(var.function_name, "-")} returned errors (Errors > 0 in 5 minutes); the failed messages are retried and end in the DLQ if they keep failing"
      comparison_operator = "GreaterThanThreshold"
      threshold           = 0
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      treat_missing_data  = "notBreaching"
      expression          = null
      label               = "Errors"
      metrics = {
        errors = { namespace = "AWS/Lambda", metric_name = "Errors", stat = "Sum", period = 300, dimensions = { FunctionName = var.function_name } }
      }
    }
    "lambda-throttles" = {
      severity            = "ticket"
      summary             = "Invocations of ${coalesce(var.function_name, "-")} were throttled (Throttles > 0 in 5 minutes): its reserved or the account's concurrency is exhausted"
      comparison_operator = "GreaterThanThreshold"
      threshold           = 0
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      treat_missing_data  = "notBreaching"
      expression          = null
      label               = "Throttles"
      metrics = {
        throttles = { namespace = "AWS/Lambda", metric_name = "Throttles", stat = "Sum", period = 300, dimensions = { FunctionName = var.function_name } }
      }
    }
    "function-dlq-depth" = {
      severity            = "ticket"
      summary             = "Failed asynchronous invocations of ${coalesce(var.function_name, "-")} are in its dead-letter queue ${coalesce(var.function_dlq_name, "-")}"
      comparison_operator = "GreaterThanThreshold"
      threshold           = 0
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      treat_missing_data  = "notBreaching"
      expression          = null
      label               = "Messages in the function DLQ"
      metrics = {
        visible = { namespace = "AWS/SQS", metric_name = "ApproximateNumberOfMessagesVisible", stat = "Maximum", period = 300, dimensions = { QueueName = var.function_dlq_name } }
      }
    }
  }

  ##############################################################################
  # The chosen type
  ##############################################################################

  metric_alarms = {
    web   = merge(local.web_alarms, local.db_alarms)
    batch = local.batch_alarms
    event = local.event_alarms
  }[var.service_type]

  # "<what it means>. Severity: page|ticket. Runbook: <runbook_url>#alarm-<key>"
  metric_alarm_descriptions = {
    for k, a in local.metric_alarms : k => "${a.summary}. Severity: ${a.severity}. Runbook: ${var.runbook_url}#alarm-${k}"
  }
  slo_composite_descriptions = {
    for k, a in local.slo_composites : k => format(
      "The availability SLO (%s %% over 30 days) error budget is burning at %sx or faster: error ratio >= %.4g %% over both the last %s and the last %s (%s of the 30-day budget spent in %s). Severity: %s. Runbook: %s#alarm-%s",
      var.slo_availability, a.burn_rate, local.slo_thresholds[k] * 100, a.long.text, a.short.text, a.budget_spent, a.long.text, a.severity, var.runbook_url, k
    )
  }
  slo_window_descriptions = {
    for k, w in local.slo_windows : k => format(
      "Error ratio (ELB 5XX + target 5XX) / (RequestCount + requests rejected before a target) over the last %s >= %.4g %% (%sx burn of the %s %% SLO). Child of %s, no actions: only the composite notifies. Severity: none. Runbook: %s#alarm-%s",
      w.window, w.threshold * 100, w.burn_rate, var.slo_availability, w.parent, var.runbook_url, w.parent
    )
  }

  # The contract with the generated runbook: one section with the anchor alarm-<key> per alarm that notifies.
  # The per-window SLO children do not notify and are not listed (see slo_window_alarms).
  alarm_catalog = merge(
    { for k, a in local.metric_alarms : k => { severity = a.severity, anchor = "alarm-${k}" } },
    { for k, a in local.slo_composites : k => { severity = a.severity, anchor = "alarm-${k}" } },
  )
}
# END alarm-definitions

################################################################################
# Alarm topic
################################################################################

resource "aws_sns_topic" "alarms" {
  name              = "${local.prefix}-alarms"
  display_name      = "${local.prefix} alarms"
  kms_master_key_id = var.kms_key_arn

  tags = local.tags
}

data "aws_iam_policy_document" "alarm_topic" {
  statement {
    sid       = "AllowCloudWatchAlarmsOfThisServiceToPublish"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    # Confused-deputy protection: only alarms of this account, region and service.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${local.prefix}-*"]
    }
  }

  # The budget module sends the service's cost alerts to this topic too.
  statement {
    sid       = "AllowBudgetsOfThisAccountToPublish"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["budgets.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:budgets::${local.account_id}:*"]
    }
  }

  statement {
    sid       = "DenyPublishWithoutTLS"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarm_topic.json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

################################################################################
# batch: metric filters on the job's "run finished" line
################################################################################

resource "aws_cloudwatch_log_metric_filter" "job" {
  for_each = local.is_batch ? local.job_metric_filters : {}

  name           = "${local.prefix}-${each.key}"
  log_group_name = var.log_group_name
  pattern        = each.value.pattern

  metric_transformation {
    name      = each.value.metric_name
    namespace = local.job_metric_namespace
    value     = each.value.value
    unit      = each.value.unit
  }
}

# batch: when the heartbeat was armed. Recorded once, at the first apply (plantimestamp() is
# the plan's time; ignore_changes keeps the first one), unless heartbeat_armed_at says when.
resource "terraform_data" "heartbeat_armed_at" {
  count = local.heartbeat_enabled && var.heartbeat_armed_at == null ? 1 : 0

  input = plantimestamp()

  lifecycle {
    ignore_changes = [input]
  }
}

locals {
  heartbeat_armed_at = coalesce(var.heartbeat_armed_at, try(terraform_data.heartbeat_armed_at[0].input, null), "1970-01-01T00:00:00Z")

  # Seconds since the epoch of that UTC timestamp (Terraform has no such function): the
  # days-from-civil algorithm (H. Hinnant) on its date, plus the time of day.
  armed_parts = { for k, f in { y = "YYYY", mo = "M", d = "D", h = "h", mi = "m", s = "s" } : k => tonumber(formatdate(f, local.heartbeat_armed_at)) }
  armed_year  = local.armed_parts.y - (local.armed_parts.mo <= 2 ? 1 : 0)
  armed_era   = floor(local.armed_year / 400)
  armed_yoe   = local.armed_year - local.armed_era * 400
  armed_doy   = floor((153 * ((local.armed_parts.mo + 9) % 12) + 2) / 5) + local.armed_parts.d - 1
  armed_doe   = local.armed_yoe * 365 + floor(local.armed_yoe / 4) - floor(local.armed_yoe / 100) + local.armed_doy
  armed_days  = local.armed_era * 146097 + local.armed_doe - 719468

  heartbeat_armed_epoch = local.armed_days * 86400 + local.armed_parts.h * 3600 + local.armed_parts.mi * 60 + local.armed_parts.s
}

# CloudWatch alarms cannot look back more than 7 days; say so at every plan instead of
# creating a heartbeat that would fire between every two runs.
check "batch_heartbeat_coverage" {
  assert {
    condition     = !local.is_batch || local.heartbeat_enabled
    error_message = "The heartbeat window (schedule_interval_seconds = ${local.schedule_interval_seconds} plus ${local.retries + 1} attempts of up to ${local.timeout_minutes} minutes and a 15-minute margin) is longer than 7 days, the longest range a CloudWatch alarm can evaluate: no job-did-not-run heartbeat alarm is created. job-failed and scheduler-dlq still alarm; cover the missing-run case with an external dead-man's switch."
  }
}

################################################################################
# Alarms
################################################################################

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.metric_alarms

  alarm_name          = "${local.prefix}-${each.key}"
  alarm_description   = local.metric_alarm_descriptions[each.key]
  comparison_operator = each.value.comparison_operator
  threshold           = each.value.threshold
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.datapoints_to_alarm
  treat_missing_data  = each.value.treat_missing_data

  # A single metric returns the data itself; with an expression, the metrics feed it.
  dynamic "metric_query" {
    for_each = each.value.metrics

    content {
      id          = metric_query.key
      return_data = each.value.expression == null
      label       = each.value.expression == null ? each.value.label : null

      metric {
        namespace   = metric_query.value.namespace
        metric_name = metric_query.value.metric_name
        stat        = metric_query.value.stat
        period      = metric_query.value.period
        dimensions  = metric_query.value.dimensions
      }
    }
  }

  dynamic "metric_query" {
    for_each = each.value.expression == null ? [] : [each.value.expression]

    content {
      id          = "e1"
      expression  = replace(metric_query.value, "{armed_at}", tostring(local.heartbeat_armed_epoch))
      label       = each.value.label
      return_data = true
    }
  }

  # Ticket-severity alarms notify the same topic; the severity is in the description.
  actions_enabled = true
  alarm_actions   = [aws_sns_topic.alarms.arn]
  ok_actions      = [aws_sns_topic.alarms.arn]

  tags = local.tags

  # The topic policy first, so that the first state change can already publish; batch alarms
  # watch metrics that the filters create.
  depends_on = [aws_sns_topic_policy.alarms, aws_cloudwatch_log_metric_filter.job]
}

# web: one metric-math alarm per burn-rate window. No alarm_actions / ok_actions: they only
# feed the composites below (actions_enabled stays at its default so that a future action
# would not be silently disabled).
resource "aws_cloudwatch_metric_alarm" "slo_window" {
  for_each = local.slo_windows

  alarm_name          = "${local.prefix}-${each.key}"
  alarm_description   = local.slo_window_descriptions[each.key]
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = each.value.threshold
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  treat_missing_data  = "notBreaching"

  dynamic "metric_query" {
    for_each = local.sli_metrics

    content {
      id          = metric_query.key
      return_data = false

      metric {
        namespace   = metric_query.value.namespace
        metric_name = metric_query.value.metric_name
        stat        = metric_query.value.stat
        period      = each.value.period
        dimensions  = metric_query.value.dimensions
      }
    }
  }

  metric_query {
    id          = "e1"
    expression  = local.error_ratio_expression
    label       = "Error ratio over ${each.value.window}"
    return_data = true
  }

  tags = local.tags
}

# web: page/ticket only when BOTH windows of a pair burn (long = enough budget is gone,
# short = it is still burning now, so the alert resets quickly after recovery).
resource "aws_cloudwatch_composite_alarm" "slo_burn" {
  for_each = local.slo_composites

  alarm_name        = "${local.prefix}-${each.key}"
  alarm_description = local.slo_composite_descriptions[each.key]
  alarm_rule = join(" AND ", [
    for w in ["long", "short"] : "ALARM(\"${aws_cloudwatch_metric_alarm.slo_window["${each.key}-${each.value[w].label}"].alarm_name}\")"
  ])

  actions_enabled = true
  alarm_actions   = [aws_sns_topic.alarms.arn]
  ok_actions      = [aws_sns_topic.alarms.arn]

  tags = local.tags

  depends_on = [aws_sns_topic_policy.alarms]
}

################################################################################
# Dashboard
################################################################################

locals {
  # The alarms that notify (the keys of local.alarm_catalog), as created.
  notifying_alarms = merge(
    { for k, a in aws_cloudwatch_metric_alarm.this : k => { name = a.alarm_name, arn = a.arn } },
    { for k, a in aws_cloudwatch_composite_alarm.slo_burn : k => { name = a.alarm_name, arn = a.arn } },
  )
  alarm_arns = [for k in sort(keys(local.notifying_alarms)) : local.notifying_alarms[k].arn]

  header_widget = {
    type   = "text"
    x      = 0
    y      = 0
    width  = 24
    height = 2
    properties = {
      markdown = "## ${local.prefix} (${var.service_type})\nAlarms notify the SNS topic `${aws_sns_topic.alarms.name}`. Every alarm description links to its section of the [runbook](${var.runbook_url})."
    }
  }

  alarm_status_widget = {
    type   = "alarm"
    x      = 0
    y      = 14
    width  = 24
    height = 4
    properties = {
      title  = "Alarms"
      alarms = local.alarm_arns
    }
  }

  # Metric rows for the SLI expressions: [namespace, metric, dim, value, ..., { id, stat, visible }].
  sli_metric_rows = [
    for id, m in local.sli_metrics : concat(
      [m.namespace, m.metric_name],
      flatten([for d, v in m.dimensions : [d, v]]),
      [{ id = id, stat = m.stat, visible = false }],
    )
  ]

  web_widgets = [
    {
      type   = "metric"
      x      = 0
      y      = 2
      width  = 12
      height = 6
      properties = {
        title   = "Availability SLI (%): 1 - (ELB 5XX + target 5XX) / valid requests"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 300
        metrics = concat(
          [[{ id = "sli", expression = "100 * (1 - ${local.error_ratio_expression})", label = "Availability (%)" }]],
          local.sli_metric_rows,
        )
        annotations = { horizontal = [{ label = "SLO ${var.slo_availability} %", value = var.slo_availability }] }
        yAxis       = { left = { max = 100, showUnits = false } }
      }
    },
    {
      type   = "metric"
      x      = 12
      y      = 2
      width  = 6
      height = 6
      properties = {
        title                = "Error budget remaining, last 30 days (%)"
        region               = local.region
        view                 = "singleValue"
        start                = "-P30D"
        setPeriodToTimeRange = true
        period               = 86400
        metrics = concat(
          [
            [{ id = "budget", expression = "100 * (1 - (${local.error_ratio_expression}) / ${local.error_budget_text})", label = "Error budget remaining (%)" }],
            [{ id = "sli30d", expression = "100 * (1 - ${local.error_ratio_expression})", label = "Availability, 30 days (%)" }],
          ],
          local.sli_metric_rows,
        )
      }
    },
    {
      type   = "metric"
      x      = 18
      y      = 2
      width  = 6
      height = 6
      properties = {
        title   = "Burn rate (1 h periods)"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 3600
        metrics = concat(
          [[{ id = "burn", expression = "(${local.error_ratio_expression}) / ${local.error_budget_text}", label = "Burn rate (x budget)" }]],
          local.sli_metric_rows,
        )
        annotations = {
          horizontal = [for k, a in local.slo_alerts : { label = "${k} (${a.burn_rate}x)", value = a.burn_rate }]
        }
        yAxis = { left = { min = 0, showUnits = false } }
      }
    },
    {
      type   = "metric"
      x      = 0
      y      = 8
      width  = 8
      height = 6
      properties = {
        title   = "Requests and 5XX"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 60
        stat    = "Sum"
        metrics = [
          ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.alb_arn_suffix, { label = "Requests" }],
          ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", var.alb_arn_suffix, { label = "Target 5XX", yAxis = "right" }],
          ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", var.alb_arn_suffix, { label = "ELB 5XX", yAxis = "right" }],
        ]
      }
    },
    {
      type   = "metric"
      x      = 8
      y      = 8
      width  = 8
      height = 6
      properties = {
        title   = "Target response time (s)"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 60
        metrics = [
          for p in ["p50", "p90", "p99"] : ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.alb_arn_suffix, { stat = p, label = p }]
        ]
        annotations = { horizontal = [{ label = "p99-latency threshold", value = var.latency_p99_threshold_seconds }] }
      }
    },
    {
      type   = "metric"
      x      = 16
      y      = 8
      width  = 8
      height = 6
      properties = {
        title   = "Targets"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 60
        metrics = [
          ["AWS/ApplicationELB", "HealthyHostCount", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffix, { stat = "Minimum", label = "Healthy (min)" }],
          ["AWS/ApplicationELB", "UnHealthyHostCount", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffix, { stat = "Maximum", label = "Unhealthy (max)" }],
        ]
      }
    },
  ]

  job_graph_period = local.schedule_interval_seconds < 3600 ? 300 : 3600

  batch_widgets = [
    {
      type   = "metric"
      x      = 0
      y      = 2
      width  = 8
      height = 6
      properties = {
        title   = "Runs: succeeded / failed"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = local.job_graph_period
        stat    = "Sum"
        metrics = [
          [local.job_metric_namespace, "JobRunSucceeded", { label = "Succeeded", color = "#2ca02c" }],
          [local.job_metric_namespace, "JobRunFailed", { label = "Failed", color = "#d62728" }],
        ]
        yAxis = { left = { min = 0 } }
      }
    },
    {
      type   = "metric"
      x      = 8
      y      = 2
      width  = 8
      height = 6
      properties = {
        title   = "Run duration (s)"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = local.job_graph_period
        metrics = [
          [local.job_metric_namespace, "JobRunDuration", { stat = "Maximum", label = "Longest" }],
          [local.job_metric_namespace, "JobRunDuration", { stat = "Average", label = "Average" }],
        ]
        annotations = {
          horizontal = [
            { label = "job-duration (80 % of timeout)", value = local.job_duration_threshold_seconds },
            { label = "Timeout", value = local.timeout_minutes * 60 },
          ]
        }
        yAxis = { left = { min = 0 } }
      }
    },
    {
      type   = "metric"
      x      = 16
      y      = 2
      width  = 8
      height = 6
      properties = {
        title   = "Scheduler dead-letter queue"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 300
        metrics = [
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", coalesce(var.dlq_name, "-"), { stat = "Maximum", label = "Messages visible" }],
        ]
        yAxis = { left = { min = 0 } }
      }
    },
    {
      type   = "log"
      x      = 0
      y      = 8
      width  = 24
      height = 6
      properties = {
        title  = "Latest runs (\"run finished\" lines)"
        region = local.region
        view   = "table"
        query  = "SOURCE '${coalesce(var.log_group_name, "-")}' | fields @timestamp, exit_code, outcome, duration_seconds, run_id | filter message = \"run finished\" | sort @timestamp desc | limit 50"
      }
    },
  ]

  event_widgets = [
    {
      type   = "metric"
      x      = 0
      y      = 2
      width  = 8
      height = 6
      properties = {
        title   = "Age of oldest message (s)"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 60
        metrics = [
          ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", coalesce(var.queue_name, "-"), { stat = "Maximum", label = "Source queue" }],
        ]
        annotations = { horizontal = [{ label = "queue-age threshold", value = var.max_age_seconds_threshold }] }
        yAxis       = { left = { min = 0 } }
      }
    },
    {
      type   = "metric"
      x      = 8
      y      = 2
      width  = 8
      height = 6
      properties = {
        title   = "Queue depth"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 60
        stat    = "Maximum"
        metrics = [
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", coalesce(var.queue_name, "-"), { label = "Visible" }],
          ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", coalesce(var.queue_name, "-"), { label = "In flight" }],
        ]
        yAxis = { left = { min = 0 } }
      }
    },
    {
      type   = "metric"
      x      = 16
      y      = 2
      width  = 8
      height = 6
      properties = {
        title   = "Dead-letter queues"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 300
        stat    = "Maximum"
        metrics = [
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", coalesce(var.dlq_name, "-"), { label = "Queue DLQ" }],
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", coalesce(var.function_dlq_name, "-"), { label = "Function DLQ" }],
        ]
        yAxis = { left = { min = 0 } }
      }
    },
    {
      type   = "metric"
      x      = 0
      y      = 8
      width  = 8
      height = 6
      properties = {
        title   = "Invocations and errors"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 60
        stat    = "Sum"
        metrics = [
          ["AWS/Lambda", "Invocations", "FunctionName", coalesce(var.function_name, "-"), { label = "Invocations" }],
          ["AWS/Lambda", "Errors", "FunctionName", coalesce(var.function_name, "-"), { label = "Errors", yAxis = "right" }],
        ]
      }
    },
    {
      type   = "metric"
      x      = 8
      y      = 8
      width  = 8
      height = 6
      properties = {
        title   = "Throttles"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 60
        stat    = "Sum"
        metrics = [
          ["AWS/Lambda", "Throttles", "FunctionName", coalesce(var.function_name, "-"), { label = "Throttles" }],
        ]
        yAxis = { left = { min = 0 } }
      }
    },
    {
      type   = "metric"
      x      = 16
      y      = 8
      width  = 8
      height = 6
      properties = {
        title   = "Concurrency and duration"
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 60
        metrics = [
          ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", coalesce(var.function_name, "-"), { stat = "Maximum", label = "Concurrent executions (max)" }],
          ["AWS/Lambda", "Duration", "FunctionName", coalesce(var.function_name, "-"), { stat = "p99", label = "Duration p99 (ms)", yAxis = "right" }],
        ]
      }
    },
  ]

  # web with a database: a row under the alarms.
  db_widgets = [
    for w in [
      {
        type   = "metric"
        x      = 0
        y      = 18
        width  = 24
        height = 6
        properties = {
          title   = "Database ${coalesce(var.db_instance_id, "-")}"
          region  = local.region
          view    = "timeSeries"
          stacked = false
          period  = 300
          metrics = [
            ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", coalesce(var.db_instance_id, "-"), { stat = "Average", label = "CPU (%)" }],
            ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", coalesce(var.db_instance_id, "-"), { stat = "Maximum", label = "Connections (max)" }],
            ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", coalesce(var.db_instance_id, "-"), { stat = "Minimum", label = "Free storage (bytes)", yAxis = "right" }],
          ]
        }
      },
    ] : w if local.is_web && var.db_instance_id != null
  ]

  # Indexed by type rather than chained conditionals: the three lists have different shapes.
  dashboard_widgets = concat(
    [local.header_widget],
    {
      web   = local.web_widgets
      batch = local.batch_widgets
      event = local.event_widgets
    }[var.service_type],
    [local.alarm_status_widget],
    local.db_widgets,
  )
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.prefix
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
