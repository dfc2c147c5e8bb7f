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
    key          = "audit-trail/prod/terraform.tfstate"
    region       = "us-west-2"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = "us-west-2"

  default_tags {
    tags = {
      service       = "audit-trail"
      owner         = "security"
      environment   = "prod"
      stack         = "audit-trail-prod"
      "cost-center" = "engineering"
    }
  }
}
