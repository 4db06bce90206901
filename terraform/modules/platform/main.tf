# The platform of one environment: the resource group and every module, wired together.
# environments/dev and environments/prod call this module once; they hold only the
# provider configuration, the backend and terraform.tfvars. No provider blocks here:
# the root modules pass azurerm, helm and kubernetes down implicitly.

locals {
  name_prefix = "${var.settings.project}-${var.environment}"
  # Storage and Key Vault names are global and short: no hyphens for storage.
  compact_prefix = replace(local.name_prefix, "-", "")

  tags = merge(var.settings.tags, {
    project     = var.settings.project
    environment = var.environment
    managed-by  = "terraform"
  })

  # --- second region (docs/failover.md) ----------------------------------------------------
  secondary = var.settings.secondary_location != null
  # read access to the geo-replica; the account fails over under its name (same abfss:// paths)
  geo_replication = { LRS = "RAGRS", GRS = "RAGRS", RAGRS = "RAGRS", ZRS = "RAGZRS", GZRS = "RAGZRS", RAGZRS = "RAGZRS" }
  storage_replication_type = local.secondary ? local.geo_replication[var.settings.storage_replication_type] : var.settings.storage_replication_type
  cosmos_failover_locations = local.secondary ? distinct(concat(var.settings.cosmos_failover_locations, [var.settings.secondary_location])) : var.settings.cosmos_failover_locations
  servicebus_geo_dr         = local.secondary && var.settings.servicebus_sku == "Premium"
  # what clients connect to: the Geo-DR aliases when there is a second region
  eventhubs_endpoint_name = local.secondary ? module.secondary_region[0].eventhub_alias_name : module.eventhubs.namespace_name
  servicebus_fqdn         = local.servicebus_geo_dr ? module.secondary_region[0].servicebus_alias_fqdn : module.servicebus.fully_qualified_namespace
}

resource "azurerm_resource_group" "main" {
  name     = "rg-${local.name_prefix}"
  location = var.settings.location
  tags     = local.tags
}

module "network" {
  source = "../network"

  name_prefix                    = local.name_prefix
  location                       = azurerm_resource_group.main.location
  resource_group_name            = azurerm_resource_group.main.name
  address_space                  = var.settings.vnet_address_space
  aks_subnet_prefix              = var.settings.aks_subnet_prefix
  private_endpoint_subnet_prefix = var.settings.private_endpoint_subnet_prefix
  tags                           = local.tags
}

module "monitoring" {
  source = "../monitoring"

  name_prefix           = local.name_prefix
  environment           = var.environment
  location              = azurerm_resource_group.main.location
  resource_group_name   = azurerm_resource_group.main.name
  log_retention_days    = var.settings.log_retention_days
  alert_email_addresses = var.settings.alert_email_addresses

  eventhub_namespace_id   = module.eventhubs.namespace_id
  cosmos_account_id       = module.cosmos.account_id
  servicebus_namespace_id = module.servicebus.namespace_id

  diagnostic_targets = {
    eventhubs = { resource_id = module.eventhubs.namespace_id }
    iothub    = { resource_id = module.iothub.id }
    cosmos    = { resource_id = module.cosmos.account_id, dedicated_tables = true }
    servicebus = { resource_id = module.servicebus.namespace_id }
    keyvault  = { resource_id = module.keyvault.id }
    # The account itself only has metrics; blob logs come from the blob service.
    storage = { resource_id = module.storage.id, log_category_groups = [], metric_categories = ["Transaction"] }
    storage_blob = { resource_id = "${module.storage.id}/blobServices/default", metric_categories = ["Transaction"] }
    # kube-audit is very verbose; audit-admin keeps the mutating calls.
    aks = {
      resource_id    = module.aks_flink.cluster_id
      log_categories = ["kube-apiserver", "kube-audit-admin", "kube-controller-manager", "kube-scheduler", "cluster-autoscaler", "guard"]
    }
  }

  tags = local.tags
}

module "eventhubs" {
  source = "../eventhubs"

