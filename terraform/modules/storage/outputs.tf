output "id" {
  description = "ID of the storage account."
  value       = azurerm_storage_account.this.id
}

output "name" {
  description = "Name of the storage account."
  value       = azurerm_storage_account.this.name
}

output "primary_blob_endpoint" {
  description = "Blob endpoint (https://<account>.blob.core.windows.net/)."
  value       = azurerm_storage_account.this.primary_blob_endpoint
}

output "primary_dfs_endpoint" {
  description = "ADLS Gen2 endpoint (https://<account>.dfs.core.windows.net/)."
  value       = azurerm_storage_account.this.primary_dfs_endpoint
}

output "container_ids" {
  description = "Resource manager IDs of the containers by name (role assignment scopes)."
  value       = { for name, c in azurerm_storage_container.this : name => c.id }
}

output "data_container_name" {
  description = "Container of the pipeline's files (--outputBase=azfs://<account>/<container>)."
  value       = azurerm_storage_container.this[var.data_container_name].name
}

output "checkpoint_container_name" {
  description = "Container for Flink checkpoints and savepoints."
  value       = azurerm_storage_container.this[var.checkpoint_container_name].name
}
