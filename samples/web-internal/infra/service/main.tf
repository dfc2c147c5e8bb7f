# Shared by every service type: key, network, budget and the GitHub plan and deploy roles.
locals {
  name        = "pricing-api"
  runbook_url = "https://github.com/acme/pricing-api/blob/main/docs/runbook.md"
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
  repository           = "pricing-api"
  state_bucket         = local.state_bucket
  state_key            = "${local.name}/${var.environment}/terraform.tfstate"
  terraform_services   = local.terraform_services
  service_linked_roles = local.service_linked_roles
}


locals {
  ecr_repository_url = module.web.ecr_repository_url
  # What the deploy role may manage in the region (and what bounds the roles it creates).
  terraform_services = [
    "application-autoscaling", "cloudwatch", "ec2", "ecr", "ecs", "elasticloadbalancing",
    "kms", "logs", "s3", "sns", "wafv2",
  ]
  service_linked_roles = [
    "ecs.amazonaws.com", "ecs.application-autoscaling.amazonaws.com",
    "elasticloadbalancing.amazonaws.com",
  ]
}

module "web" {
  source = "../modules/web-service"

  name                = local.name
  environment         = var.environment
  vpc_id              = module.network.vpc_id
  vpc_cidr_block      = module.network.vpc_cidr_block
  internet_facing     = false
  allowed_cidr_blocks = ["10.40.0.0/16", "10.41.0.0/16"]
  public_subnet_ids   = module.network.public_subnet_ids
  private_subnet_ids  = module.network.private_subnet_ids
  certificate_arn     = var.certificate_arn
  deletion_protection = var.deletion_protection
  kms_key_arn         = module.kms.key_arn
  image_tag           = var.image_tag
  cpu                 = var.cpu
  memory              = var.memory
  container_port      = 9000
  health_path         = "/status"
  min_tasks           = var.min_tasks
  max_tasks           = var.max_tasks

  environment_variables = {
    APP_PORT = "9000"
  }

  enable_execute_command = var.break_glass_exec

  permissions_boundary_arn = module.ci_oidc.workload_boundary_arn
}

module "observability" {
  source = "../modules/observability"

  name                    = local.name
  environment             = var.environment
  service_type            = "web"
  kms_key_arn             = module.kms.key_arn
  alarm_emails            = var.alarm_emails
  runbook_url             = local.runbook_url
  slo_availability        = 99.5
  alb_arn_suffix          = module.web.alb_arn_suffix
  target_group_arn_suffix = module.web.target_group_arn_suffix
}
