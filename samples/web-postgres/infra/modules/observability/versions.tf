terraform {
  # >= 1.9 is needed for cross-variable validation (the per-type inputs check service_type);
  # the module library pins >= 1.10 for all modules.
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}
