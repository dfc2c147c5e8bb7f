provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      service       = "orders-api"
      owner         = "team-orders"
      environment   = "prod"
      "cost-center" = "cc-1234"
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

module "kms" {
  source = "../../../kms"

  name        = "orders-api"
  environment = "prod"
}

module "backup" {
  source = "../../"

  name        = "orders-api"
  environment = "prod"
  kms_key_arn = module.kms.key_arn

  # The service's RDS instance (from the database module in a real root module).
  resource_arns = [
    "arn:aws:rds:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:db:orders-api-prod",
  ]

  daily_schedule           = "cron(0 3 * * ? *)"
  retention_days           = 35
  weekly_retention_days    = 90
  enable_continuous_backup = true

  # Governance-mode lock: recovery points cannot be deleted before 7 days except by
  # principals allowed backup:DeleteBackupVaultLockConfiguration.
  vault_lock_min_retention_days = 7
  vault_lock_max_retention_days = 365
}

output "vault_name" {
  description = "Backup vault."
  value       = module.backup.vault_name
}

output "role_arn" {
  description = "Role for restore jobs and DR drills."
  value       = module.backup.role_arn
}
