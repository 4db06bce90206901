output "flink_identity_id" {
  description = "Resource ID of the Flink job identity."
  value       = azurerm_user_assigned_identity.flink.id
}

output "flink_client_id" {
  description = "Client ID of the Flink job identity (AZURE_CLIENT_ID, service account annotation)."
  value       = azurerm_user_assigned_identity.flink.client_id
}

output "flink_principal_id" {
  description = "Principal (object) ID of the Flink job identity."
  value       = azurerm_user_assigned_identity.flink.principal_id
}

output "ops_identity_id" {
  description = "Resource ID of the simulator/ops identity."
  value       = azurerm_user_assigned_identity.ops.id
}

output "ops_client_id" {
  description = "Client ID of the simulator/ops identity."
  value       = azurerm_user_assigned_identity.ops.client_id
}

output "ops_principal_id" {
  description = "Principal (object) ID of the simulator/ops identity."
  value       = azurerm_user_assigned_identity.ops.principal_id
}
