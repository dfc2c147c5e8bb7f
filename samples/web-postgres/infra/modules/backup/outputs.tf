output "vault_arn" {
  description = "ARN of the backup vault."
  value       = aws_backup_vault.this.arn
}

output "vault_name" {
  description = "Name of the backup vault (<name>-<environment>)."
  value       = aws_backup_vault.this.name
}

output "plan_id" {
  description = "ID of the backup plan."
  value       = aws_backup_plan.this.id
}

output "plan_arn" {
  description = "ARN of the backup plan."
  value       = aws_backup_plan.this.arn
}

output "selection_id" {
  description = "ID of the backup selection holding resource_arns."
  value       = aws_backup_selection.this.id
}

output "role_arn" {
  description = "ARN of the IAM role AWS Backup uses for backup and restore jobs (pass it to restore jobs and DR drills)."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the AWS Backup IAM role (<name>-<environment>-backup)."
  value       = aws_iam_role.this.name
}

output "vault_lock_enabled" {
  description = "Whether a Vault Lock configuration is applied."
  value       = length(aws_backup_vault_lock_configuration.this) > 0
}

output "copy_destination_vault_arn" {
  description = "The vault every recovery point is copied to, or null when there is no copy."
  value       = try(var.copy_destination.vault_arn, null)
}
