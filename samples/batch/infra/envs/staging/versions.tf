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
    key          = "nightly-report/staging/terraform.tfstate"
    region       = "eu-central-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = "eu-central-1"

  default_tags {
    tags = {
      service       = "nightly-report"
      owner         = "analytics"
      environment   = "staging"
      stack         = "nightly-report-staging"
      "cost-center" = "engineering"
    }
  }
}
