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
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  name        = "orders-api"
  environment = "prod"
  prefix      = "${local.name}-${local.environment}"

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id

  # Remote state: s3://<bucket>/<state_key>, locked with the S3 lock file (use_lockfile).
  state_bucket  = "acme-terraform-state-${local.account_id}"
  state_key     = "${local.name}/${local.environment}/terraform.tfstate"
  state_kms_key = "arn:${local.partition}:kms:${local.region}:${local.account_id}:key/11111111-2222-3333-4444-555555555555"
}

# What terraform_services does not express goes in policy_json as inline statements,
# e.g. reading the deploy markers a release script keeps in SSM Parameter Store.
data "aws_iam_policy_document" "extra" {
  statement {
    sid       = "ReadDeployMarkers"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/${local.prefix}/deploy/*"]
  }
}

module "ci_oidc" {
  source = "../../"

  name                 = local.name
  environment          = local.environment
  github_org           = "acme"
  repository           = "orders-api"
  max_session_duration = 3600

  state_bucket      = local.state_bucket
  state_key         = local.state_key
  state_kms_key_arn = local.state_kms_key

  terraform_services = [
    "application-autoscaling", "cloudwatch", "ec2", "ecr", "ecs", "elasticloadbalancing",
    "kms", "logs", "s3", "sns", "wafv2",
  ]
  service_linked_roles = ["ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com"]
  policy_json          = [data.aws_iam_policy_document.extra.json]
}

output "deploy_role_arn" {
  description = "role-to-assume of the prod deploy job."
  value       = module.ci_oidc.role_arn
}

output "plan_role_arn" {
  description = "role-to-assume of pull request plans and drift detection."
  value       = module.ci_oidc.plan_role_arn
}

output "workload_boundary_arn" {
  description = "Boundary every role of the stack passes as permissions_boundary_arn."
  value       = module.ci_oidc.workload_boundary_arn
}

output "oidc_provider_arn" {
  description = "GitHub OIDC provider of the account."
  value       = module.ci_oidc.oidc_provider_arn
}
