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
