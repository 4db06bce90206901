# Cosmos DB (SQL API) hot store: database `telemetry` with containers `aggregates`
# and `alerts`, partitioned by /deviceId. Keys are off: the job writes with its
# managed identity through the built-in data-plane role (see modules/identity).

resource "azurerm_cosmosdb_account" "this" {
  name                = "cosmos-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  offer_type          = "Standard"
  kind                = "GlobalDocumentDB"

  local_authentication_disabled      = true
  access_key_metadata_writes_enabled = false
  public_network_access_enabled      = var.public_network_access_enabled
  minimal_tls_version                = "Tls12"
  automatic_failover_enabled         = length(var.failover_locations) > 0

  consistency_policy {
    consistency_level = "Session"
  }

  geo_location {
    location          = var.location
    failover_priority = 0
    zone_redundant    = var.zone_redundant
  }

  dynamic "geo_location" {
    for_each = var.failover_locations

    content {
      location          = geo_location.value
      failover_priority = geo_location.key + 1
      zone_redundant    = var.zone_redundant
    }
  }

  dynamic "capabilities" {
    for_each = var.serverless ? ["EnableServerless"] : []

    content {
      name = capabilities.value
    }
  }

  backup {
    type = "Continuous"
    tier = var.continuous_backup_tier
  }

  tags = var.tags
}

resource "azurerm_cosmosdb_sql_database" "telemetry" {
  name                = var.database_name
  resource_group_name = var.resource_group_name
  account_name        = azurerm_cosmosdb_account.this.name

  # Shared autoscale throughput; serverless accounts take no throughput setting.
  dynamic "autoscale_settings" {
    for_each = var.serverless ? [] : [var.autoscale_max_throughput]

    content {
      max_throughput = autoscale_settings.value
    }
  }
}

resource "azurerm_cosmosdb_sql_container" "this" {
  for_each = var.containers

  name                  = each.key
  resource_group_name   = var.resource_group_name
  account_name          = azurerm_cosmosdb_account.this.name
  database_name         = azurerm_cosmosdb_sql_database.telemetry.name
  partition_key_paths   = ["/deviceId"]
  partition_key_version = 2
  default_ttl           = each.value.default_ttl_seconds

  indexing_policy {
    indexing_mode = "consistent"

    included_path {
      path = "/*"
    }

    excluded_path {
      path = "/\"_etag\"/?"
    }
  }
}

resource "azurerm_private_endpoint" "sql" {
  name                = "pe-${azurerm_cosmosdb_account.this.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = "psc-${azurerm_cosmosdb_account.this.name}"
    private_connection_resource_id = azurerm_cosmosdb_account.this.id
    subresource_names              = ["Sql"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [var.private_dns_zone_id]
  }
}
