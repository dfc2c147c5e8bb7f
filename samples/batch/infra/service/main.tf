# Shared by every service type: key, network, budget and the GitHub deploy role.
locals {
  name        = "nightly-report"
  runbook_url = "https://github.com/acme/nightly-report/blob/main/docs/runbook.md"
  account_id  = data.aws_caller_identity.current.account_id
  region      = data.aws_region.current.id
  partition   = data.aws_partition.current.partition
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
  az_count     = var.az_count
  nat_strategy = var.nat_strategy
  kms_key_arn  = module.kms.key_arn
}

module "budget" {
  source = "../modules/budget"

  name               = local.name
  environment        = var.environment
  monthly_budget_usd = var.monthly_budget_usd
  alert_emails       = var.alarm_emails
  sns_topic_arn      = module.observability.alarm_topic_arn
}

# What CI may do when it deploys: read and write this environment's state, push the image.
# The type's own deploy statements (ECS or Lambda updates) are added in main.tf.
data "aws_iam_policy_document" "deploy_common" {
  statement {
    sid       = "StateObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:${local.partition}:s3:::acme-terraform-state/${local.name}/${var.environment}/*"]
  }
  statement {
    sid       = "StateBucket"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::acme-terraform-state"]
  }
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # GetAuthorizationToken has no resource-level permissions
  }
  statement {
    sid = "EcrPush"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [local.ecr_repository_arn]
  }
}

module "ci_oidc" {
  source = "../modules/ci-oidc"

  name                 = local.name
  environment          = var.environment
  github_org           = "acme"
  repository           = "nightly-report"
  create_oidc_provider = var.create_oidc_provider
  policy_json          = [data.aws_iam_policy_document.deploy.json]
}


locals {
  ecr_repository_arn = module.job.ecr_repository_arn
  ecr_repository_url = module.job.ecr_repository_url
}

module "job" {
  source = "../modules/batch-job"

  name                = local.name
  environment         = var.environment
  vpc_id              = module.network.vpc_id
  private_subnet_ids  = module.network.private_subnet_ids
  schedule_expression = "cron(0 2 * * ? *)"
  schedule_timezone   = "Europe/Berlin"
  cpu                 = var.cpu
  memory              = var.memory
  timeout_minutes     = 45
  retries             = 2
  kms_key_arn         = module.kms.key_arn
  image_tag           = var.image_tag
  deletion_protection = var.deletion_protection
}

# The idempotency table is the job's only state: point-in-time recovery plus AWS Backup.
module "backup" {
  source = "../modules/backup"

  name          = local.name
  environment   = var.environment
  kms_key_arn   = module.kms.key_arn
  resource_arns = [module.job.idempotency_table_arn]
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
  dlq_name                  = module.job.dlq_name
}

# CI deploys a new image by registering a task definition the schedule then runs.
data "aws_iam_policy_document" "deploy" {
  source_policy_documents = [data.aws_iam_policy_document.deploy_common.json]

  statement {
    sid       = "TaskDefinitions"
    actions   = ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]
    resources = ["*"] # these ECS actions have no resource-level permissions
  }
  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = [module.job.task_role_arn, module.job.execution_role_arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}