  name_prefix                       = local.name_prefix
  location                          = azurerm_resource_group.main.location
  resource_group_name               = azurerm_resource_group.main.name
  sku                               = var.settings.eventhubs_sku
  capacity                          = var.settings.eventhubs_capacity
  auto_inflate_max_throughput_units = var.settings.eventhubs_auto_inflate_max_throughput_units
  event_hubs                        = var.settings.event_hubs
  pipeline_consumer_group           = "flink-telemetry"
  private_endpoint_subnet_id        = module.network.private_endpoint_subnet_id
  private_dns_zone_id               = module.network.private_dns_zone_ids["servicebus"]
  tags                              = local.tags
}

module "iothub" {
  source = "../iothub"

  name_prefix             = local.name_prefix
  environment             = var.environment
  location                = azurerm_resource_group.main.location
  resource_group_name     = azurerm_resource_group.main.name
  sku_name                = var.settings.iothub_sku_name
  sku_capacity            = var.settings.iothub_sku_capacity
  eventhub_namespace_name = local.eventhubs_endpoint_name
  telemetry_event_hub_name = "telemetry"
  telemetry_event_hub_id  = module.eventhubs.event_hub_ids["telemetry"]
  tags                    = local.tags
}

module "storage" {
  source = "../storage"

  account_name               = substr("st${local.compact_prefix}${var.settings.name_suffix}", 0, 24)
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  replication_type           = local.storage_replication_type
  hns_enabled                = true
  lifecycle_rules            = var.settings.storage_lifecycle_rules
  allowed_ip_ranges          = var.settings.deployer_ip_ranges
  private_endpoint_subnet_id = module.network.private_endpoint_subnet_id
  private_dns_zone_ids       = module.network.private_dns_zone_ids
  tags                       = local.tags
}

module "cosmos" {
  source = "../cosmos"

  name_prefix                = "${local.name_prefix}-${var.settings.name_suffix}"
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  failover_locations         = local.cosmos_failover_locations
  zone_redundant             = var.settings.zone_redundant
  serverless                 = var.settings.cosmos_serverless
  autoscale_max_throughput   = var.settings.cosmos_autoscale_max_throughput
  containers                 = var.settings.cosmos_containers
  private_endpoint_subnet_id = module.network.private_endpoint_subnet_id
  private_dns_zone_id        = module.network.private_dns_zone_ids["cosmos_sql"]
  tags                       = local.tags
}

module "servicebus" {
  source = "../servicebus"

  name_prefix                = "${local.name_prefix}-${var.settings.name_suffix}"
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  sku                        = var.settings.servicebus_sku
  alerts_queue_name          = "alerts"
  max_delivery_count         = var.settings.servicebus_max_delivery_count
  private_endpoint_subnet_id = module.network.private_endpoint_subnet_id
  private_dns_zone_id        = module.network.private_dns_zone_ids["servicebus"]
  tags                       = local.tags
}

module "keyvault" {
  source = "../keyvault"

  name                          = substr("kv-${local.name_prefix}-${var.settings.name_suffix}", 0, 24)
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  purge_protection_enabled      = var.settings.key_vault_purge_protection
  public_network_access_enabled = length(var.settings.deployer_ip_ranges) > 0
  allowed_ip_ranges             = var.settings.deployer_ip_ranges
  private_endpoint_subnet_id    = module.network.private_endpoint_subnet_id
  private_dns_zone_id           = module.network.private_dns_zone_ids["keyvault"]

  # Connection settings the workloads read by reference; no keys (local auth is off
  # everywhere), the only sensitive value is the Application Insights connection string.
  secret_names = [
    "eventhubs-bootstrap-servers",
    "cosmos-endpoint",
    "servicebus-namespace",
    "storage-dfs-endpoint",
    "appinsights-connection-string",
  ]
  secret_values = {
    "eventhubs-bootstrap-servers"   = "${local.eventhubs_endpoint_name}.servicebus.windows.net:9093"
    "cosmos-endpoint"               = module.cosmos.endpoint
    "servicebus-namespace"          = local.servicebus_fqdn
    "storage-dfs-endpoint"          = module.storage.primary_dfs_endpoint
    "appinsights-connection-string" = module.monitoring.application_insights_connection_string
  }

