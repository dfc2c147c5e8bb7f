data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  prefix = "${var.name}-${var.environment}"

  github_oidc_host = "token.actions.githubusercontent.com"
  github_oidc_url  = "https://${local.github_oidc_host}"

  # The provider's ARN is fixed by its URL, so the trust policy can name it without
  # waiting for the resource (the role depends_on the provider for ordering), and
  # checkov's CKV_AWS_358 sees the GitHub principal and evaluates the conditions.
  oidc_provider_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/${local.github_oidc_host}"

  # Exactly one repository and one GitHub environment: jobs that do not declare
  # `environment: <environment>` (pull requests, other branches, forks) get a
  # different sub and cannot assume the role.
  # Also spelled out in the trust policy: checkov only evaluates CKV_AWS_358 on literal claims.
  github_subject = "repo:${var.github_org}/${var.repository}:environment:${var.environment}"

  tags = merge(var.tags, { Module = "ci-oidc" })
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url            = local.github_oidc_url
  client_id_list = ["sts.amazonaws.com"]
  # No thumbprint_list: IAM validates GitHub's certificate against its own trusted CAs
  # for this provider, and the provider computes the attribute.

  tags = merge(local.tags, { Name = "github-actions" })
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 0 : 1

  url = local.github_oidc_url
}

data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "GitHubActionsDeploy"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_org}/${var.repository}:environment:${var.environment}"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "${local.prefix}-deploy"
  description          = "GitHub Actions deploy role for ${var.github_org}/${var.repository}, environment ${var.environment}"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags

  depends_on = [aws_iam_openid_connect_provider.github]
}

resource "aws_iam_role_policy" "deploy" {
  count = length(var.policy_json)

  name   = "${local.prefix}-deploy-${count.index}"
  role   = aws_iam_role.deploy.id
  policy = var.policy_json[count.index]
}
