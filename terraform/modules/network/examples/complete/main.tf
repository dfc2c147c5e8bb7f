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
  source = "../../../kms"

  name        = "orders-api"
  environment = "prod"
}

# Production: three AZs and a NAT gateway per AZ, so losing one AZ does not cut the
# internet egress of the other two.
module "network" {
  source = "../../"

  name                    = "orders-api"
  environment             = "prod"
  cidr_block              = "10.20.0.0/16"
  az_count                = 3
  azs                     = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  nat_strategy            = "one_per_az"
  kms_key_arn             = module.kms.key_arn
  flow_log_retention_days = 365

  tags = {
    network-tier = "shared"
  }
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.network.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets (ECS tasks, Lambda)."
  value       = module.network.private_subnet_ids
}

output "database_subnet_group_name" {
  description = "DB subnet group for RDS."
  value       = module.network.database_subnet_group_name
}

output "nat_public_ips" {
  description = "Egress IPs to allow-list at third parties."
  value       = module.network.nat_public_ips
}
