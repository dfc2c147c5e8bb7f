output "key_arn" {
  description = "ARN of the customer-managed key: pass it as kms_key_arn to the other modules."
  value       = aws_kms_key.this.arn
}

output "key_id" {
  description = "ID (UUID) of the customer-managed key."
  value       = aws_kms_key.this.key_id
}

output "alias_name" {
  description = "Alias of the key, alias/<name>-<environment>."
  value       = aws_kms_alias.this.name
}
