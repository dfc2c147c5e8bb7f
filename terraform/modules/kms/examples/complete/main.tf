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

module "kms" {
  source = "../../"

  name                    = "orders-api"
  environment             = "prod"
  deletion_window_in_days = 30

  tags = {
    data-classification = "confidential"
  }
}

output "key_arn" {
  description = "ARN of the service key."
  value       = module.kms.key_arn
}

output "alias_name" {
  description = "Alias of the service key."
  value       = module.kms.alias_name
}
