provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      service       = "orders-api"
      owner         = "orders"
      environment   = "prod"
      "cost-center" = "engineering"
    }
  }
}

module "kms" {
  source = "../../../kms"

  name        = "orders-api"
  environment = "prod"
}

module "ecr" {
  source = "../../"

  name        = "orders-api-prod"
  kms_key_arn = module.kms.key_arn
  keep_images = 50
}

output "repository_url" {
  description = "URL of the example repository."
  value       = module.ecr.repository_url
}
