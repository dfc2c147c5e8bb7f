data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

# Zones are chosen from a closed list of names (CKV_AWS_394): either var.azs or
# <region>a..f. A zone AWS adds later, or a zone whose state changes, never shifts the
# subnets of an existing VPC.
data "aws_availability_zones" "this" {
  filter {
    name   = "zone-name"
    values = var.azs != null ? var.azs : [for letter in ["a", "b", "c", "d", "e", "f"] : "${local.region}${letter}"]
  }
}

data "aws_vpc_endpoint_service" "s3" {
  service      = "s3"
  service_type = "Gateway"
}

data "aws_vpc_endpoint_service" "dynamodb" {
  service      = "dynamodb"
  service_type = "Gateway"
}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
  prefix     = "${var.name}-${var.environment}"

  found_azs = var.azs != null ? [for az in var.azs : az if contains(data.aws_availability_zones.this.names, az)] : sort(data.aws_availability_zones.this.names)
  azs       = slice(local.found_azs, 0, min(var.az_count, length(local.found_azs)))

  # Layout (for a /16): private /18 x3 in the first three quarters (room for many
  # Fargate tasks), public and database /22 x3 in the last quarter. A /20 gives /22
  # and /26 subnets. Netnums 51 and 55-63 of the last quarter stay free.
  private_cidrs  = [for i in range(var.az_count) : cidrsubnet(var.cidr_block, 2, i)]
  public_cidrs   = [for i in range(var.az_count) : cidrsubnet(var.cidr_block, 6, 48 + i)]
  database_cidrs = [for i in range(var.az_count) : cidrsubnet(var.cidr_block, 6, 52 + i)]

  nat_count = {
    one_per_az = var.az_count
    single     = 1
    none       = 0
  }[var.nat_strategy]

  tags = merge(var.tags, { Module = "network" })
}

################################################################################
# VPC
################################################################################

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(local.tags, { Name = local.prefix })

  lifecycle {
    precondition {
      condition     = length(local.azs) == var.az_count
      error_message = "Only ${length(local.found_azs)} of the requested Availability Zones exist in ${local.region} (${join(", ", local.found_azs)}); set azs to ${var.az_count} zone names of this region."
    }
  }
}

# The default security group is adopted and emptied (no ingress, no egress rules):
# anything launched without an explicit group gets no network access (CKV2_AWS_12).
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id

  tags = merge(local.tags, { Name = "${local.prefix}-default-do-not-use" })
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = merge(local.tags, { Name = local.prefix })
}

################################################################################
# Subnets
################################################################################

resource "aws_subnet" "public" {
  count = var.az_count

  vpc_id                  = aws_vpc.this.id
  availability_zone       = local.azs[count.index]
  cidr_block              = local.public_cidrs[count.index]
  map_public_ip_on_launch = false

  tags = merge(local.tags, {
    Name = "${local.prefix}-public-${local.azs[count.index]}"
    Tier = "public"
  })
}

resource "aws_subnet" "private" {
  count = var.az_count

  vpc_id                  = aws_vpc.this.id
  availability_zone       = local.azs[count.index]
  cidr_block              = local.private_cidrs[count.index]
  map_public_ip_on_launch = false

  tags = merge(local.tags, {
    Name = "${local.prefix}-private-${local.azs[count.index]}"
    Tier = "private"
  })
}

resource "aws_subnet" "database" {
  count = var.az_count

  vpc_id                  = aws_vpc.this.id
  availability_zone       = local.azs[count.index]
  cidr_block              = local.database_cidrs[count.index]
  map_public_ip_on_launch = false

  tags = merge(local.tags, {
    Name = "${local.prefix}-database-${local.azs[count.index]}"
    Tier = "database"
  })
}

resource "aws_db_subnet_group" "this" {
  name        = local.prefix
  description = "${local.prefix}: database subnets, one per AZ"
  subnet_ids  = aws_subnet.database[*].id

  tags = merge(local.tags, { Name = local.prefix })
}

################################################################################
# NAT gateways
################################################################################

