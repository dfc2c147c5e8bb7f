# Offline tests of the policies themselves: the real AWS provider renders the
# aws_iam_policy_document data sources locally, with fake credentials and every API call
# skipped (the data sources that would call AWS are overridden). `command = plan` only.
#   terraform init -backend=false && terraform test
# Conditions use try() rather than relying on `||` / `&&` to skip their right side: Terraform
# before 1.12 evaluates both sides, and the generated workflows pin 1.11.

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "offline-test"
  secret_key                  = "offline-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = data.aws_region.current
  values = { id = "eu-west-1", name = "eu-west-1" }
}

# The account's provider, created by the bootstrap: looked up, never created here.
override_data {
  target = data.aws_iam_openid_connect_provider.github
  values = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
}

variables {
  name               = "orders-api"
  environment        = "prod"
  github_org         = "acme"
  repository         = "orders-api"
  state_bucket       = "acme-terraform-state"
  state_key          = "orders-api/prod/terraform.tfstate"
  terraform_services = ["ec2", "ecs", "logs"]
}

run "plan_role_reads_and_trusts_its_own_environment" {
  command = plan

  assert {
    condition = toset(jsondecode(data.aws_iam_policy_document.assume_plan.json).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]) == toset([
      "repo:acme/orders-api:environment:prod-plan",
      "repo:acme/orders-api:ref:refs/heads/main",
    ])
    error_message = "the plan role must trust exactly the plan environment and main"
  }
  assert {
    condition = length(setintersection(
      toset(flatten([jsondecode(data.aws_iam_policy_document.assume_plan.json).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]])),
      toset(flatten([jsondecode(data.aws_iam_policy_document.assume_deploy.json).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]])),
    )) == 0
    error_message = "no OIDC subject may assume both the plan and the deploy role"
  }
  assert {
    condition     = aws_iam_role_policy_attachment.plan_read_only.policy_arn == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    error_message = "the plan role reads through ReadOnlyAccess"
  }
  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.plan_guard.json).Statement :
      alltrue([for a in flatten([s.Action]) : contains(["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"], a)])
      if s.Effect != "Deny"
    ])
    error_message = "the plan role's own statements may only touch the state"
  }
  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.plan_guard.json).Statement :
      try(flatten([s.Resource]), []) == ["arn:aws:s3:::acme-terraform-state/orders-api/prod/terraform.tfstate.tflock"]
      if s.Effect != "Deny" && contains(flatten([s.Action]), "s3:PutObject")
    ])
    error_message = "the plan role may write the lock file only"
  }
  assert {
    condition     = contains(flatten([for s in jsondecode(data.aws_iam_policy_document.plan_guard.json).Statement : s.Action if s.Effect == "Deny"]), "sqs:ReceiveMessage")
    error_message = "the plan role must not read queue messages"
  }
}

run "deploy_role_trusts_only_the_environment" {
  command = plan

  assert {
    condition     = output.oidc_provider_arn == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    error_message = "the account's OIDC provider is looked up (the bootstrap creates it), never created by a stack"
  }

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.assume_deploy.json).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == "repo:acme/orders-api:environment:prod"
    error_message = "the deploy role must trust the prod GitHub environment only"
  }
}

run "apply_policy_is_scoped" {
  command = plan

  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.apply.json).Statement :
      !contains(flatten([try(s.Resource, [])]), "*")
      if s.Effect == "Allow" && anytrue([for a in flatten([s.Action]) : endswith(a, ":*")])
    ])
    error_message = "no statement grants a service's every action on every resource"
  }
  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.apply.json).Statement : s.Condition.StringEquals
      if try(s.Sid, "") == "StackResourcesByTag"
    ]) == { "aws:ResourceTag/service" = "orders-api", "aws:ResourceTag/environment" = "prod" }
    error_message = "resources without a name in their ARN are the stack's by their service and environment tags"
  }
  assert {
    condition = alltrue([
      for r in flatten([for s in jsondecode(data.aws_iam_policy_document.apply.json).Statement : s.Resource if try(s.Sid, "") == "StackResourcesByName"]) :
      strcontains(r, "orders-api-prod")
    ])
    error_message = "every resource matched by name carries the stack's name"
  }
  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.apply.json).Statement : s.Condition.StringEquals["iam:PermissionsBoundary"]
      if try(s.Sid, "") == "StackRolesWithBoundary"
    ]) == "arn:aws:iam::123456789012:policy/orders-api-prod-workload-boundary"
    error_message = "roles can only be created or extended with the workload boundary"
  }
  assert {
    condition = alltrue([
      for r in ["arn:aws:iam::123456789012:role/orders-api-prod-deploy", "arn:aws:iam::123456789012:role/orders-api-prod-plan", "arn:aws:iam::123456789012:policy/orders-api-prod-workload-boundary"] :
      contains(flatten([for s in jsondecode(data.aws_iam_policy_document.apply.json).Statement : try(s.Resource, []) if s.Effect == "Deny"]), r)
    ])
    error_message = "the deploy role must not be able to change the CI roles or the boundary"
  }
  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.apply.json).Statement :
      alltrue([for r in flatten([s.Resource]) : startswith(r, "arn:aws:iam::123456789012:role/orders-api-prod-") || startswith(r, "arn:aws:iam::123456789012:role/aws-service-role/")])
      if s.Effect == "Allow" && anytrue([for a in flatten([s.Action]) : startswith(a, "iam:")])
    ])
    error_message = "IAM is only granted on the stack's own roles"
  }
  assert {
    condition     = !strcontains(data.aws_iam_policy_document.workload_boundary.json, "\"iam:*\"") && strcontains(data.aws_iam_policy_document.workload_boundary.json, "\"xray:*\"")
    error_message = "the workload boundary grants the stack's services and never IAM"
  }
}

run "refuses_iam_in_the_service_list" {
  command = plan

  variables {
    terraform_services = ["ec2", "iam"]
  }

  expect_failures = [var.terraform_services]
}

run "refuses_a_state_key_outside_a_folder" {
  command = plan

  variables {
    state_key = "terraform.tfstate"
  }

  expect_failures = [var.state_key]
}
