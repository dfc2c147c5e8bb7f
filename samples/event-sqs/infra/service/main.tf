# Shared by every service type: key, network, budget and the GitHub deploy role.
locals {
  name        = "payment-events"
  runbook_url = "https://github.com/acme/payment-events/blob/main/docs/runbook.md"
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
  repository           = "payment-events"
  create_oidc_provider = var.create_oidc_provider
  policy_json          = [data.aws_iam_policy_document.deploy.json]
}


locals {
  ecr_repository_arn = module.consumer.ecr_repository_arn
  ecr_repository_url = module.consumer.ecr_repository_url
}

module "consumer" {
  source = "../modules/event-consumer"

  name                     = local.name
  environment              = var.environment
  event_source             = "sqs"
  vpc_id                   = module.network.vpc_id
  private_subnet_ids       = module.network.private_subnet_ids
  batch_size               = 10
  max_concurrency          = var.max_concurrency
  function_timeout_seconds = 30
  # Lambda requires the queue's visibility timeout to be at least 6 x the function timeout.
  visibility_timeout_seconds = 180
  memory_size                = 512
  max_receive_count          = 5
  kms_key_arn                = module.kms.key_arn
  image_tag                  = var.image_tag
}

module "observability" {
  source = "../modules/observability"

  name              = local.name
  environment       = var.environment
  service_type      = "event"
  kms_key_arn       = module.kms.key_arn
  alarm_emails      = var.alarm_emails
  runbook_url       = local.runbook_url
  slo_availability  = 99.9
  queue_name        = module.consumer.queue_name
  dlq_name          = module.consumer.dlq_name
  function_name     = module.consumer.function_name
  function_dlq_name = module.consumer.function_dlq_name
}

# CI deploys a new image by pointing the function at it.
data "aws_iam_policy_document" "deploy" {
  source_policy_documents = [data.aws_iam_policy_document.deploy_common.json]

  statement {
    sid       = "UpdateFunction"
    actions   = ["lambda:GetFunction", "lambda:UpdateFunctionCode"]
    resources = [module.consumer.function_arn]
  }
}
