# prod: full HA: 3 AZs, a NAT gateway per AZ.
module "service" {
  source = "../../service"

  environment         = "prod"
  vpc_cidr            = "10.30.0.0/16"
  az_count            = 3
  nat_strategy        = "one_per_az"
  deletion_protection = true
  monthly_budget_usd  = 230
  image_tag           = var.image_tag
  alarm_emails        = var.alarm_emails
  state_bucket        = var.state_bucket

  max_concurrency = 10
}
