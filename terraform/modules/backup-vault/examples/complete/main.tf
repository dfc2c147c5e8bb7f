provider "aws" {
  region = "eu-central-1"

  default_tags {
    tags = {
      service       = "orders-api"
      owner         = "team-orders"
      environment   = "prod"
      "cost-center" = "cc-1234"
    }
  }
}

# The copy vault of orders-api's prod backups (the plan itself runs in eu-west-1).
module "backup_vault" {
  source = "../../"

  name        = "orders-api"
  environment = "prod"
  tags        = { component = "backup" }

  vault_lock_min_retention_days = 7
  vault_lock_max_retention_days = 365
}

output "vault_arn" {
  value = module.backup_vault.vault_arn
}
