# dev: 2 AZs, one shared NAT gateway.
module "service" {
  source = "../../service"

  environment         = "dev"
  vpc_cidr            = "10.50.0.0/20"
  az_count            = 2
  nat_strategy        = "single"
  deletion_protection = false
  monthly_budget_usd  = 230
  image_tag           = var.image_tag
  alarm_emails        = var.alarm_emails
  state_bucket        = var.state_bucket
  certificate_arn     = var.certificate_arn
  break_glass_exec    = var.break_glass_exec

  cpu       = 512
  memory    = 1024
  min_tasks = 2
  max_tasks = 2
}