  tags = local.tags
}

# Notifications: Communication Services (SMS, SMTP relay) with an e-mail domain, its settings
# in Key Vault for the Flink identity (docs/notifications.md).
module "communication" {
  source = "../communication"

  name_prefix         = "${local.name_prefix}-${var.settings.name_suffix}"
  resource_group_name = azurerm_resource_group.main.name
  data_location       = var.settings.acs_data_location
  email_domain        = var.settings.acs_email_domain
  smtp_app            = var.settings.acs_smtp_app
  key_vault_id        = module.keyvault.id
  flink_principal_id  = module.identity.flink_principal_id
  tags                = local.tags

  # the deployer writes the secrets with the role the keyvault module grants it
  depends_on = [module.keyvault]
}

module "identity" {
  source = "../identity"

  name_prefix                = local.name_prefix
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  event_hub_ids              = module.eventhubs.event_hub_ids
  storage_container_ids      = module.storage.container_ids
  cosmos_account_id          = module.cosmos.account_id
  cosmos_account_name        = module.cosmos.account_name
  cosmos_database_name       = module.cosmos.database_name
  servicebus_alerts_queue_id = module.servicebus.alerts_queue_id
  key_vault_id               = module.keyvault.id
  tags                       = local.tags
}

module "aks_flink" {
  source = "../aks_flink"

  name_prefix                = local.name_prefix
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  kubernetes_version         = var.settings.kubernetes_version
  sku_tier                   = var.settings.aks_sku_tier
  admin_group_object_ids     = var.settings.aks_admin_group_object_ids
  aks_subnet_id              = module.network.aks_subnet_id
  zones                      = var.settings.zone_redundant ? ["1", "2", "3"] : []
  flink_vm_size              = var.settings.flink_vm_size
  flink_node_min_count       = var.settings.flink_node_min_count
  flink_node_max_count       = var.settings.flink_node_max_count
  log_analytics_workspace_id = module.monitoring.log_analytics_workspace_id

  flink_identity_id        = module.identity.flink_identity_id
  flink_identity_client_id = module.identity.flink_client_id

  flink_operator_version = var.settings.flink_operator_version
  deploy_flink_job       = var.deploy_flink_job && var.active_region == "primary"
  initial_savepoint_path = var.flink_restore_path
  flink_job_image        = var.flink_job_image
  job_parallelism        = var.settings.flink_parallelism
  checkpoint_interval_ms = var.settings.flink_checkpoint_interval_ms
  taskmanager_memory     = var.settings.flink_taskmanager_memory

  eventhub_namespace_name   = local.eventhubs_endpoint_name
  consumer_group            = module.eventhubs.pipeline_consumer_group
  storage_account_name      = module.storage.name
  storage_blob_endpoint     = module.storage.primary_blob_endpoint
  data_container_name       = module.storage.data_container_name
  checkpoint_container_name = module.storage.checkpoint_container_name
  cosmos_endpoint           = module.cosmos.endpoint
  cosmos_database_name      = module.cosmos.database_name
  servicebus_namespace_fqdn = local.servicebus_fqdn
  servicebus_queue_name     = module.servicebus.alerts_queue_name
  key_vault_uri             = module.keyvault.vault_uri

  tags = local.tags
}

# --- the paired secondary region (docs/failover.md) --------------------------------------------

resource "azurerm_resource_group" "secondary" {
  count = local.secondary ? 1 : 0

  name     = "rg-${local.name_prefix}-dr"
  location = var.settings.secondary_location
  tags     = local.tags
}

module "secondary_region" {
  source = "../secondary_region"
  count  = local.secondary ? 1 : 0

