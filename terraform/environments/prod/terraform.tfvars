# prod: zone redundant, Premium messaging, a second region (secondary_location), purge protection.
# subscription_id comes from the environment: export TF_VAR_subscription_id=<guid>.
environment      = "prod"
deploy_flink_job = true
flink_job_image  = "iotbeamacr.azurecr.io/iotbeam/streaming:1.0.0"

settings = {
  name_suffix    = "p01"
  location       = "westeurope"
  zone_redundant = true
  # the paired region: Geo-DR aliases, RA-GRS storage, Cosmos DB failover, standby AKS + Flink
  # operator (docs/failover.md)
  secondary_location = "northeurope"

  eventhubs_sku      = "Premium"
  eventhubs_capacity = 2
  event_hubs = {
    telemetry      = { partition_count = 32, message_retention_days = 7 }
    aggregates     = { partition_count = 8, message_retention_days = 7 }
    alerts         = { partition_count = 4, message_retention_days = 7 }
    "dead-letters" = { partition_count = 4, message_retention_days = 14 }
  }

  iothub_sku_name     = "S2"
  iothub_sku_capacity = 2

  storage_replication_type = "GRS"
  storage_lifecycle_rules = {
    raw            = { cool_after_days = 30, archive_after_days = 90, delete_after_days = 2555 }
    aggregates     = { cool_after_days = 60, archive_after_days = 365, delete_after_days = 2555 }
    alerts         = { cool_after_days = 60, archive_after_days = 365, delete_after_days = 2555 }
    "dead-letters" = { cool_after_days = 14, archive_after_days = null, delete_after_days = 180 }
  }

  cosmos_serverless               = false
  cosmos_autoscale_max_throughput = 10000
  cosmos_failover_locations       = ["northeurope"]

  servicebus_sku                = "Premium"
  servicebus_max_delivery_count = 10

  key_vault_purge_protection = true
  log_retention_days         = 90
  alert_email_addresses      = ["iot-oncall@example.com"]

  aks_sku_tier         = "Standard"
  flink_vm_size        = "Standard_E8s_v5"
  flink_node_min_count = 2
  flink_node_max_count = 8

  flink_operator_version       = "1.10.0"
  flink_parallelism            = 16
  flink_checkpoint_interval_ms = 30000
  flink_taskmanager_memory     = "8192m"

  tags = {
    cost-center = "iot-prod"
  }
}
