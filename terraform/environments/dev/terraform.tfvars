# dev: smallest sizes, single region, no zones. subscription_id comes from the
# environment: export TF_VAR_subscription_id=<guid>.
environment      = "dev"
deploy_flink_job = true
flink_job_image  = "iotbeamacr.azurecr.io/iotbeam/streaming:0.1.0"

settings = {
  name_suffix = "d01"
  location    = "westeurope"

  eventhubs_sku      = "Standard"
  eventhubs_capacity = 1

  iothub_sku_name     = "S1"
  iothub_sku_capacity = 1

  storage_replication_type = "LRS"
  cosmos_serverless        = true
  servicebus_sku           = "Standard"

  key_vault_purge_protection = false
  log_retention_days         = 30
  alert_email_addresses      = ["iot-dev-alerts@example.com"]

  aks_sku_tier         = "Free"
  flink_vm_size        = "Standard_D4s_v5"
  flink_node_min_count = 1
  flink_node_max_count = 2

  flink_operator_version       = "1.10.0"
  flink_parallelism            = 2
  flink_checkpoint_interval_ms = 60000
  flink_taskmanager_memory     = "4096m"

  tags = {
    cost-center = "iot-dev"
  }
}
