output "schedule_arn" {
  description = "ARN of the job's schedule."
  value       = module.batch_job.schedule_arn
}

output "ecr_repository_url" {
  description = "Where CI pushes the job image."
  value       = module.batch_job.ecr_repository_url
}

output "idempotency_table_name" {
  description = "The job's idempotency table."
  value       = module.batch_job.idempotency_table_name
}

output "dlq_name" {
  description = "The schedule's dead-letter queue."
  value       = module.batch_job.dlq_name
}
