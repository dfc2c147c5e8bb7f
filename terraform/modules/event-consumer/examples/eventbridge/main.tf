provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      service       = "invoice-sync"
      owner         = "team-orders"
      environment   = "prod"
      "cost-center" = "cc-1234"
    }
  }
}

# In a generated service these come from the vpc and kms modules
# (module.vpc.vpc_id, module.vpc.private_subnet_ids, module.kms.key_arn).
locals {
  vpc_id             = "vpc-0123456789abcdef0"
  private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]
  kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

# Source eventbridge: a rule on the default bus forwards InvoiceIssued events from the billing
# service to the queue.
module "invoice_sync" {
  source = "../../"

  name         = "invoice-sync"
  environment  = "prod"
  event_source = "eventbridge"
  tags         = { component = "consumer" }

  event_bus_name = "default"
  event_pattern = jsonencode({
    source        = ["billing"]
    "detail-type" = ["InvoiceIssued"]
  })

  vpc_id             = local.vpc_id
  private_subnet_ids = local.private_subnet_ids

  batch_size               = 10
  max_concurrency          = 20
  function_timeout_seconds = 120
  memory_size              = 1024
  max_receive_count        = 10

  kms_key_arn        = local.kms_key_arn
  log_retention_days = 731
  image_tag          = "v2.0.0"
  log_level          = "WARNING"
}

output "rule_arn" {
  description = "The EventBridge rule feeding the queue."
  value       = module.invoice_sync.rule_arn
}

output "dlq_name" {
  description = "The main queue's dead-letter queue."
  value       = module.invoice_sync.dlq_name
}
