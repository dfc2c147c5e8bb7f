# dev: 2 AZs, one shared NAT gateway.
module "service" {
  source = "../../service"

  environment         = "dev"
  az_count            = 2
  nat_strategy        = "single"
  deletion_protection = false
  monthly_budget_usd  = 50
  image_tag           = var.image_tag
  alarm_emails        = var.alarm_emails
  state_bucket        = var.state_bucket

  cpu    = 512
  memory = 1024
  # cron(0 2 * * ? *): the did-not-run alarm fires when no run succeeded for this long.
  schedule_interval_seconds = 86400
}
