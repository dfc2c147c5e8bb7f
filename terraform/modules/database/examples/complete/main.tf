# Complete example: the production database of a web service. Network, key and the
# application's security group come in as variables (in a generated repo they are outputs
# of the vpc, kms and web-service modules).

module "database" {
  source = "../../"

  name        = "orders-api"
  environment = "prod"

  vpc_id                     = var.vpc_id
  database_subnet_group_name = var.database_subnet_group_name
  allowed_security_group_ids = [var.app_security_group_id]

  engine_version        = "16"
  instance_class        = "db.r7g.large"
  multi_az              = true
  allocated_storage     = 100
  max_allocated_storage = 500

  kms_key_arn             = var.kms_key_arn
  backup_retention_period = 14
  deletion_protection     = true

  log_statement              = "ddl"
  log_min_duration_statement = 500

  additional_parameters = [
    { name = "idle_in_transaction_session_timeout", value = "60000", apply_method = "immediate" },
    { name = "log_lock_waits", value = "1", apply_method = "immediate" },
  ]

  tags = {
    Example = "complete"
  }
}

# What the application's task role needs to log in as the "app" database user with IAM auth
# (pass this document to the web-service module's task_role_policy_json).
data "aws_iam_policy_document" "db_connect" {
  statement {
    sid       = "RdsIamConnect"
    effect    = "Allow"
    actions   = ["rds-db:connect"]
    resources = ["${module.database.iam_connect_arn_prefix}/app"]
  }
}

output "endpoint" {
  description = "Database endpoint (address:port)."
  value       = module.database.endpoint
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret with the master credentials."
  value       = module.database.master_user_secret_arn
}

output "db_connect_policy_json" {
  description = "IAM policy for the application role (rds-db:connect as user app)."
  value       = data.aws_iam_policy_document.db_connect.json
}
