terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }

  # State in S3 with S3-native locking; `terraform init -backend-config=...` can override.
  backend "s3" {
    bucket       = "acme-terraform-state"
    key          = "payment-events/dev/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      service       = "payment-events"
      owner         = "payments"
      environment   = "dev"
      stack         = "payment-events-dev"
      "cost-center" = "engineering"
    }
  }
}
