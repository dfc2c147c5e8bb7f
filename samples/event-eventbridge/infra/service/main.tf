# Shared by every service type: key, network, budget and the GitHub plan and deploy roles.
locals {
  name        = "audit-trail"
  runbook_url = "https://github.com/acme/audit-trail/blob/main/docs/runbook.md"
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
  repository           = "audit-trail"
  state_bucket         = local.state_bucket
  state_key            = "${local.name}/${var.environment}/terraform.tfstate"
  terraform_services   = local.terraform_services
  service_linked_roles = local.service_linked_roles
}


locals {
  ecr_repository_url = module.consumer.ecr_repository_url
  # What the deploy role may manage in the region (and what bounds the roles it creates).
  terraform_services = [
    "cloudwatch", "dynamodb", "ec2", "ecr", "events", "kms", "lambda", "logs", "sns", "sqs",
  ]
  service_linked_roles = []
  # Principals of other accounts allowed to send (queue policy or topic policy, and the key).
  producer_principal_arns = []
}

module "consumer" {
  source = "../modules/event-consumer"

  name                     = local.name
  environment              = var.environment
  event_source             = "eventbridge"
  vpc_id                   = module.network.vpc_id
  private_subnet_ids       = module.network.private_subnet_ids
  batch_size               = 10
  max_concurrency          = var.max_concurrency
  function_timeout_seconds = 60
  # Lambda requires the queue's visibility timeout to be at least 6 x the function timeout.
  visibility_timeout_seconds = 360
  memory_size                = 256
  max_receive_count          = 5
  kms_key_arn                = module.kms.key_arn
  image_tag                  = var.image_tag
  producer_principal_arns    = local.producer_principal_arns
  deletion_protection        = var.deletion_protection

  permissions_boundary_arn = module.ci_oidc.workload_boundary_arn
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
