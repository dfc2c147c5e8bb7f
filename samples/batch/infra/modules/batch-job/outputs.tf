output "ecs_cluster_name" {
  description = "Name of the ECS cluster the job runs in (CloudWatch dimension ClusterName)."
  value       = aws_ecs_cluster.this.name
}

output "ecs_cluster_arn" {
  description = "ARN of the ECS cluster the job runs in."
  value       = aws_ecs_cluster.this.arn
}

output "task_definition_family" {
  description = "Family of the job's task definition (ECS task events carry it as group \"family:<family>\")."
  value       = aws_ecs_task_definition.this.family
}

output "task_definition_arn" {
  description = "ARN (with revision) of the task definition the schedule runs."
  value       = aws_ecs_task_definition.this.arn
}

output "container_name" {
  description = "Name of the job's container in the task definition (used in container overrides, e.g. for a manual run)."
  value       = local.container_name
}

output "schedule_name" {
  description = "Name of the EventBridge Scheduler schedule."
  value       = aws_scheduler_schedule.this.name
}

output "schedule_arn" {
  description = "ARN of the EventBridge Scheduler schedule."
  value       = aws_scheduler_schedule.this.arn
}

output "schedule_group_name" {
  description = "Name of the schedule group holding the schedule (CloudWatch dimension ScheduleGroup of the AWS/Scheduler metrics)."
  value       = aws_scheduler_schedule_group.this.name
}

output "scheduler_role_arn" {
  description = "ARN of the schedule's execution role."
  value       = aws_iam_role.scheduler.arn
}

output "dlq_name" {
  description = "Name of the SQS dead-letter queue receiving invocations Scheduler could not deliver (alarm on ApproximateNumberOfMessagesVisible > 0)."
  value       = aws_sqs_queue.dlq.name
}

output "dlq_arn" {
  description = "ARN of the schedule's dead-letter queue."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_url" {
  description = "URL of the schedule's dead-letter queue."
  value       = aws_sqs_queue.dlq.id
}

output "ecr_repository_url" {
  description = "URL of the job's ECR repository (push <url>:<image_tag>)."
  value       = module.ecr.repository_url
}

output "ecr_repository_name" {
  description = "Name of the job's ECR repository."
  value       = module.ecr.repository_name
}

output "ecr_repository_arn" {
  description = "ARN of the job's ECR repository (for a CI push policy)."
  value       = module.ecr.repository_arn
}

output "log_group_name" {
  description = "Name of the job's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the job's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "idempotency_table_name" {
  description = "Name of the DynamoDB idempotency table (also passed to the job as JOB_IDEMPOTENCY_TABLE)."
  value       = aws_dynamodb_table.idempotency.name
}

output "idempotency_table_arn" {
  description = "ARN of the DynamoDB idempotency table."
  value       = aws_dynamodb_table.idempotency.arn
}

output "task_role_arn" {
  description = "ARN of the job's task role (what the job's code runs as)."
  value       = aws_iam_role.task.arn
}

output "task_role_name" {
  description = "Name of the job's task role (attach further policies to it from the caller if needed)."
  value       = aws_iam_role.task.name
}

output "execution_role_arn" {
  description = "ARN of the ECS task execution role (image pull and logs)."
  value       = aws_iam_role.execution.arn
}

output "task_security_group_id" {
  description = "ID of the task's security group (allow it as a source on anything the job must reach, e.g. a database)."
  value       = aws_security_group.task.id
}
