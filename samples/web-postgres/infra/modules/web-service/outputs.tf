output "alb_arn" {
  description = "ARN of the Application Load Balancer."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the ALB (the LoadBalancer dimension of AWS/ApplicationELB CloudWatch metrics)."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the ALB (target of a Route 53 alias record)."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Canonical hosted zone ID of the ALB (for Route 53 alias records)."
  value       = aws_lb.this.zone_id
}

output "alb_security_group_id" {
  description = "ID of the ALB security group."
  value       = aws_security_group.alb.id
}

output "target_group_arn" {
  description = "ARN of the target group the ECS service registers into."
  value       = aws_lb_target_group.this.arn
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (the TargetGroup dimension of AWS/ApplicationELB CloudWatch metrics)."
  value       = aws_lb_target_group.this.arn_suffix
}

output "access_logs_bucket_name" {
  description = "Name of the S3 bucket receiving the ALB access logs (objects under alb/AWSLogs/<account>/)."
  value       = aws_s3_bucket.access_logs.id
}

output "web_acl_arn" {
  description = "ARN of the WAFv2 web ACL associated with the ALB."
  value       = aws_wafv2_web_acl.this.arn
}

output "ecs_cluster_name" {
  description = "Name of the ECS cluster (ClusterName dimension of AWS/ECS and ECS/ContainerInsights metrics)."
  value       = aws_ecs_cluster.this.name
}

output "ecs_cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "ecs_service_name" {
  description = "Name of the ECS service (ServiceName dimension of AWS/ECS metrics; used by `aws ecs update-service`)."
  value       = aws_ecs_service.this.name
}

output "task_definition_arn" {
  description = "ARN (with revision) of the task definition the service currently runs."
  value       = aws_ecs_task_definition.this.arn
}

output "container_name" {
  description = "Name of the application container in the task definition."
  value       = local.container_name
}

output "ecr_repository_url" {
  description = "URL of the ECR repository (push images as <url>:<tag>)."
  value       = module.ecr.repository_url
}

output "ecr_repository_name" {
  description = "Name of the ECR repository."
  value       = module.ecr.repository_name
}

output "ecr_repository_arn" {
  description = "ARN of the ECR repository (scope CI push permissions to it)."
  value       = module.ecr.repository_arn
}

output "task_role_arn" {
  description = "ARN of the task (application) role."
  value       = aws_iam_role.task.arn
}

output "task_role_name" {
  description = "Name of the task (application) role, for attaching further policies."
  value       = aws_iam_role.task.name
}

output "execution_role_arn" {
  description = "ARN of the task execution role (CI needs iam:PassRole on it and on the task role to register task definitions)."
  value       = aws_iam_role.execution.arn
}

output "service_security_group_id" {
  description = "ID of the tasks' security group (allow it as a source in the database module's allowed_security_group_ids)."
  value       = aws_security_group.service.id
}

output "log_group_name" {
  description = "Name of the application CloudWatch log group."
  value       = aws_cloudwatch_log_group.app.name
}

output "waf_log_group_name" {
  description = "Name of the WAF CloudWatch log group."
  value       = aws_cloudwatch_log_group.waf.name
}

output "exec_log_group_name" {
  description = "CloudWatch log group holding the transcripts of ECS Exec sessions (break-glass)."
  value       = aws_cloudwatch_log_group.exec.name
}

output "migration" {
  description = "How to run the one-off migration task (null without one): cluster, task definition family (its newest revision runs), container name, subnets and security groups for RunTask, and the log group and stream prefix of its output."
  value = var.migration == null ? null : {
    cluster           = aws_ecs_cluster.this.name
    task_definition   = aws_ecs_task_definition.migration[0].family
    container_name    = "migrate"
    subnets           = var.private_subnet_ids
    security_groups   = [aws_security_group.service.id]
    log_group         = aws_cloudwatch_log_group.app.name
    log_stream_prefix = "migrate/migrate"
  }
}
