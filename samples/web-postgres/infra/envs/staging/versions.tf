terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }

  # State in S3 with S3-native locking (use_lockfile). The bucket is the account's state
  # bucket of the region, tfstate-<account id>-<region>, made once per account by
  # `make bootstrap`; scripts/deploy.py passes it to `terraform init` (-backend-config).
  backend "s3" {
    key          = "orders-api/staging/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      service               = "orders-api"
      owner                 = "orders"
      environment           = "staging"
      stack                 = "orders-api-staging"
      "cost-center"         = "engineering"
      "data-classification" = "confidential"
    }
  }
}