resource "aws_eip" "nat" {
  count = local.nat_count

  domain = "vpc"

  tags = merge(local.tags, { Name = "${local.prefix}-nat-${local.azs[count.index]}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  count = local.nat_count

  allocation_id     = aws_eip.nat[count.index].id
  subnet_id         = aws_subnet.public[count.index].id
  connectivity_type = "public"

  tags = merge(local.tags, { Name = "${local.prefix}-${local.azs[count.index]}" })

  depends_on = [aws_internet_gateway.this]
}

################################################################################
# Route tables
################################################################################

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  tags = merge(local.tags, { Name = "${local.prefix}-public" })
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  count = var.az_count

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# One private route table per AZ whatever the NAT strategy, so switching between
# single and one_per_az only changes routes, never subnet associations.
resource "aws_route_table" "private" {
  count = var.az_count

  vpc_id = aws_vpc.this.id

  tags = merge(local.tags, { Name = "${local.prefix}-private-${local.azs[count.index]}" })
}

resource "aws_route" "private_nat" {
  count = var.nat_strategy == "none" ? 0 : var.az_count

  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[var.nat_strategy == "single" ? 0 : count.index].id
}

resource "aws_route_table_association" "private" {
  count = var.az_count

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

# Database subnets only have the VPC-local route: no internet path in either direction.
resource "aws_route_table" "database" {
  vpc_id = aws_vpc.this.id

  tags = merge(local.tags, { Name = "${local.prefix}-database" })
}

resource "aws_route_table_association" "database" {
  count = var.az_count

  subnet_id      = aws_subnet.database[count.index].id
  route_table_id = aws_route_table.database.id
}

################################################################################
# Gateway endpoints (free): S3 (ECR image layers, app buckets) and DynamoDB traffic
# stays on the AWS network and does not pay NAT data processing.
################################################################################

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = data.aws_vpc_endpoint_service.s3.service_name
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id

  tags = merge(local.tags, { Name = "${local.prefix}-s3" })
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id            = aws_vpc.this.id
  service_name      = data.aws_vpc_endpoint_service.dynamodb.service_name
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id

  tags = merge(local.tags, { Name = "${local.prefix}-dynamodb" })
}

################################################################################
# Flow logs: ALL traffic to a KMS-encrypted CloudWatch log group
################################################################################

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/aws/vpc-flow-logs/${local.prefix}"
  retention_in_days = var.flow_log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = merge(local.tags, { Name = "${local.prefix}-flow-logs" })
}

data "aws_iam_policy_document" "flow_logs_assume" {
  statement {
    sid     = "VpcFlowLogsAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }

    # Confused-deputy protection: only flow logs of this account and region.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:vpc-flow-log/*"]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  name                 = "${local.prefix}-vpc-flow-logs"
  description          = "Lets VPC Flow Logs deliver ${local.prefix} flow records to its log group"
  assume_role_policy   = data.aws_iam_policy_document.flow_logs_assume.json
  permissions_boundary = var.permissions_boundary_arn
  max_session_duration = 3600

  tags = local.tags
}

data "aws_iam_policy_document" "flow_logs" {
  statement {
    sid = "DeliverToFlowLogGroup"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
    ]
    resources = ["${aws_cloudwatch_log_group.flow_logs.arn}:*"]
  }

  # logs:DescribeLogGroups has no resource-level permissions: AWS only accepts "*".
  # It is read-only (names and settings of log groups), and the flow-logs service
  # uses it to check the destination.
  statement {
    sid       = "DescribeLogGroups"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "flow_logs" {
  name   = "deliver-flow-logs"
  role   = aws_iam_role.flow_logs.id
  policy = data.aws_iam_policy_document.flow_logs.json
}

resource "aws_flow_log" "this" {
  vpc_id                   = aws_vpc.this.id
  traffic_type             = "ALL"
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn             = aws_iam_role.flow_logs.arn
  max_aggregation_interval = var.flow_log_max_aggregation_interval

  tags = merge(local.tags, { Name = local.prefix })
}
