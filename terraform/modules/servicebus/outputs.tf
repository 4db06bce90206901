output "namespace_id" {
  description = "ID of the Service Bus namespace."
  value       = azurerm_servicebus_namespace.this.id
}

output "namespace_name" {
  description = "Name of the Service Bus namespace."
  value       = azurerm_servicebus_namespace.this.name
}

output "fully_qualified_namespace" {
  description = "Host name used by the SDK with a token credential."
  value       = "${azurerm_servicebus_namespace.this.name}.servicebus.windows.net"
}

output "alerts_queue_id" {
  description = "ID of the alerts queue."
  value       = azurerm_servicebus_queue.alerts.id
}

output "alerts_queue_name" {
  description = "Name of the alerts queue."
  value       = azurerm_servicebus_queue.alerts.name
}
