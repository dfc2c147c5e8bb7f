################################################################################
# database: RDS for PostgreSQL, encrypted, Multi-AZ capable, observable
################################################################################

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  name       = "${var.name}-${var.environment}"
  identifier = local.name
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id

  tags = merge(var.tags, { Module = "database" })

  db_name      = coalesce(var.db_name, replace(var.name, "-", "_"))
  engine_major = split(".", var.engine_version)[0]
  # Computed directly from the variable (not from local.engine_major): checkov resolves only
  # one level of locals here, and CKV2_AWS_69 needs the family to see the rds.force_ssl rule.
  parameter_family = "postgres${split(".", var.engine_version)[0]}"

  log_exports = ["postgresql", "upgrade"]

  # Parameters the module always sets. Kept a plain list (no concat here) so checkov can
  # render the dynamic block below and see rds.force_ssl for CKV2_AWS_69.
  managed_parameters = [
    # Reject unencrypted client connections (CKV2_AWS_69). Dynamic in RDS for PostgreSQL,
    # but pending-reboot is valid for any parameter and a new instance starts with it anyway.
    { name = "rds.force_ssl", value = "1", apply_method = "pending-reboot" },
    # Statement and slow-query logging (CKV2_AWS_30), exported to CloudWatch Logs.
    { name = "log_statement", value = var.log_statement, apply_method = "immediate" },
    { name = "log_min_duration_statement", value = tostring(var.log_min_duration_statement), apply_method = "immediate" },
  ]
}

################################################################################
# Security group
################################################################################

resource "aws_security_group" "this" {
  name_prefix = "${local.name}-db-"
  description = "RDS PostgreSQL ${local.name}: PostgreSQL in only from the allowed application security groups"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${local.name}-db" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each = { for idx, sg in var.allowed_security_group_ids : tostring(idx) => sg }

  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL from an allowed application security group"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = each.value

  tags = local.tags
}

# No egress rules: the instance only answers connections (stateful), it never initiates any.

################################################################################
# Parameter group
################################################################################

resource "aws_db_parameter_group" "this" {
  name_prefix = "${local.name}-${local.parameter_family}-"
  description = "PostgreSQL ${local.engine_major} parameters for ${local.name}: forced TLS, statement logging"
  family      = local.parameter_family

  dynamic "parameter" {
    for_each = concat(local.managed_parameters, var.additional_parameters)

    content {
      name         = parameter.value.name
      value        = parameter.value.value
      apply_method = parameter.value.apply_method
    }
  }

  tags = local.tags

  lifecycle {
    # A major version upgrade needs a group of the new family before the old one goes.
    create_before_destroy = true
  }
}

################################################################################
# Log groups (created before the instance so retention and KMS are ours, not RDS defaults)
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(local.log_exports)

  name              = "/aws/rds/instance/${local.identifier}/${each.key}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn

  tags = local.tags
}

################################################################################
# Enhanced Monitoring role
################################################################################

data "aws_iam_policy_document" "monitoring_assume" {
  statement {
    sid     = "RdsMonitoringAssume"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  name                 = "${local.name}-rds-monitoring"
  description          = "Lets RDS Enhanced Monitoring for ${local.name} publish OS metrics to CloudWatch Logs"
  assume_role_policy   = data.aws_iam_policy_document.monitoring_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

################################################################################
# DB instance
################################################################################

resource "aws_db_instance" "this" {
  identifier     = local.identifier
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  db_name        = local.db_name
  port           = var.port

  # Credentials: RDS generates the password and keeps it in Secrets Manager, encrypted with
  # our key and rotated by RDS (every 7 days by default). Apps should prefer IAM auth.
  username                            = var.master_username
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = var.kms_key_arn
  iam_database_authentication_enabled = true

  # Network
  db_subnet_group_name   = var.database_subnet_group_name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false
  multi_az               = var.multi_az
  ca_cert_identifier     = var.ca_cert_identifier

  # Storage
  storage_type          = "gp3"
  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  parameter_group_name = aws_db_parameter_group.this.name

  # Backups and lifecycle
  backup_retention_period   = var.backup_retention_period
  backup_window             = var.backup_window
  maintenance_window        = var.maintenance_window
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${local.identifier}-final"

  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = var.allow_major_version_upgrade
  apply_immediately           = var.apply_immediately

  # Observability
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.kms_key_arn
  performance_insights_retention_period = var.performance_insights_retention_period
  monitoring_interval                   = var.monitoring_interval
  monitoring_role_arn                   = aws_iam_role.monitoring.arn
  enabled_cloudwatch_logs_exports       = local.log_exports

  tags = merge(local.tags, { Name = local.identifier })

  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy_attachment.monitoring,
  ]
}
