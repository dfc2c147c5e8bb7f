provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      service       = "order-notifications"
      owner         = "team-orders"
      environment   = "staging"
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

# Source sns: a KMS-encrypted topic fans out to the queue (raw delivery off, so the consumer
# receives the SNS envelope). Bigger batches, collected for up to 5 s.
module "order_notifications" {
  source = "../../"

  name         = "order-notifications"
  environment  = "staging"
  event_source = "sns"
  tags         = { component = "consumer" }

  producer_principal_arns = ["arn:aws:iam::123456789012:role/orders-api-staging-task"]

  vpc_id             = local.vpc_id
  private_subnet_ids = local.private_subnet_ids

  batch_size                      = 50
  maximum_batching_window_seconds = 5
  max_concurrency                 = 10
  reserved_concurrency            = 20
  function_timeout_seconds        = 60
  visibility_timeout_seconds      = 400
  memory_size                     = 1024
  max_receive_count               = 8
  architecture                    = "arm64"

  kms_key_arn        = local.kms_key_arn
  log_retention_days = 365
  image_tag          = "v1.4.2"
  log_level          = "INFO"

  environment_variables = {
    ORDERS_TABLE = "orders-staging"
  }
}

output "topic_arn" {
  description = "Where producers publish."
  value       = module.order_notifications.topic_arn
}

output "dlq_name" {
  description = "The main queue's dead-letter queue."
  value       = module.order_notifications.dlq_name
}
