# BEGIN shared: name environment tags (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "name" {
  type        = string
  description = "Service name (lower-case kebab-case, 3-24 characters). Prefix of the role names (<name>-<environment>-plan and -deploy)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name)) && length(var.name) >= 3 && length(var.name) <= 24
    error_message = "name must be 3-24 characters of lower-case letters, digits and single hyphens, starting with a letter and ending with a letter or digit (e.g. \"orders-api\")."
  }
}

variable "environment" {
  type        = string
  description = "Deployment environment: dev, staging or prod. Also the GitHub environment the deploy role trusts (sub = repo:<org>/<repo>:environment:<environment>); plans run in the GitHub environment <environment>-plan."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of: dev, staging, prod."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags merged into every taggable resource (the provider's default_tags carry service, owner, environment and cost-center)."
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256])
    error_message = "tags keys must be 1-128 characters and values at most 256 characters."
  }
}
# END shared


variable "github_org" {
  type        = string
  description = "GitHub organisation or user that owns the repository (case as GitHub shows it; the sub claim is compared exactly)."

  validation {
    condition     = can(regex("^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}$", var.github_org))
    error_message = "github_org must be a GitHub owner name: 1-39 letters, digits and single hyphens, not starting or ending with a hyphen."
  }
}

variable "repository" {
  type        = string
  description = "Repository name, without the owner (e.g. \"orders-api\")."

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,100}$", var.repository)) && !contains([".", ".."], var.repository)
    error_message = "repository must be a GitHub repository name: 1-100 letters, digits, '.', '_' or '-', without the owner."
  }
}

variable "default_branch" {
  type        = string
  description = "Branch whose runs without a GitHub environment (the weekly report) may assume the read-only plan role."
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,100}$", var.default_branch))
    error_message = "default_branch must be a branch name: letters, digits, '.', '_', '/' or '-'."
  }
}

variable "state_bucket" {
  type        = string
  description = "S3 bucket of the Terraform state (the backend's bucket)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket must be an S3 bucket name: 3-63 lower-case letters, digits, '.' or '-'."
  }
}

variable "state_key" {
  type        = string
  description = "Key of this environment's state object (the backend's key, e.g. \"orders-api/prod/terraform.tfstate\"). The roles reach only this object, its .tflock and a listing of its folder."

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()/-]+/[A-Za-z0-9!_.*'()-]+$", var.state_key))
    error_message = "state_key must be an S3 key inside a folder, e.g. \"orders-api/prod/terraform.tfstate\"."
  }
}

variable "state_kms_key_arn" {
  type        = string
  description = "KMS key that encrypts the state bucket (SSE-KMS), used through S3 only; null when the bucket uses SSE-S3."
  default     = null

  validation {
    condition     = var.state_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.state_kms_key_arn))
    error_message = "state_kms_key_arn must be null or a KMS key ARN."
  }
}

variable "terraform_services" {
  type        = list(string)
  description = "IAM service prefixes of the resources the stack creates (e.g. [\"ec2\", \"ecs\", \"logs\"]). The deploy role may change only the stack's own resources of these services in the stack's region (by name <name>-<environment>*, or by the tags service = name and environment = environment; new ones only when created with those tags); they also bound every role the stack creates. IAM, STS, Organizations and Account are never accepted: IAM is granted by name prefix."

  validation {
    condition     = length(var.terraform_services) > 0 && alltrue([for s in var.terraform_services : can(regex("^[a-z0-9-]+$", s))])
    error_message = "terraform_services must be a non-empty list of IAM service prefixes (lower-case letters, digits and '-', e.g. \"ecs\")."
  }

  validation {
    condition     = length(setintersection(toset(var.terraform_services), toset(["iam", "sts", "organizations", "account", "budgets", "ce"]))) == 0
    error_message = "terraform_services must not list iam, sts, organizations or account (granted by name prefix, or never), nor budgets and ce (set manage_billing)."
  }
}

variable "manage_billing" {
  type        = bool
  description = "Let the deploy role manage the stack's own AWS Budgets (named <name>-<environment>-*; Budgets is a global service)."
  default     = true
}

variable "service_linked_roles" {
  type        = list(string)
  description = "AWS services (e.g. \"ecs.amazonaws.com\") whose service-linked role the deploy role may create on first use."
  default     = ["ecs.amazonaws.com"]

  validation {
    condition     = alltrue([for s in var.service_linked_roles : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", s))])
    error_message = "service_linked_roles must be AWS service principals such as \"ecs.amazonaws.com\"."
  }
}

variable "policy_json" {
  type        = list(string)
  description = "Extra IAM policy documents (JSON) attached to the deploy role as inline policies, for what terraform_services does not cover. No statement may allow the action \"*\"; together at most 10,240 non-whitespace characters (the IAM quota for a role's inline policies)."
  default     = []

  validation {
    condition     = alltrue([for p in var.policy_json : can(jsondecode(p).Statement)])
    error_message = "Every policy_json element must be a JSON IAM policy document with a Statement."
  }

  validation {
    condition = alltrue([
      for p in var.policy_json : alltrue([
        for s in flatten([try(jsondecode(p).Statement, [])]) :
        !contains(flatten([try(s.Action, [])]), "*")
      ])
    ])
    error_message = "policy_json must not grant the action \"*\": list the actions the deploy needs."
  }

  validation {
    condition     = sum(concat([0], [for p in var.policy_json : length(replace(p, "/\\s/", ""))])) <= 10240
    error_message = "policy_json documents together exceed 10,240 non-whitespace characters, the IAM limit for a role's inline policies: move shared statements to a managed policy or tighten them."
  }
}

variable "max_session_duration" {
  type        = number
  description = "Maximum session length, in seconds, of the deploy role (3600-43200). The workflow asks for what it needs with role-duration-seconds."
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200 && floor(var.max_session_duration) == var.max_session_duration
    error_message = "max_session_duration must be a whole number of seconds from 3600 to 43200."
  }
}

# BEGIN shared: permissions_boundary_arn (generated from scaffold's generator/infra/shared_variables.py by `scaffold samples regenerate`; do not edit)
variable "permissions_boundary_arn" {
  type        = string
  description = "Managed policy set as the permissions boundary of every IAM role this module creates (null: none). Here the plan and deploy roles themselves; the stacks they deploy use the workload_boundary_arn output."
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be null or an IAM managed policy ARN."
  }
}
# END shared

variable "additional_regions" {
  type        = list(string)
  description = "Regions besides the stack's own where it creates resources (e.g. the region its backups are copied to): the deploy role may manage the stack's resources there too, by the same names and tags."
  default     = []

  validation {
    condition     = alltrue([for r in var.additional_regions : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", r))])
    error_message = "additional_regions must be AWS region codes such as \"eu-central-1\"."
  }
}
