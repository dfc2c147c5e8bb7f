output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "azs" {
  description = "Availability Zones used, in subnet order (index i of every subnet list is in azs[i])."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (load balancers, NAT gateways), one per AZ."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets (ECS tasks, Lambda functions), one per AZ."
  value       = aws_subnet.private[*].id
}

output "database_subnet_ids" {
  description = "IDs of the database subnets (no internet route), one per AZ."
  value       = aws_subnet.database[*].id
}

output "database_subnet_group_name" {
  description = "Name of the DB subnet group over the database subnets (db_subnet_group_name of RDS)."
  value       = aws_db_subnet_group.this.name
}

output "public_route_table_id" {
  description = "ID of the public route table (default route to the internet gateway)."
  value       = aws_route_table.public.id
}

output "private_route_table_ids" {
  description = "IDs of the private route tables, one per AZ (S3 and DynamoDB gateway endpoints are attached to them)."
  value       = aws_route_table.private[*].id
}

output "database_route_table_id" {
  description = "ID of the database route table (VPC-local routes only)."
  value       = aws_route_table.database.id
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways: az_count of them for one_per_az, one for single, none for none."
  value       = aws_nat_gateway.this[*].id
}

output "nat_public_ips" {
  description = "Public IPs of the NAT gateways (the egress addresses of the private subnets)."
  value       = aws_eip.nat[*].public_ip
}

output "internet_gateway_id" {
  description = "ID of the internet gateway."
  value       = aws_internet_gateway.this.id
}

output "default_security_group_id" {
  description = "ID of the VPC's default security group (kept empty: attach nothing to it)."
  value       = aws_default_security_group.this.id
}

output "s3_endpoint_id" {
  description = "ID of the S3 gateway endpoint."
  value       = aws_vpc_endpoint.s3.id
}

output "dynamodb_endpoint_id" {
  description = "ID of the DynamoDB gateway endpoint."
  value       = aws_vpc_endpoint.dynamodb.id
}

output "flow_log_id" {
  description = "ID of the VPC flow log."
  value       = aws_flow_log.this.id
}

output "flow_log_group_name" {
  description = "Name of the CloudWatch log group holding the flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}

output "flow_log_group_arn" {
  description = "ARN of the CloudWatch log group holding the flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.arn
}

output "flow_log_role_arn" {
  description = "ARN of the IAM role VPC Flow Logs uses to write to the log group."
  value       = aws_iam_role.flow_logs.arn
}
