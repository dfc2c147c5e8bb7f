# Shared by every service type: key, network, budget and the GitHub plan and deploy roles.
locals {
  name        = "nightly-report"
  runbook_url = "https://github.com/acme/nightly-report/blob/main/docs/runbook.md"
  account_id  = data.aws_caller_identity.current.account_id
  region      = data.aws_region.current.id
  partition   = data.aws_partition.current.partition
  # The account's state bucket of this region (made by `make bootstrap`), as in the backend.
  state_bucket = coalesce(var.state_bucket, "tfstate-${local.account_id}-${local.region}")
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

module "kms" {
  source = "../modules/kms"

  name        = local.name
  environment = var.environment
}

module "network" {
  source = "../modules/network"

  name         = local.name
  environment  = var.environment
  cidr_block   = var.vpc_cidr
  az_count     = var.az_count
  nat_strategy = var.nat_strategy
  kms_key_arn  = module.kms.key_arn

  permissions_boundary_arn = module.ci_oidc.workload_boundary_arn
}

module "budget" {
  source = "../modules/budget"

  name               = local.name
  environment        = var.environment
  monthly_budget_usd = var.monthly_budget_usd
  alert_emails       = var.alarm_emails
  sns_topic_arn      = module.observability.alarm_topic_arn
}

# GitHub Actions: a read-only plan role (pull requests, drift) and a deploy role that
# applies this environment, limited to the stack's services in its region; every role the
# stack creates carries the workload boundary (see modules/ci-oidc/README.md).
module "ci_oidc" {
  source = "../modules/ci-oidc"

  name                 = local.name
  environment          = var.environment
  github_org           = "acme"
  repository           = "nightly-report"
  state_bucket         = local.state_bucket
  state_key            = "${local.name}/${var.environment}/terraform.tfstate"
  terraform_services   = local.terraform_services
  service_linked_roles = local.service_linked_roles
}


locals {
  ecr_repository_url = module.job.ecr_repository_url
  # What the deploy role may manage in the region (and what bounds the roles it creates).
  terraform_services = [
    "backup", "cloudwatch", "dynamodb", "ec2", "ecr", "ecs", "events", "kms", "logs",
    "scheduler", "sns", "sqs",
  ]
  service_linked_roles = ["ecs.amazonaws.com"]
}

module "job" {
  source = "../modules/batch-job"

  name                = local.name
  environment         = var.environment
  vpc_id              = module.network.vpc_id
  private_subnet_ids  = module.network.private_subnet_ids
  schedule_expression = "cron(0 3 * * ? *)"
  schedule_timezone   = "Europe/Berlin"
  cpu                 = var.cpu
  memory              = var.memory
  timeout_minutes     = 45
  retries             = 2
  kms_key_arn         = module.kms.key_arn
  image_tag           = var.image_tag
  deletion_protection = var.deletion_protection

  permissions_boundary_arn = module.ci_oidc.workload_boundary_arn
}

# The idempotency table is the job's only state: point-in-time recovery plus AWS Backup.
module "backup" {
  source = "../modules/backup"

  name          = local.name
  environment   = var.environment
  kms_key_arn   = module.kms.key_arn
  resource_arns = [module.job.idempotency_table_arn]

  # prod: recovery points cannot be deleted before 7 days (governance mode; the deploy role
  # may not lift the lock).
  vault_lock_min_retention_days = var.backup_vault_lock ? 7 : null

  permissions_boundary_arn = module.ci_oidc.workload_boundary_arn
}

module "observability" {
  source = "../modules/observability"

  name                      = local.name
  environment               = var.environment
  service_type              = "batch"
  kms_key_arn               = module.kms.key_arn
  alarm_emails              = var.alarm_emails
  runbook_url               = local.runbook_url
  slo_availability          = 99.9
  log_group_name            = module.job.log_group_name
  schedule_interval_seconds = var.schedule_interval_seconds
  timeout_minutes           = 45
  retries                   = 2
  dlq_name                  = module.job.dlq_name
}
