# Root module of one environment: wires the modules together. dev and prod share this
# file's shape; they differ in terraform.tfvars (sizes, SKUs, retention).

provider "azurerm" {
  subscription_id     = var.subscription_id
  storage_use_azuread = true

  features {
    key_vault {
      purge_soft_delete_on_destroy = false
    }
    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}

# AKS has local accounts disabled: the providers get Entra ID tokens through kubelogin
# (Azure CLI login of whoever runs Terraform). 6dae42f8-... is the AKS AAD server app.
provider "kubernetes" {
  host                   = module.aks_flink.kube_host
  cluster_ca_certificate = base64decode(module.aks_flink.cluster_ca_certificate)

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "kubelogin"
    args        = ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]
  }
}

provider "helm" {
  kubernetes = {
    host                   = module.aks_flink.kube_host
    cluster_ca_certificate = base64decode(module.aks_flink.cluster_ca_certificate)
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "kubelogin"
      args        = ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]
    }
  }
}

locals {
  name_prefix = "${var.project}-${var.environment}"
  # Storage and Key Vault names are global and short: no hyphens for storage.
  compact_prefix = replace(local.name_prefix, "-", "")

  tags = merge(var.tags, {
    project     = var.project
    environment = var.environment
    managed-by  = "terraform"
  })
}

resource "azurerm_resource_group" "main" {
  name     = "rg-${local.name_prefix}"
  location = var.location
  tags     = local.tags
}

module "network" {
  source = "../../modules/network"

  name_prefix                    = local.name_prefix
  location                       = azurerm_resource_group.main.location
  resource_group_name            = azurerm_resource_group.main.name
  address_space                  = var.vnet_address_space
  aks_subnet_prefix              = var.aks_subnet_prefix
  private_endpoint_subnet_prefix = var.private_endpoint_subnet_prefix
  tags                           = local.tags
}

module "monitoring" {
  source = "../../modules/monitoring"

  name_prefix           = local.name_prefix
  environment           = var.environment
  location              = azurerm_resource_group.main.location
  resource_group_name   = azurerm_resource_group.main.name
  log_retention_days    = var.log_retention_days
  alert_email_addresses = var.alert_email_addresses

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
  source = "../../modules/eventhubs"

  name_prefix                       = local.name_prefix
  location                          = azurerm_resource_group.main.location
  resource_group_name               = azurerm_resource_group.main.name
  sku                               = var.eventhubs_sku
  capacity                          = var.eventhubs_capacity
  auto_inflate_max_throughput_units = var.eventhubs_auto_inflate_max_throughput_units
  event_hubs                        = var.event_hubs
  pipeline_consumer_group           = "flink-telemetry"
  private_endpoint_subnet_id        = module.network.private_endpoint_subnet_id
  private_dns_zone_id               = module.network.private_dns_zone_ids["servicebus"]
  tags                              = local.tags
}

module "iothub" {
  source = "../../modules/iothub"

  name_prefix             = local.name_prefix
  environment             = var.environment
  location                = azurerm_resource_group.main.location
  resource_group_name     = azurerm_resource_group.main.name
  sku_name                = var.iothub_sku_name
  sku_capacity            = var.iothub_sku_capacity
  eventhub_namespace_name = module.eventhubs.namespace_name
  telemetry_event_hub_name = "telemetry"
  telemetry_event_hub_id  = module.eventhubs.event_hub_ids["telemetry"]
  tags                    = local.tags
}

module "storage" {
  source = "../../modules/storage"

  account_name               = substr("st${local.compact_prefix}${var.name_suffix}", 0, 24)
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  replication_type           = var.storage_replication_type
  hns_enabled                = true
  lifecycle_rules            = var.storage_lifecycle_rules
  allowed_ip_ranges          = var.deployer_ip_ranges
  private_endpoint_subnet_id = module.network.private_endpoint_subnet_id
  private_dns_zone_ids       = module.network.private_dns_zone_ids
  tags                       = local.tags
}

module "cosmos" {
  source = "../../modules/cosmos"

  name_prefix                = "${local.name_prefix}-${var.name_suffix}"
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  failover_locations         = var.cosmos_failover_locations
  zone_redundant             = var.zone_redundant
  serverless                 = var.cosmos_serverless
  autoscale_max_throughput   = var.cosmos_autoscale_max_throughput
  containers                 = var.cosmos_containers
  private_endpoint_subnet_id = module.network.private_endpoint_subnet_id
  private_dns_zone_id        = module.network.private_dns_zone_ids["cosmos_sql"]
  tags                       = local.tags
}

module "servicebus" {
  source = "../../modules/servicebus"

  name_prefix                = "${local.name_prefix}-${var.name_suffix}"
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  sku                        = var.servicebus_sku
  alerts_queue_name          = "alerts"
  max_delivery_count         = var.servicebus_max_delivery_count
  private_endpoint_subnet_id = module.network.private_endpoint_subnet_id
  private_dns_zone_id        = module.network.private_dns_zone_ids["servicebus"]
  tags                       = local.tags
}

module "keyvault" {
  source = "../../modules/keyvault"

  name                          = substr("kv-${local.name_prefix}-${var.name_suffix}", 0, 24)
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  purge_protection_enabled      = var.key_vault_purge_protection
  public_network_access_enabled = length(var.deployer_ip_ranges) > 0
  allowed_ip_ranges             = var.deployer_ip_ranges
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
    "eventhubs-bootstrap-servers"   = module.eventhubs.kafka_bootstrap_servers
    "cosmos-endpoint"               = module.cosmos.endpoint
    "servicebus-namespace"          = module.servicebus.fully_qualified_namespace
    "storage-dfs-endpoint"          = module.storage.primary_dfs_endpoint
    "appinsights-connection-string" = module.monitoring.application_insights_connection_string
  }

  tags = local.tags
}

module "identity" {
  source = "../../modules/identity"

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
  source = "../../modules/aks_flink"

  name_prefix                = local.name_prefix
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  kubernetes_version         = var.kubernetes_version
  sku_tier                   = var.aks_sku_tier
  admin_group_object_ids     = var.aks_admin_group_object_ids
  aks_subnet_id              = module.network.aks_subnet_id
  zones                      = var.zone_redundant ? ["1", "2", "3"] : []
  flink_vm_size              = var.flink_vm_size
  flink_node_min_count       = var.flink_node_min_count
  flink_node_max_count       = var.flink_node_max_count
  log_analytics_workspace_id = module.monitoring.log_analytics_workspace_id

  flink_identity_id        = module.identity.flink_identity_id
  flink_identity_client_id = module.identity.flink_client_id

  flink_operator_version = var.flink_operator_version
  deploy_flink_job       = var.deploy_flink_job
  flink_job_image        = var.flink_job_image
  job_parallelism        = var.flink_parallelism
  checkpoint_interval_ms = var.flink_checkpoint_interval_ms
  taskmanager_memory     = var.flink_taskmanager_memory

  eventhub_namespace_name   = module.eventhubs.namespace_name
  consumer_group            = module.eventhubs.pipeline_consumer_group
  storage_account_name      = module.storage.name
  checkpoint_container_name = module.storage.checkpoint_container_name
  cosmos_endpoint           = module.cosmos.endpoint
  cosmos_database_name      = module.cosmos.database_name
  servicebus_namespace_fqdn = module.servicebus.fully_qualified_namespace
  servicebus_queue_name     = module.servicebus.alerts_queue_name
  key_vault_uri             = module.keyvault.vault_uri

  tags = local.tags
}
