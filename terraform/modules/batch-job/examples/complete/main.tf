provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      service       = "nightly-report"
      owner         = "team-data"
      environment   = "dev"
      "cost-center" = "cc-1234"
    }
  }
}

# In a generated service these come from the vpc and kms modules
# (module.vpc.vpc_id, module.vpc.private_subnet_ids, module.kms.key_arn).
locals {
  vpc_id             = "vpc-0123456789abcdef0"
  private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

data "aws_iam_policy_document" "reports_bucket" {
  statement {
    sid       = "WriteReports"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::nightly-report-dev-output/reports/*"]
  }
}

module "batch_job" {
  source = "../../"

  name        = "nightly-report"
  environment = "dev"
  tags        = { component = "batch" }

  vpc_id             = local.vpc_id
  private_subnet_ids = local.private_subnet_ids

  # 02:00 every day, Paris time (Scheduler follows daylight-saving changes).
  schedule_expression = "cron(0 2 * * ? *)"
  schedule_timezone   = "Europe/Paris"

  cpu             = 512
  memory          = 1024
  timeout_minutes = 45

  retries                   = 3
  maximum_event_age_seconds = 3600

  kms_key_arn        = local.kms_key_arn
  log_retention_days = 365
  image_tag          = "3f9c2e1"

  environment_variables = {
    JOB_LOG_LEVEL            = "INFO"
    JOB_IDEMPOTENCY_TTL_DAYS = "14"
    REPORT_BUCKET            = "nightly-report-dev-output"
  }
  task_role_policy_json = [data.aws_iam_policy_document.reports_bucket.json]

  # dev only: lets `terraform destroy` remove the table. Keep the default (true) elsewhere.
  deletion_protection = false
}
