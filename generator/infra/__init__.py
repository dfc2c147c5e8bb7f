"""Infrastructure checks over Terraform: formatting, validation, checkov, skips, variables."""
