# Shared by every service type: key, network, budget and the GitHub plan and deploy roles.
locals {
  name        = "orders-api"
  runbook_url = "https://github.com/acme/orders-api/blob/main/docs/runbook.md"
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
  repository           = "orders-api"
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
    "kms", "logs", "s3", "sns", "wafv2", "backup", "rds", "secretsmanager",
  ]
  service_linked_roles = [
    "ecs.amazonaws.com", "ecs.application-autoscaling.amazonaws.com",
    "elasticloadbalancing.amazonaws.com", "rds.amazonaws.com",
  ]
  # The application's database user, created (and granted rds_iam) by the migration task
  # (`python -m orders_api.migrate`) that the deploy runs before each service update.
  db_user = "orders_api"
}

module "web" {
  source = "../modules/web-service"

  name                = local.name
  environment         = var.environment
  vpc_id              = module.network.vpc_id
  vpc_cidr_block      = module.network.vpc_cidr_block
  internet_facing     = true
  public_subnet_ids   = module.network.public_subnet_ids
  private_subnet_ids  = module.network.private_subnet_ids
  certificate_arn     = var.certificate_arn
  deletion_protection = var.deletion_protection
  kms_key_arn         = module.kms.key_arn
  image_tag           = var.image_tag
  cpu                 = var.cpu
  memory              = var.memory
  container_port      = 8080
  health_path         = "/healthz"
  min_tasks           = var.min_tasks
  max_tasks           = var.max_tasks

  environment_variables = {
    APP_PORT        = "8080"
    APP_DB_HOST     = module.database.address
    APP_DB_PORT     = tostring(module.database.port)
    APP_DB_NAME     = module.database.db_name
    APP_DB_USER     = local.db_user
    APP_DB_IAM_AUTH = "true"
    APP_AWS_REGION  = local.region
  }

  egress_cidr_blocks_postgres = [module.network.vpc_cidr_block]
  task_role_policy_json       = [data.aws_iam_policy_document.db_connect.json]

  # Logs in as the master user (RDS keeps its password in Secrets Manager; only this task's
  # execution role may read it) and creates the application's IAM user.
  migration = {
    command = ["python", "-m", "orders_api.migrate"]
    secrets = {
      APP_DB_MASTER_USER     = "${module.database.master_user_secret_arn}:username::"
      APP_DB_MASTER_PASSWORD = "${module.database.master_user_secret_arn}:password::"
    }
  }

  enable_execute_command = var.break_glass_exec

  permissions_boundary_arn = module.ci_oidc.workload_boundary_arn
}

module "database" {
  source = "../modules/database"

  name                       = local.name
  environment                = var.environment
  vpc_id                     = module.network.vpc_id
  database_subnet_group_name = module.network.database_subnet_group_name
  allowed_security_group_ids = [module.web.service_security_group_id]
  instance_class             = var.db_instance_class
  multi_az                   = var.db_multi_az
  deletion_protection        = var.deletion_protection
  kms_key_arn                = module.kms.key_arn

  # AWS Backup's continuous backup takes over the instance's retention and RDS then refuses
  # any other value: both use this one number (the backup plan's daily rule below).
  backup_retention_period = var.db_backup_retention_days

  permissions_boundary_arn = module.ci_oidc.workload_boundary_arn
}

# The app connects with an IAM token instead of a password (rds-db:connect for its own user).
# By user name on any instance of this account and region, not by the instance's resource id:
# an instance restored from a backup has a new id, and a policy pinned to the old one would
# lock the service out exactly during the restore (docs/dr.md). Only the app's own security
# group reaches this environment's database, so the name alone does not open other databases.
data "aws_iam_policy_document" "db_connect" {
  statement {
    sid       = "ConnectAsAppUser"
    actions   = ["rds-db:connect"]
    resources = ["arn:${local.partition}:rds-db:${local.region}:${local.account_id}:dbuser:*/${local.db_user}"]
  }
}

module "backup" {
  source = "../modules/backup"

  name           = local.name
  environment    = var.environment
  kms_key_arn    = module.kms.key_arn
  resource_arns  = [module.database.instance_arn]
  retention_days = var.db_backup_retention_days

  # prod: recovery points cannot be deleted before 7 days (governance mode; the deploy role
  # may not lift the lock).
  vault_lock_min_retention_days = var.backup_vault_lock ? 7 : null

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
  slo_availability        = 99.9
  alb_arn_suffix          = module.web.alb_arn_suffix
  target_group_arn_suffix = module.web.target_group_arn_suffix
  db_instance_id          = module.database.instance_id

  # db-free-storage fires below a share of it, under storage autoscaling's 10 % trigger.
  db_allocated_storage_gib = module.database.allocated_storage
}
