data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  prefix     = "${var.name}-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id

  github_oidc_host = "token.actions.githubusercontent.com"
  github_oidc_url  = "https://${local.github_oidc_host}"

  # The provider's ARN is fixed by its URL, so the trust policies name it as a literal:
  # checkov's CKV_AWS_358 sees the GitHub principal and evaluates the conditions.
  oidc_provider_arn = "arn:${local.partition}:iam::${local.account_id}:oidc-provider/${local.github_oidc_host}"

  # Apply: exactly one repository and one GitHub environment. Jobs that do not declare
  # `environment: <environment>` (pull requests, other branches, forks) get another sub, and
  # the GitHub environment itself only admits the default branch (its deployment branch
  # policy, see the README), so pull request code never gets this subject.
  github_subject = "repo:${var.github_org}/${var.repository}:environment:${var.environment}"
  # Plan (read-only): jobs in the environment's own plan environment `<environment>-plan`
  # (pull request plans, drift detection; no reviewers) and runs on the default branch
  # without an environment (the weekly report). Disjoint from github_subject: a job that may
  # plan can never assume the deploy role.
  plan_environment = "${var.environment}-plan"
  plan_subjects = [
    "repo:${var.github_org}/${var.repository}:environment:${local.plan_environment}",
    "repo:${var.github_org}/${var.repository}:ref:refs/heads/${var.default_branch}",
  ]

  role_arn_prefix   = "arn:${local.partition}:iam::${local.account_id}:role/${local.prefix}-"
  policy_arn_prefix = "arn:${local.partition}:iam::${local.account_id}:policy/${local.prefix}-"
  boundary_name     = "${local.prefix}-workload-boundary"
  boundary_arn      = "${local.policy_arn_prefix}workload-boundary"
  read_only_arn     = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"

  state_bucket_arn = "arn:${local.partition}:s3:::${var.state_bucket}"
  state_object_arn = "${local.state_bucket_arn}/${var.state_key}"
  state_lock_arn   = "${local.state_object_arn}.tflock"

  # What the roles the stack creates may ever do: the stack's services plus what AWS
  # services call on a workload role's behalf (tracing, tag lookups for backups, IAM
  # database authentication, backup storage) and the session channels of ECS Exec's agent.
  workload_services = distinct(concat(var.terraform_services, ["backup-storage", "rds-db", "ssmmessages", "tag", "xray"]))

  # What the deploy role may change: only this stack's resources, never another
  # environment's or service's, even in a shared account. Resources whose ARN carries their
  # name are matched by the stack's name (<name>-<environment>, or <name>-<environment>-...);
  # every other one by its tags (the provider's default_tags put service and environment on
  # everything the stack creates), and new ones only when they are created with those tags.
  arn = "arn:${local.partition}"
  # Patterns are written for "{region}" and expanded for the stack's region and any
  # additional_regions (e.g. where backups are copied).
  ra      = "{region}:${local.account_id}"
  regions = distinct(concat([local.region], var.additional_regions))
  named_arn_patterns = {
    application-autoscaling = []
    backup                  = ["${local.arn}:backup:${local.ra}:backup-vault:${local.prefix}", "${local.arn}:backup:${local.ra}:backup-vault:${local.prefix}-*"]
    cloudwatch              = ["${local.arn}:cloudwatch:${local.ra}:alarm:${local.prefix}-*", "${local.arn}:cloudwatch::${local.account_id}:dashboard/${local.prefix}"]
    dynamodb                = ["${local.arn}:dynamodb:${local.ra}:table/${local.prefix}-*"]
    ec2                     = []
    ecr                     = ["${local.arn}:ecr:${local.ra}:repository/${local.prefix}"]
    ecs = [
      "${local.arn}:ecs:${local.ra}:cluster/${local.prefix}",
      "${local.arn}:ecs:${local.ra}:service/${local.prefix}/*",
      "${local.arn}:ecs:${local.ra}:task-definition/${local.prefix}:*",
      "${local.arn}:ecs:${local.ra}:task/${local.prefix}/*",
    ]
    elasticloadbalancing = [
      "${local.arn}:elasticloadbalancing:${local.ra}:loadbalancer/app/${local.prefix}/*",
      "${local.arn}:elasticloadbalancing:${local.ra}:targetgroup/${local.prefix}/*",
      "${local.arn}:elasticloadbalancing:${local.ra}:listener/app/${local.prefix}/*",
      "${local.arn}:elasticloadbalancing:${local.ra}:listener-rule/app/${local.prefix}/*",
    ]
    events = ["${local.arn}:events:${local.ra}:rule/${local.prefix}", "${local.arn}:events:${local.ra}:rule/*/${local.prefix}"]
    kms    = ["${local.arn}:kms:${local.ra}:alias/${local.prefix}", "${local.arn}:kms:${local.ra}:alias/${local.prefix}-*"]
    lambda = ["${local.arn}:lambda:${local.ra}:function:${local.prefix}", "${local.arn}:lambda:${local.ra}:function:${local.prefix}:*"]
    logs = [
      for group in ["*/${local.prefix}", "*/${local.prefix}/*", "aws-waf-logs-${local.prefix}"] :
      "${local.arn}:logs:${local.ra}:log-group:${group}"
    ]
    rds = [
      for kind in ["db", "pg", "subgrp", "og", "snapshot", "cluster", "cluster-pg", "cluster-snapshot"] :
      "${local.arn}:rds:${local.ra}:${kind}:${local.prefix}*"
    ]
    s3        = ["${local.arn}:s3:::${local.prefix}-*", "${local.arn}:s3:::${local.prefix}-*/*"]
    scheduler = ["${local.arn}:scheduler:${local.ra}:schedule-group/${local.prefix}", "${local.arn}:scheduler:${local.ra}:schedule/${local.prefix}/*"]
    sns       = ["${local.arn}:sns:${local.ra}:${local.prefix}", "${local.arn}:sns:${local.ra}:${local.prefix}-*"]
    sqs       = ["${local.arn}:sqs:${local.ra}:${local.prefix}", "${local.arn}:sqs:${local.ra}:${local.prefix}-*"]
    wafv2     = ["${local.arn}:wafv2:${local.ra}:regional/webacl/${local.prefix}/*"]
  }
  named_arns_by_region = {
    for service, patterns in local.named_arn_patterns : service => distinct(flatten([
      for region in local.regions : [for pattern in patterns : replace(pattern, "{region}", region)]
    ]))
  }
  # Log group streams (<group>:*) follow their group.
  named_resources = flatten([
    for service in var.terraform_services : concat(
      lookup(local.named_arns_by_region, service, []),
      service == "logs" ? [for group in local.named_arns_by_region.logs : "${group}:*"] : [],
    )
  ])
  named_services = [for service in var.terraform_services : service if length(lookup(local.named_arn_patterns, service, [])) > 0]
  # Every tagged resource of the listed services in this account and region (S3 buckets are
  # matched by name only).
  tagged_resources = flatten([
    for service in var.terraform_services : [for region in local.regions : "${local.arn}:${service}:${region}:${local.account_id}:*"] if service != "s3"
  ])
  # Creating with the stack's tags: the verbs that create or tag, never one that deletes.
  create_actions = flatten([
    for service in var.terraform_services : [for verb in ["Add*", "Allocate*", "Authorize*", "Create*", "Put*", "Register*", "Run*", "Tag*"] : "${service}:${verb}"]
  ])
  # Actions AWS authorizes on "*" only (no resource-level permissions) that the stack's
  # resources need: listed one by one, in the stack's region.
  unscoped_actions = {
    backup = ["backup-storage:MountCapsule"]
    ecr    = ["ecr:GetAuthorizationToken"]
    ecs    = ["ecs:DeregisterTaskDefinition"]
    logs = [
      "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeResourcePolicies", "logs:GetLogDelivery",
      "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery",
    ]
  }
  unscoped = distinct(flatten([for service in var.terraform_services : lookup(local.unscoped_actions, service, [])]))

  tags = merge(var.tags, { Module = "ci-oidc" })
}

