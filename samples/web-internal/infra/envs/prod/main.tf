# prod: full HA: 3 AZs, a NAT gateway per AZ.
module "service" {
  source = "../../service"

  environment         = "prod"
  vpc_cidr            = "10.50.32.0/20"
  az_count            = 3
  nat_strategy        = "one_per_az"
  deletion_protection = true
  monthly_budget_usd  = 370
  image_tag           = var.image_tag
  alarm_emails        = var.alarm_emails
  state_bucket        = var.state_bucket
  certificate_arn     = var.certificate_arn
  break_glass_exec    = var.break_glass_exec

  cpu       = 512
  memory    = 1024
  min_tasks = 2
  max_tasks = 6
}
