# Complete example: a production web service. Network, certificate and key come in as
# variables (in a generated repo they are outputs of the vpc, acm and kms modules).

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

# What the application itself may do: read one S3 prefix of its own bucket.
data "aws_iam_policy_document" "app" {
  statement {
    sid       = "ReadUploads"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::orders-api-prod-uploads-${data.aws_caller_identity.current.account_id}/incoming/*"]
  }
}

module "web_service" {
  source = "../../"

  name        = "orders-api"
  environment = "prod"

  vpc_id             = var.vpc_id
  vpc_cidr_block     = var.vpc_cidr_block
  public_subnet_ids  = var.public_subnet_ids
  private_subnet_ids = var.private_subnet_ids
  internet_facing    = true

  certificate_arn     = var.certificate_arn
  kms_key_arn         = var.kms_key_arn
  deletion_protection = true

  image_tag      = var.image_tag
  cpu            = 1024
  memory         = 2048
  container_port = 8080
  health_path    = "/healthz"

  environment_variables = {
    LOG_LEVEL = "info"
    PORT      = "8080"
  }

  secrets = {
    DATABASE_URL = "arn:aws:secretsmanager:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:secret:orders-api/prod/database-url-Ab12Cd"
    STRIPE_KEY   = "arn:aws:ssm:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:parameter/orders-api/prod/stripe-key"
  }

  task_role_policy_json       = [data.aws_iam_policy_document.app.json]
  egress_cidr_blocks_postgres = [var.vpc_cidr_block]

  min_tasks           = 3
  max_tasks           = 12
  rate_limit_per_5min = 2000

  tags = {
    Example = "complete"
  }
}

output "alb_dns_name" {
  description = "DNS name of the ALB."
  value       = module.web_service.alb_dns_name
}

output "ecr_repository_url" {
  description = "Where CI pushes images."
  value       = module.web_service.ecr_repository_url
}

output "service_security_group_id" {
  description = "Security group of the tasks (allow it in the database module)."
  value       = module.web_service.service_security_group_id
}
