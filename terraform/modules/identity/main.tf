# User-assigned managed identities and their least-privilege data-plane roles.
#
#   flink : reads `telemetry`, writes `aggregates`/`alerts`/`dead-letters`, writes the
#           storage containers (archive + checkpoints), upserts into Cosmos `telemetry`,
#           sends to the Service Bus `alerts` queue, reads Key Vault secrets.
#   ops   : the device simulator and operators: sends to `telemetry`, reads the output
#           hubs, reads blobs, receives from the `alerts` queue, reads Key Vault secrets.
#
# Every scope is the narrowest resource that works (event hub, container, queue,
# Cosmos database), never the namespace, account or resource group.

locals {
  # Cosmos DB built-in data-plane role "Cosmos DB Built-in Data Contributor".
  cosmos_data_contributor_role_id = "00000000-0000-0000-0000-000000000002"

  flink_assignments = merge(
    {
      "eh-receive-telemetry" = { scope = var.event_hub_ids["telemetry"], role = "Azure Event Hubs Data Receiver" }
      "sb-send-alerts"       = { scope = var.servicebus_alerts_queue_id, role = "Azure Service Bus Data Sender" }
      "kv-secrets-user"      = { scope = var.key_vault_id, role = "Key Vault Secrets User" }
    },
    {
      for hub in ["aggregates", "alerts", "dead-letters"] :
      "eh-send-${hub}" => { scope = var.event_hub_ids[hub], role = "Azure Event Hubs Data Sender" }
    },
    {
      for name, id in var.storage_container_ids :
      "blob-contributor-${name}" => { scope = id, role = "Storage Blob Data Contributor" }
    },
  )

  ops_assignments = merge(
    {
      "eh-send-telemetry"   = { scope = var.event_hub_ids["telemetry"], role = "Azure Event Hubs Data Sender" }
      "sb-receive-alerts"   = { scope = var.servicebus_alerts_queue_id, role = "Azure Service Bus Data Receiver" }
      "kv-secrets-user"     = { scope = var.key_vault_id, role = "Key Vault Secrets User" }
    },
    {
      for hub in ["aggregates", "alerts", "dead-letters"] :
      "eh-receive-${hub}" => { scope = var.event_hub_ids[hub], role = "Azure Event Hubs Data Receiver" }
    },
    {
      for name, id in var.storage_container_ids :
      "blob-reader-${name}" => { scope = id, role = "Storage Blob Data Reader" }
    },
  )
}

resource "azurerm_user_assigned_identity" "flink" {
  name                = "id-${var.name_prefix}-flink"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_user_assigned_identity" "ops" {
  name                = "id-${var.name_prefix}-ops"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_role_assignment" "flink" {
  for_each = local.flink_assignments

  scope                = each.value.scope
  role_definition_name = each.value.role
  principal_id         = azurerm_user_assigned_identity.flink.principal_id
  principal_type       = "ServicePrincipal"
  description          = "iotbeam flink job: ${each.key}"
}

resource "azurerm_role_assignment" "ops" {
  for_each = local.ops_assignments

  scope                = each.value.scope
  role_definition_name = each.value.role
  principal_id         = azurerm_user_assigned_identity.ops.principal_id
  principal_type       = "ServicePrincipal"
  description          = "iotbeam simulator/ops: ${each.key}"
}

# Cosmos DB data-plane RBAC is separate from Azure RBAC: a SQL role assignment,
# scoped to the `telemetry` database only.
resource "azurerm_cosmosdb_sql_role_assignment" "flink_data_contributor" {
  resource_group_name = var.resource_group_name
  account_name        = var.cosmos_account_name
  role_definition_id  = "${var.cosmos_account_id}/sqlRoleDefinitions/${local.cosmos_data_contributor_role_id}"
  principal_id        = azurerm_user_assigned_identity.flink.principal_id
  scope               = "${var.cosmos_account_id}/dbs/${var.cosmos_database_name}"
}

# Operators get read-only data access (built-in Data Reader) for the query commands.
resource "azurerm_cosmosdb_sql_role_assignment" "ops_data_reader" {
  resource_group_name = var.resource_group_name
  account_name        = var.cosmos_account_name
  role_definition_id  = "${var.cosmos_account_id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000001"
  principal_id        = azurerm_user_assigned_identity.ops.principal_id
  scope               = "${var.cosmos_account_id}/dbs/${var.cosmos_database_name}"
}
