# staging: 2 AZs, one shared NAT gateway.
module "service" {
  source = "../../service"

  environment         = "staging"
  vpc_cidr            = "10.20.0.0/16"
  az_count            = 2
  nat_strategy        = "single"
  deletion_protection = true
  monthly_budget_usd  = 420
  image_tag           = var.image_tag
  alarm_emails        = var.alarm_emails
  state_bucket        = var.state_bucket
  certificate_arn     = var.certificate_arn
  break_glass_exec    = var.break_glass_exec

  cpu       = 1024
  memory    = 2048
  min_tasks = 2
  max_tasks = 4

  db_instance_class        = "db.t4g.small"
  db_multi_az              = true
  db_backup_retention_days = 7
  backup_vault_lock        = false
}
