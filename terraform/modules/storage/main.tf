# Storage account for the pipeline's files and Flink's checkpoints/savepoints. Entra ID only:
# shared keys are off, so no account key ever needs to be stored anywhere.
#
# The streaming and batch pipelines write everything under one base (--outputBase): the raw
# archive and the outputs are sub-directories of the data container, as the code writes them:
#   azfs://<account>/<data container>/{raw,aggregates,alerts,dead-letters}/dt=.../hour=.../
# Flink's checkpoints, savepoints and HA metadata go to the checkpoint container (abfss://).

locals {
  # the sub-directories StreamingPipeline.writeResults and BackfillPipeline write
  data_prefixes = toset(["raw", "aggregates", "alerts", "dead-letters"])
  containers    = toset([var.data_container_name, var.checkpoint_container_name])

  private_endpoint_subresources = var.hns_enabled ? ["blob", "dfs"] : ["blob"]
}

resource "azurerm_storage_account" "this" {
  name                     = var.account_name
  location                 = var.location
  resource_group_name      = var.resource_group_name
  account_kind             = "StorageV2"
  account_tier             = "Standard"
  account_replication_type = var.replication_type
  access_tier              = "Hot"
  is_hns_enabled           = var.hns_enabled

  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  allow_nested_items_to_be_public = false
  public_network_access_enabled   = var.public_network_access_enabled

  network_rules {
    default_action = "Deny"
    bypass         = ["AzureServices", "Logging", "Metrics"]
    ip_rules       = var.allowed_ip_ranges
  }

  blob_properties {
    delete_retention_policy {
      days = var.soft_delete_retention_days
    }

    container_delete_retention_policy {
      days = var.soft_delete_retention_days
    }
  }

  tags = var.tags
}

# Created through the resource manager API (storage_account_id), so the deployer needs
# no data-plane access and shared keys can stay off.
resource "azurerm_storage_container" "this" {
  for_each = local.containers

  name                  = each.value
  storage_account_id    = azurerm_storage_account.this.id
  container_access_type = "private"
}

# hot -> cool -> archive -> delete, per sub-directory of the data container.
resource "azurerm_storage_management_policy" "this" {
  storage_account_id = azurerm_storage_account.this.id

  dynamic "rule" {
    for_each = var.lifecycle_rules

    content {
      name    = "tiering-${rule.key}"
      enabled = true

      filters {
        prefix_match = ["${var.data_container_name}/${rule.key}/"]
        blob_types   = ["blockBlob"]
      }

      actions {
        base_blob {
          tier_to_cool_after_days_since_modification_greater_than    = rule.value.cool_after_days
          tier_to_archive_after_days_since_modification_greater_than = rule.value.archive_after_days
          delete_after_days_since_modification_greater_than          = rule.value.delete_after_days
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition = !contains(["ZRS", "GZRS", "RAGZRS"], var.replication_type) || alltrue([
        for r in values(var.lifecycle_rules) : r.archive_after_days == null
      ])
      error_message = "The archive tier is not available on ZRS, GZRS or RAGZRS accounts: set archive_after_days = null or use LRS/GRS/RAGRS."
    }
    precondition {
      condition     = alltrue([for name in keys(var.lifecycle_rules) : contains(local.data_prefixes, name)])
      error_message = "lifecycle_rules keys must be sub-directories of the data container (raw, aggregates, alerts, dead-letters)."
    }
  }

  depends_on = [azurerm_storage_container.this]
}

resource "azurerm_private_endpoint" "this" {
  for_each = toset(local.private_endpoint_subresources)

  name                = "pe-${azurerm_storage_account.this.name}-${each.value}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = "psc-${azurerm_storage_account.this.name}-${each.value}"
    private_connection_resource_id = azurerm_storage_account.this.id
    subresource_names              = [each.value]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [var.private_dns_zone_ids[each.value]]
  }
}
