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

  ecr_repository_arn = "arn:${local.partition}:ecr:${local.region}:${local.account_id}:repository/${local.name}"
  ecs_cluster_name   = local.prefix
  ecs_service_arn    = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:service/${local.ecs_cluster_name}/${local.prefix}"
  task_role_arns = [
    "arn:${local.partition}:iam::${local.account_id}:role/${local.prefix}-task",
    "arn:${local.partition}:iam::${local.account_id}:role/${local.prefix}-task-execution",
  ]
}

# 1. Terraform state: this service's state object and its lock file only.
data "aws_iam_policy_document" "state" {
  statement {
    sid       = "ListStatePrefix"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${local.state_bucket}"]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.name}/${local.environment}/*"]
    }
  }

  statement {
    sid       = "ReadWriteStateAndLock"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["arn:${local.partition}:s3:::${local.state_bucket}/${local.state_key}", "arn:${local.partition}:s3:::${local.state_bucket}/${local.state_key}.tflock"]
  }

  statement {
    sid       = "ReleaseLock"
    actions   = ["s3:DeleteObject"]
    resources = ["arn:${local.partition}:s3:::${local.state_bucket}/${local.state_key}.tflock"]
  }

  statement {
    sid       = "StateBucketKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [local.state_kms_key]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

# 2. Image push to the service's ECR repository.
data "aws_iam_policy_document" "ecr_push" {
  # ecr:GetAuthorizationToken has no resource-level permissions: AWS only accepts "*".
  # The token alone grants nothing: every repository action is limited below.
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushServiceImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [local.ecr_repository_arn]
  }
}

# 3. Roll the ECS service to the new task definition.
data "aws_iam_policy_document" "ecs_deploy" {
  # Task definitions have no resource-level permissions for these two actions: AWS only
  # accepts "*". Registering a definition changes nothing until a service uses it.
  statement {
    sid       = "TaskDefinitions"
    actions   = ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]
    resources = ["*"]
  }

  statement {
    sid       = "UpdateService"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = [local.ecs_service_arn]
  }

  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = local.task_role_arns

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

module "ci_oidc" {
  source = "../../"

  name                 = local.name
  environment          = local.environment
  github_org           = "acme"
  repository           = "orders-api"
  create_oidc_provider = true
  max_session_duration = 3600

  policy_json = [
    data.aws_iam_policy_document.state.json,
    data.aws_iam_policy_document.ecr_push.json,
    data.aws_iam_policy_document.ecs_deploy.json,
  ]
}

output "role_arn" {
  description = "role-to-assume for the prod deploy job."
  value       = module.ci_oidc.role_arn
}

output "oidc_provider_arn" {
  description = "GitHub OIDC provider of the account."
  value       = module.ci_oidc.oidc_provider_arn
}
