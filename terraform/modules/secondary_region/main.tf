# The paired secondary region (docs/failover.md): what must exist there before a regional outage
# so that the platform can fail over in minutes.
#
#   Event Hubs  a secondary namespace paired with the primary by a Geo-disaster recovery alias:
#               clients (IoT Hub's route, the Flink job, the simulator) use the alias, which
#               follows a failover. Geo-DR replicates metadata (hubs, consumer groups), not events.
#   Service Bus the same for the alerts queue when the tier is Premium (Geo-DR needs Premium).
#   Network     a VNet for the standby AKS cluster, linked to the primary's private DNS zones,
#               with private endpoints to the services it reaches after a failover: the secondary
#               namespaces, the storage account (geo-redundant, fails over under the same name),
#               Cosmos DB (a failover location of the same account) and Key Vault (Azure
#               replicates it to the paired region).
#   Roles       on the secondary namespaces, for the identities that use them through the alias
#               (role assignments on the primary's hubs do not follow a failover).
#
# The standby AKS cluster and its Flink operator are the aks_flink module, called a second time
# by modules/platform with the standby providers.

module "network" {
  source = "../network"

  name_prefix                    = var.name_prefix
  location                       = var.location
  resource_group_name            = var.resource_group_name
  address_space                  = var.address_space
  aks_subnet_prefix              = var.aks_subnet_prefix
  private_endpoint_subnet_prefix = var.private_endpoint_subnet_prefix
  existing_private_dns_zone_ids  = var.private_dns_zone_ids
  tags                           = var.tags
}

resource "azurerm_eventhub_namespace" "secondary" {
  name                = "evhns-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  # Geo-DR pairs namespaces of the same tier
  sku      = var.eventhubs_sku == "Dedicated" ? "Standard" : var.eventhubs_sku
  capacity = var.eventhubs_capacity

  local_authentication_enabled  = false
  public_network_access_enabled = false
  minimum_tls_version           = "1.2"

  tags = var.tags
}

# The alias lives on the primary namespace; <alias>.servicebus.windows.net:9093 is the Kafka
# endpoint every client uses. After `az eventhubs georecovery-alias fail-over` it points at the
# secondary namespace. The secondary must hold no event hubs of its own: pairing copies them.
resource "azurerm_eventhub_namespace_disaster_recovery_config" "this" {
  name                 = var.eventhub_alias_name
  resource_group_name  = var.primary_resource_group_name
  namespace_name       = var.primary_eventhub_namespace_name
  partner_namespace_id = azurerm_eventhub_namespace.secondary.id
}

resource "azurerm_servicebus_namespace" "secondary" {
  count = var.servicebus_sku == "Premium" ? 1 : 0

  name                          = "sb-${var.name_prefix}"
  location                      = var.location
  resource_group_name           = var.resource_group_name
  sku                           = "Premium"
  capacity                      = 1
  premium_messaging_partitions  = 1
  local_auth_enabled            = false
  public_network_access_enabled = false
  minimum_tls_version           = "1.2"
  tags                          = var.tags
}

resource "azurerm_servicebus_namespace_disaster_recovery_config" "this" {
  count = var.servicebus_sku == "Premium" ? 1 : 0

  name                 = var.servicebus_alias_name
  primary_namespace_id = var.primary_servicebus_namespace_id
  partner_namespace_id = azurerm_servicebus_namespace.secondary[0].id
}

locals {
  private_endpoints = merge(
    {
      eventhubs = { resource_id = azurerm_eventhub_namespace.secondary.id, subresource = "namespace", zone = "servicebus" }
      blob      = { resource_id = var.storage_account_id, subresource = "blob", zone = "blob" }
      dfs       = { resource_id = var.storage_account_id, subresource = "dfs", zone = "dfs" }
      cosmos    = { resource_id = var.cosmos_account_id, subresource = "Sql", zone = "cosmos_sql" }
      keyvault  = { resource_id = var.key_vault_id, subresource = "vault", zone = "keyvault" }
    },
    var.servicebus_sku == "Premium" ? {
      servicebus = { resource_id = azurerm_servicebus_namespace.secondary[0].id, subresource = "namespace", zone = "servicebus" }
    } : {},
  )

  # identity -> roles on the secondary namespaces (namespace scope: their hubs and queue are
  # copies made by the pairing, not resources Terraform knows)
  role_assignments = merge(
    {
      "flink-eh-receive" = { scope = azurerm_eventhub_namespace.secondary.id, role = "Azure Event Hubs Data Receiver", principal_id = var.flink_principal_id }
      "flink-eh-send"    = { scope = azurerm_eventhub_namespace.secondary.id, role = "Azure Event Hubs Data Sender", principal_id = var.flink_principal_id }
      "ops-eh-send"      = { scope = azurerm_eventhub_namespace.secondary.id, role = "Azure Event Hubs Data Sender", principal_id = var.ops_principal_id }
      "ops-eh-receive"   = { scope = azurerm_eventhub_namespace.secondary.id, role = "Azure Event Hubs Data Receiver", principal_id = var.ops_principal_id }
      "iothub-eh-send"   = { scope = azurerm_eventhub_namespace.secondary.id, role = "Azure Event Hubs Data Sender", principal_id = var.iothub_principal_id }
    },
    var.servicebus_sku == "Premium" ? {
      "flink-sb-send"    = { scope = azurerm_servicebus_namespace.secondary[0].id, role = "Azure Service Bus Data Sender", principal_id = var.flink_principal_id }
      "ops-sb-receive"   = { scope = azurerm_servicebus_namespace.secondary[0].id, role = "Azure Service Bus Data Receiver", principal_id = var.ops_principal_id }
    } : {},
  )
}

resource "azurerm_private_endpoint" "this" {
  for_each = local.private_endpoints

  name                = "pe-${var.name_prefix}-${each.key}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = module.network.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = "psc-${var.name_prefix}-${each.key}"
    private_connection_resource_id = each.value.resource_id
    subresource_names              = [each.value.subresource]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [var.private_dns_zone_ids[each.value.zone]]
  }
}

resource "azurerm_role_assignment" "this" {
  for_each = local.role_assignments

  scope                = each.value.scope
  role_definition_name = each.value.role
  principal_id         = each.value.principal_id
  principal_type       = "ServicePrincipal"
  description          = "iotbeam secondary region: ${each.key}"
}
