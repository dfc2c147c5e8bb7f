output "queue_name" {
  description = "Name of the main SQS queue (CloudWatch dimension QueueName; alarm on ApproximateAgeOfOldestMessage)."
  value       = aws_sqs_queue.this.name
}

output "queue_arn" {
  description = "ARN of the main SQS queue."
  value       = aws_sqs_queue.this.arn
}

output "queue_url" {
  description = "URL of the main SQS queue (what sqs-source producers send to)."
  value       = aws_sqs_queue.this.id
}

output "visibility_timeout_seconds" {
  description = "Visibility timeout the main queue was given (6 x function timeout unless set)."
  value       = aws_sqs_queue.this.visibility_timeout_seconds
}

output "dlq_name" {
  description = "Name of the main queue's dead-letter queue (alarm on ApproximateNumberOfMessagesVisible > 0)."
  value       = aws_sqs_queue.dlq.name
}

output "dlq_arn" {
  description = "ARN of the main queue's dead-letter queue."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_url" {
  description = "URL of the main queue's dead-letter queue (for inspection and redrive)."
  value       = aws_sqs_queue.dlq.id
}

output "function_dlq_name" {
  description = "Name of the dead-letter queue of the function's asynchronous invocations."
  value       = aws_sqs_queue.function_dlq.name
}

output "function_dlq_arn" {
  description = "ARN of the dead-letter queue of the function's asynchronous invocations."
  value       = aws_sqs_queue.function_dlq.arn
}

output "function_name" {
  description = "Name of the consumer Lambda function (CloudWatch dimension FunctionName)."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the consumer Lambda function."
  value       = aws_lambda_function.this.arn
}

output "function_role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.this.arn
}

output "function_role_name" {
  description = "Name of the function's execution role (attach further policies to it from the caller if needed)."
  value       = aws_iam_role.this.name
}

output "reserved_concurrency" {
  description = "Reserved concurrent executions the function was given (max_concurrency + 5 unless set)."
  value       = local.reserved_concurrency
}

output "event_source_mapping_uuid" {
  description = "UUID of the SQS event source mapping."
  value       = aws_lambda_event_source_mapping.this.uuid
}

output "topic_arn" {
  description = "ARN of the SNS topic producers publish to; null unless event_source is sns."
  value       = one(aws_sns_topic.this[*].arn)
}

output "topic_name" {
  description = "Name of the SNS topic; null unless event_source is sns."
  value       = one(aws_sns_topic.this[*].name)
}

output "rule_name" {
  description = "Name of the EventBridge rule; null unless event_source is eventbridge."
  value       = one(aws_cloudwatch_event_rule.this[*].name)
}

output "rule_arn" {
  description = "ARN of the EventBridge rule; null unless event_source is eventbridge."
  value       = one(aws_cloudwatch_event_rule.this[*].arn)
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "ecr_repository_url" {
  description = "URL of the function's ECR repository (push <url>:<image_tag> before creating or updating the function)."
  value       = module.ecr.repository_url
}

output "ecr_repository_name" {
  description = "Name of the function's ECR repository."
  value       = module.ecr.repository_name
}

output "ecr_repository_arn" {
  description = "ARN of the function's ECR repository (for a CI push policy)."
  value       = module.ecr.repository_arn
}

output "security_group_id" {
  description = "ID of the function's security group (allow it as a source on anything the function must reach, e.g. a database)."
  value       = aws_security_group.this.id
}

output "idempotency_table_name" {
  description = "DynamoDB table of the function's idempotency records (<name>-<environment>-idempotency): one per processed event id."
  value       = aws_dynamodb_table.idempotency.name
}

output "idempotency_table_arn" {
  description = "ARN of the idempotency table (back it up with the backup module)."
  value       = aws_dynamodb_table.idempotency.arn
}
