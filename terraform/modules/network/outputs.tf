output "vnet_id" {
  description = "ID of the VNet."
  value       = azurerm_virtual_network.this.id
}

output "aks_subnet_id" {
  description = "ID of the AKS node subnet."
  value       = azurerm_subnet.aks.id
}

output "private_endpoint_subnet_id" {
  description = "ID of the private endpoint subnet."
  value       = azurerm_subnet.private_endpoints.id
}

output "private_dns_zone_ids" {
  description = "Private DNS zone IDs by key: servicebus, blob, dfs, cosmos_sql, keyvault."
  value       = var.existing_private_dns_zone_ids == null ? { for key, zone in azurerm_private_dns_zone.this : key => zone.id } : var.existing_private_dns_zone_ids
}
