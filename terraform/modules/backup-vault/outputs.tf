output "vault_arn" {
  description = "ARN of the copy vault: the backup module's copy_destination.vault_arn."
  value       = aws_backup_vault.this.arn
}

output "vault_name" {
  description = "Name of the copy vault (<name>-<environment>-copy)."
  value       = aws_backup_vault.this.name
}

output "kms_key_arn" {
  description = "ARN of the copy vault's own KMS key: the backup module's copy_destination.kms_key_arn."
  value       = aws_kms_key.this.arn
}

output "vault_lock_enabled" {
  description = "Whether a Vault Lock protects the copies."
  value       = var.vault_lock_min_retention_days != null
}
