output "account_id" {
  description = "ID of the Cosmos DB account."
  value       = azurerm_cosmosdb_account.this.id
}

output "account_name" {
  description = "Name of the Cosmos DB account."
  value       = azurerm_cosmosdb_account.this.name
}

output "endpoint" {
  description = "Document endpoint (https://<account>.documents.azure.com:443/)."
  value       = azurerm_cosmosdb_account.this.endpoint
}

output "database_name" {
  description = "SQL database name."
  value       = azurerm_cosmosdb_sql_database.telemetry.name
}

output "database_id" {
  description = "ID of the SQL database."
  value       = azurerm_cosmosdb_sql_database.telemetry.id
}

output "container_names" {
  description = "SQL container names."
  value       = keys(azurerm_cosmosdb_sql_container.this)
}
