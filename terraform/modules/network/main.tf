# VNet with one subnet for the AKS nodes and one for private endpoints, plus the
# private DNS zones every private endpoint of the platform registers in. A second region's
# network (modules/secondary_region) links its VNet to the primary's zones instead of creating
# them again (private DNS zones are global: one per name).

locals {
  # Event Hubs and Service Bus share one zone (both are *.servicebus.windows.net).
  private_dns_zones = {
    servicebus = "privatelink.servicebus.windows.net"
    blob       = "privatelink.blob.core.windows.net"
    dfs        = "privatelink.dfs.core.windows.net"
    cosmos_sql = "privatelink.documents.azure.com"
    keyvault   = "privatelink.vaultcore.azure.net"
  }
}

resource "azurerm_virtual_network" "this" {
  name                = "vnet-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  address_space       = var.address_space
  tags                = var.tags
}

resource "azurerm_subnet" "aks" {
  name                 = "snet-aks"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this.name
  address_prefixes     = [var.aks_subnet_prefix]
}

resource "azurerm_subnet" "private_endpoints" {
  name                 = "snet-private-endpoints"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this.name
  address_prefixes     = [var.private_endpoint_subnet_prefix]

  # Network policies (NSG/UDR) may apply to private endpoints in this subnet.
  private_endpoint_network_policies = "Enabled"
}

resource "azurerm_network_security_group" "aks" {
  name                = "nsg-${var.name_prefix}-aks"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_subnet_network_security_group_association" "aks" {
  subnet_id                 = azurerm_subnet.aks.id
  network_security_group_id = azurerm_network_security_group.aks.id
}

resource "azurerm_private_dns_zone" "this" {
  for_each = var.existing_private_dns_zone_ids == null ? local.private_dns_zones : {}

  name                = each.value
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

# .../resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<name>: the link lives
# in the zone's resource group
resource "azurerm_private_dns_zone_virtual_network_link" "this" {
  for_each = local.private_dns_zones

  name                  = "link-${each.key}-${var.name_prefix}"
  resource_group_name   = var.existing_private_dns_zone_ids == null ? var.resource_group_name : split("/", var.existing_private_dns_zone_ids[each.key])[4]
  private_dns_zone_name = var.existing_private_dns_zone_ids == null ? azurerm_private_dns_zone.this[each.key].name : each.value
  virtual_network_id    = azurerm_virtual_network.this.id
  registration_enabled  = false
  tags                  = var.tags
}
