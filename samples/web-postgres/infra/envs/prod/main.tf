# prod: full HA: 3 AZs, a NAT gateway per AZ.
module "service" {
  source = "../../service"

  environment         = "prod"
  vpc_cidr            = "10.30.0.0/16"
  az_count            = 3
  nat_strategy        = "one_per_az"
  deletion_protection = true
  monthly_budget_usd  = 800
  image_tag           = var.image_tag
  alarm_emails        = var.alarm_emails
  state_bucket        = var.state_bucket
  certificate_arn     = var.certificate_arn
  break_glass_exec    = var.break_glass_exec

  cpu       = 1024
  memory    = 2048
  min_tasks = 2
  max_tasks = 10

  db_instance_class        = "db.t4g.medium"
  db_multi_az              = true
  db_backup_retention_days = 14
  backup_vault_lock        = true
}
