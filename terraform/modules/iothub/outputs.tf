output "id" {
  description = "ID of the IoT Hub."
  value       = azurerm_iothub.this.id
}

output "name" {
  description = "Name of the IoT Hub."
  value       = azurerm_iothub.this.name
}

output "hostname" {
  description = "Device-facing host name (MQTT on 8883)."
  value       = azurerm_iothub.this.hostname
}

output "identity_principal_id" {
  description = "Principal ID of the hub's user-assigned identity."
  value       = azurerm_user_assigned_identity.iothub.principal_id
}