# The account's GitHub OIDC provider is an account prerequisite, created once per account by
# the repository's bootstrap (`make bootstrap`) and looked up here: a stack that created it
# would fail in the second environment of the account (EntityAlreadyExists) and would own, and
# on destroy delete, the provider every other stack of the account depends on.
data "aws_iam_openid_connect_provider" "github" {
  url = local.github_oidc_url
}

# Stacks applied before the provider moved to the bootstrap created it here: forget it from
# the state without deleting it (the bootstrap finds it and keeps it).
removed {
  from = aws_iam_openid_connect_provider.github

  lifecycle {
    destroy = false
  }
}

# ---------------------------------------------------------------------------------------
# Trust policies. Subjects are literal strings (StringEquals), never wildcards.
# ---------------------------------------------------------------------------------------
data "aws_iam_policy_document" "assume_deploy" {
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

    # Also spelled out here: checkov only evaluates CKV_AWS_358 on literal claims.
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_org}/${var.repository}:environment:${var.environment}"]
    }
  }
}

data "aws_iam_policy_document" "assume_plan" {
  statement {
    sid     = "GitHubActionsPlan"
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
      values = [
        "repo:${var.github_org}/${var.repository}:environment:${var.environment}-plan",
        "repo:${var.github_org}/${var.repository}:ref:refs/heads/${var.default_branch}",
      ]
    }
  }
}

