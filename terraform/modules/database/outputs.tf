output "instance_id" {
  description = "Identifier of the DB instance (DBInstanceIdentifier dimension of AWS/RDS metrics)."
  value       = aws_db_instance.this.identifier
}

output "instance_arn" {
  description = "ARN of the DB instance."
  value       = aws_db_instance.this.arn
}

output "instance_resource_id" {
  description = "Immutable resource ID of the DB instance (db-XXXX), used in rds-db:connect ARNs."
  value       = aws_db_instance.this.resource_id
}

output "endpoint" {
  description = "Connection endpoint, address:port."
  value       = aws_db_instance.this.endpoint
}

output "address" {
  description = "DNS host name of the instance."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port PostgreSQL listens on."
  value       = aws_db_instance.this.port
}

output "db_name" {
  description = "Name of the database created at launch."
  value       = aws_db_instance.this.db_name
}

output "master_username" {
  description = "Master user name (password in master_user_secret_arn)."
  value       = aws_db_instance.this.username
}

output "master_user_secret_arn" {
  description = "ARN of the RDS-managed Secrets Manager secret holding the master credentials (JSON keys username, password)."
  value       = try(aws_db_instance.this.master_user_secret[0].secret_arn, null)
}

output "security_group_id" {
  description = "ID of the database security group."
  value       = aws_security_group.this.id
}

output "parameter_group_name" {
  description = "Name of the DB parameter group."
  value       = aws_db_parameter_group.this.name
}

output "iam_connect_arn_prefix" {
  description = "arn:<partition>:rds-db:<region>:<account>:dbuser:<resource_id> - append \"/<db_user>\" for the rds-db:connect resource of IAM database authentication."
  value       = "arn:${local.partition}:rds-db:${local.region}:${local.account_id}:dbuser:${aws_db_instance.this.resource_id}"
}

output "log_group_names" {
  description = "CloudWatch log groups receiving the exported PostgreSQL logs, keyed by export (postgresql, upgrade)."
  value       = { for k, lg in aws_cloudwatch_log_group.this : k => lg.name }
}

output "monitoring_role_arn" {
  description = "ARN of the Enhanced Monitoring IAM role."
  value       = aws_iam_role.monitoring.arn
}

output "allocated_storage" {
  description = "Storage allocated at creation, in GiB (storage autoscaling may grow it up to max_allocated_storage; the provider ignores that drift)."
  value       = aws_db_instance.this.allocated_storage
}