  name_prefix                    = "${local.name_prefix}-dr-${var.settings.name_suffix}"
  location                       = var.settings.secondary_location
  resource_group_name            = azurerm_resource_group.secondary[0].name
  primary_resource_group_name    = azurerm_resource_group.main.name
  address_space                  = var.settings.secondary_vnet_address_space
  aks_subnet_prefix              = var.settings.secondary_aks_subnet_prefix
  private_endpoint_subnet_prefix = var.settings.secondary_private_endpoint_subnet_prefix
  private_dns_zone_ids           = module.network.private_dns_zone_ids

  eventhubs_sku                   = var.settings.eventhubs_sku
  eventhubs_capacity              = var.settings.eventhubs_capacity
  primary_eventhub_namespace_name = module.eventhubs.namespace_name
  eventhub_alias_name             = "evhns-${local.name_prefix}-${var.settings.name_suffix}-alias"
  servicebus_sku                  = var.settings.servicebus_sku
  primary_servicebus_namespace_id = module.servicebus.namespace_id
  servicebus_alias_name           = "sb-${local.name_prefix}-${var.settings.name_suffix}-alias"
  storage_account_id              = module.storage.id
  cosmos_account_id               = module.cosmos.account_id
  key_vault_id                    = module.keyvault.id
  flink_principal_id              = module.identity.flink_principal_id
  ops_principal_id                = module.identity.ops_principal_id
  iothub_principal_id             = module.iothub.identity_principal_id

  tags = local.tags
}

# The standby Flink cluster: the same module as the primary's, in the secondary region, with the
# same job (same aliases, storage account and Cosmos DB account, so the same arguments). Its
# FlinkDeployment exists only while active_region = "secondary"; until then the Flink node pool
# scales to zero and only the operator runs.
module "aks_flink_standby" {
  source = "../aks_flink"
  count  = local.secondary ? 1 : 0
  providers = {
    azurerm    = azurerm
    kubernetes = kubernetes.standby
    helm       = helm.standby
  }

  name_prefix                = "${local.name_prefix}-dr"
  location                   = var.settings.secondary_location
  resource_group_name        = azurerm_resource_group.secondary[0].name
  kubernetes_version         = var.settings.kubernetes_version
  sku_tier                   = var.settings.aks_sku_tier
  admin_group_object_ids     = var.settings.aks_admin_group_object_ids
  aks_subnet_id              = module.secondary_region[0].aks_subnet_id
  zones                      = var.settings.zone_redundant ? ["1", "2", "3"] : []
  flink_vm_size              = var.settings.flink_vm_size
  flink_node_min_count       = var.active_region == "secondary" ? var.settings.flink_node_min_count : 0
  flink_node_max_count       = var.settings.flink_node_max_count
  log_analytics_workspace_id = module.monitoring.log_analytics_workspace_id

  flink_identity_id        = module.identity.flink_identity_id
  flink_identity_client_id = module.identity.flink_client_id

  flink_operator_version = var.settings.flink_operator_version
  deploy_flink_job       = var.deploy_flink_job && var.active_region == "secondary"
  initial_savepoint_path = var.flink_restore_path
  flink_job_image        = var.flink_job_image
  job_parallelism        = var.settings.flink_parallelism
  checkpoint_interval_ms = var.settings.flink_checkpoint_interval_ms
  taskmanager_memory     = var.settings.flink_taskmanager_memory

  eventhub_namespace_name   = local.eventhubs_endpoint_name
  consumer_group            = module.eventhubs.pipeline_consumer_group
  storage_account_name      = module.storage.name
  storage_blob_endpoint     = module.storage.primary_blob_endpoint
  data_container_name       = module.storage.data_container_name
  checkpoint_container_name = module.storage.checkpoint_container_name
  cosmos_endpoint           = module.cosmos.endpoint
  cosmos_database_name      = module.cosmos.database_name
  servicebus_namespace_fqdn = local.servicebus_fqdn
  servicebus_queue_name     = module.servicebus.alerts_queue_name
  key_vault_uri             = module.keyvault.vault_uri

  tags = local.tags
}
