# dev: 2 AZs, one shared NAT gateway.
module "service" {
  source = "../../service"

  environment         = "dev"
  vpc_cidr            = "10.10.0.0/16"
  az_count            = 2
  nat_strategy        = "single"
  deletion_protection = false
  monthly_budget_usd  = 90
  image_tag           = var.image_tag
  alarm_emails        = var.alarm_emails
  state_bucket        = var.state_bucket

  max_concurrency = 5
}
