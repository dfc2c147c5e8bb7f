# prod: full HA: 3 AZs, a NAT gateway per AZ.
module "service" {
  source = "../../service"

  environment         = "prod"
  vpc_cidr            = "10.30.0.0/16"
  az_count            = 3
  nat_strategy        = "one_per_az"
  deletion_protection = true
  monthly_budget_usd  = 240
  image_tag           = var.image_tag
  alarm_emails        = var.alarm_emails
  state_bucket        = var.state_bucket

  cpu    = 512
  memory = 1024
  # cron(0 3 * * ? *): the did-not-run alarm fires when no run succeeded for this long.
  schedule_interval_seconds = 86400
  backup_vault_lock         = true
}