# ---------------------------------------------------------------------------------------
# Plan role: reads everything Terraform refreshes, writes nothing but its state lock.
# ---------------------------------------------------------------------------------------
resource "aws_iam_role" "plan" {
  name                 = "${local.prefix}-plan"
  description          = "GitHub Actions read-only Terraform plan role for ${var.github_org}/${var.repository}, environment ${var.environment}"
  assume_role_policy   = data.aws_iam_policy_document.assume_plan.json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "plan_read_only" {
  role       = aws_iam_role.plan.name
  policy_arn = local.read_only_arn
}

data "aws_iam_policy_document" "state_read" {
  statement {
    sid       = "ListStatePrefix"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${dirname(var.state_key)}/*"]
    }
  }

  statement {
    sid       = "ReadState"
    actions   = ["s3:GetObject"]
    resources = [local.state_object_arn, local.state_lock_arn]
  }

  # use_lockfile: a plan holds the lock while it runs.
  statement {
    sid       = "StateLock"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = [local.state_lock_arn]
  }

  dynamic "statement" {
    for_each = var.state_kms_key_arn == null ? [] : [var.state_kms_key_arn]
    content {
      sid       = "StateKey"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }
    }
  }
}

# ReadOnlyAccess lists and describes everything, and also reads some data. A plan reads
# configuration, never the service's data: deny the data-plane reads it never needs.
data "aws_iam_policy_document" "plan_guard" {
  source_policy_documents = [data.aws_iam_policy_document.state_read.json]

  statement {
    sid           = "NoObjectReadsOutsideState"
    effect        = "Deny"
    actions       = ["s3:GetObject", "s3:GetObjectVersion"]
    not_resources = [local.state_object_arn, local.state_lock_arn]
  }

  statement {
    sid    = "NoDataReads"
    effect = "Deny"
    actions = [
      "dynamodb:BatchGetItem",
      "dynamodb:GetItem",
      "dynamodb:GetRecords",
      "dynamodb:Query",
      "dynamodb:Scan",
      "logs:FilterLogEvents",
      "logs:GetLogEvents",
      "logs:StartQuery",
      "rds:DownloadCompleteDBLogFile",
      "rds:DownloadDBLogFilePortion",
      "secretsmanager:GetSecretValue",
      "sqs:ReceiveMessage",
      "ssm:GetParameter",
      "ssm:GetParameters",
      "ssm:GetParametersByPath",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "plan" {
  name   = "${local.prefix}-plan"
  role   = aws_iam_role.plan.id
  policy = data.aws_iam_policy_document.plan_guard.json
}

# ---------------------------------------------------------------------------------------
# Workload boundary: the most any role the stack creates can be allowed. The deploy role
# can only create or change roles that carry it, so it cannot mint a more powerful role.
# ---------------------------------------------------------------------------------------
data "aws_iam_policy_document" "workload_boundary" {
  statement {
    sid       = "StackServicesInRegion"
    actions   = [for service in local.workload_services : "${service}:*"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [local.region]
    }
  }

  # The scheduler role hands the task roles to ECS; nothing else in IAM.
  statement {
    sid       = "PassStackRoles"
    actions   = ["iam:PassRole"]
    resources = ["${local.role_arn_prefix}*"]
  }
}

resource "aws_iam_policy" "workload_boundary" {
  name        = local.boundary_name
  description = "Permissions boundary of every role ${var.name} (${var.environment}) creates: its services in ${local.region}, no IAM."
  policy      = data.aws_iam_policy_document.workload_boundary.json

  tags = local.tags
}

# ---------------------------------------------------------------------------------------
# Deploy role: pushes the image and applies Terraform for this environment.
# ---------------------------------------------------------------------------------------
resource "aws_iam_role" "deploy" {
  name                 = "${local.prefix}-deploy"
  description          = "GitHub Actions deploy (terraform apply) role for ${var.github_org}/${var.repository}, environment ${var.environment}"
  assume_role_policy   = data.aws_iam_policy_document.assume_deploy.json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "deploy_read_only" {
  role       = aws_iam_role.deploy.name
  policy_arn = local.read_only_arn
}

data "aws_iam_policy_document" "apply" {
  statement {
    sid       = "ListStatePrefix"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${dirname(var.state_key)}/*"]
    }
  }

  statement {
    sid       = "ReadWriteState"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = [local.state_object_arn, local.state_lock_arn]
  }

  statement {
    sid       = "ReleaseLock"
    actions   = ["s3:DeleteObject"]
    resources = [local.state_lock_arn]
  }

  dynamic "statement" {
    for_each = var.state_kms_key_arn == null ? [] : [var.state_kms_key_arn]
    content {
      sid       = "StateKey"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }
    }
  }

  # The stack's own resources, by name (see local.named_arn_patterns).
  statement {
    sid       = "StackResourcesByName"
    actions   = [for service in local.named_services : "${service}:*"]
    resources = local.named_resources
  }

  # The stack's own resources whose ARN has no name (VPC parts, keys, backup plans, scaling
  # targets ...): by their service and environment tags.
  statement {
    sid       = "StackResourcesByTag"
    actions   = [for service in var.terraform_services : "${service}:*"]
    resources = local.tagged_resources

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/service"
      values   = [var.name]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/environment"
      values   = [var.environment]
    }
  }

  # New resources, only created with the stack's tags (tag-on-create). Creating verbs only:
  # nothing that deletes, stops or changes an existing resource.
  statement {
    sid       = "CreateWithStackTags"
    actions   = local.create_actions
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/service"
      values   = [var.name]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/environment"
      values   = [var.environment]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = local.regions
    }
  }

  # Event source mappings have UUID ARNs: those of the stack's functions.
  dynamic "statement" {
    for_each = contains(var.terraform_services, "lambda") ? [1] : []
    content {
      sid       = "StackFunctionEventSourceMappings"
      actions   = ["lambda:CreateEventSourceMapping", "lambda:DeleteEventSourceMapping", "lambda:UpdateEventSourceMapping", "lambda:TagResource", "lambda:UntagResource"]
      resources = ["${local.arn}:lambda:${local.region}:${local.account_id}:event-source-mapping:*"]

      condition {
        test     = "ArnLike"
        variable = "lambda:FunctionArn"
        values   = ["${local.arn}:lambda:${local.region}:${local.account_id}:function:${local.prefix}"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.unscoped) > 0 ? [1] : []
    content {
      sid       = "ActionsWithoutResourceLevelPermissions"
      actions   = local.unscoped
      resources = ["*"]

      condition {
        test     = "StringEquals"
        variable = "aws:RequestedRegion"
        values   = local.regions
      }
    }
  }

  # AWS Budgets is global: the stack's own budgets, by name.
  dynamic "statement" {
    for_each = var.manage_billing ? [1] : []
    content {
      sid       = "StackBudgets"
      actions   = ["budgets:*"]
      resources = ["${local.arn}:budgets::${local.account_id}:budget/${local.prefix}-*"]
    }
  }

  # Roles and policies named <name>-<environment>-*, created and extended only with the
  # workload boundary attached.
  statement {
    sid = "StackRolesWithBoundary"
    actions = [
      "iam:AttachRolePolicy",
      "iam:CreateRole",
      "iam:PutRolePermissionsBoundary",
      "iam:PutRolePolicy",
    ]
    resources = ["${local.role_arn_prefix}*"]

    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_arn]
    }
  }

  statement {
    sid = "StackRoles"
    actions = [
      "iam:DeleteRole",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:PassRole",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
      "iam:UpdateRoleDescription",
    ]
    resources = ["${local.role_arn_prefix}*"]
  }

  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/*"]

    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = var.service_linked_roles
    }
  }

  # The CI roles, their provider and the boundary are changed by an administrator, never
  # by the pipeline they govern.
  statement {
    sid    = "CiIdentityIsAdminManaged"
    effect = "Deny"
    actions = [
      "iam:Add*",
      "iam:Attach*",
      "iam:Create*",
      "iam:Delete*",
      "iam:Detach*",
      "iam:PassRole",
      "iam:Put*",
      "iam:Remove*",
      "iam:Set*",
      "iam:Tag*",
      "iam:Untag*",
      "iam:Update*",
    ]
    resources = [
      "${local.role_arn_prefix}deploy",
      "${local.role_arn_prefix}plan",
      local.boundary_arn,
      "${local.policy_arn_prefix}apply",
      local.oidc_provider_arn,
    ]
  }

  # Tags are what scopes the deploy role: it must not move another stack's resource into this
  # one by re-tagging it (a resource tagged for another environment or service stays theirs).
  statement {
    sid       = "OtherEnvironmentsTagsStay"
    effect    = "Deny"
    actions   = flatten([for service in var.terraform_services : ["${service}:*Tag*"]])
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/environment"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:ResourceTag/environment"
      values   = [var.environment]
    }
  }

  statement {
    sid       = "OtherServicesTagsStay"
    effect    = "Deny"
    actions   = flatten([for service in var.terraform_services : ["${service}:*Tag*"]])
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/service"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:ResourceTag/service"
      values   = [var.name]
    }
  }

  # Recovery points outlive a bad deploy: the pipeline can neither delete them early nor
  # remove a vault lock (governance mode can be lifted by anyone allowed to; not this role).
  dynamic "statement" {
    for_each = contains(var.terraform_services, "backup") ? [1] : []
    content {
      sid       = "RecoveryPointsStay"
      effect    = "Deny"
      actions   = ["backup:DeleteBackupVaultLockConfiguration", "backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"]
      resources = ["*"]
    }
  }

  statement {
    sid       = "BoundaryStays"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary"]
    resources = ["${local.role_arn_prefix}*"]
  }
}

resource "aws_iam_policy" "apply" {
  name        = "${local.prefix}-apply"
  description = "terraform apply of ${var.name} (${var.environment}) from GitHub Actions."
  policy      = data.aws_iam_policy_document.apply.json

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "deploy_apply" {
  role       = aws_iam_role.deploy.name
  policy_arn = aws_iam_policy.apply.arn
}

resource "aws_iam_role_policy" "deploy" {
  count = length(var.policy_json)

  name   = "${local.prefix}-deploy-${count.index}"
  role   = aws_iam_role.deploy.id
  policy = var.policy_json[count.index]
}
