output "eventhub_alias_name" {
  description = "Geo-DR alias of the Event Hubs namespaces: clients use <alias>.servicebus.windows.net:9093."
  value       = azurerm_eventhub_namespace_disaster_recovery_config.this.name
}

output "eventhub_secondary_namespace_id" {
  description = "ID of the secondary Event Hubs namespace."
  value       = azurerm_eventhub_namespace.secondary.id
}

output "servicebus_alias_fqdn" {
  description = "Geo-DR alias of the Service Bus namespaces (<alias>.servicebus.windows.net); null below Premium."
  value       = var.servicebus_sku == "Premium" ? "${azurerm_servicebus_namespace_disaster_recovery_config.this[0].name}.servicebus.windows.net" : null
}

output "aks_subnet_id" {
  description = "Subnet of the standby AKS cluster."
  value       = module.network.aks_subnet_id
}

output "vnet_id" {
  description = "VNet of the secondary region."
  value       = module.network.vnet_id
}
