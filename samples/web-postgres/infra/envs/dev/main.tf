# dev: 2 AZs, one shared NAT gateway.
module "service" {
  source = "../../service"

  environment         = "dev"
  vpc_cidr            = "10.10.0.0/16"
  az_count            = 2
  nat_strategy        = "single"
  deletion_protection = false
  monthly_budget_usd  = 370
  image_tag           = var.image_tag
  alarm_emails        = var.alarm_emails
  state_bucket        = var.state_bucket
  certificate_arn     = var.certificate_arn
  break_glass_exec    = var.break_glass_exec

  cpu       = 1024
  memory    = 2048
  min_tasks = 2
  max_tasks = 2

  db_instance_class        = "db.t4g.small"
  db_multi_az              = false
  db_backup_retention_days = 7
  backup_vault_lock        = false
}
