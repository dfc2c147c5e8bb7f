provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      service       = "order-events"
      owner         = "team-orders"
      environment   = "dev"
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

# Source sqs: producers send straight to the queue. A producer role in another account is
# allowed by the queue policy; same-account producers are granted by their own IAM policy.
module "order_events" {
  source = "../../"

  name         = "order-events"
  environment  = "dev"
  event_source = "sqs"
  tags         = { component = "consumer" }

  producer_principal_arns = ["arn:aws:iam::210987654321:role/checkout-producer"]

  vpc_id             = local.vpc_id
  private_subnet_ids = local.private_subnet_ids

  batch_size               = 10
  max_concurrency          = 5
  function_timeout_seconds = 30
  memory_size              = 512
  max_receive_count        = 5

  kms_key_arn        = local.kms_key_arn
  log_retention_days = 365
  image_tag          = "3f9c2e1"
  log_level          = "INFO"
}

output "queue_url" {
  description = "Where producers send messages."
  value       = module.order_events.queue_url
}

output "dlq_name" {
  description = "The main queue's dead-letter queue."
  value       = module.order_events.dlq_name
}

output "function_name" {
  description = "The consumer function."
  value       = module.order_events.function_name
}
