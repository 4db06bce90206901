output "namespace_id" {
  description = "ID of the Event Hubs namespace."
  value       = azurerm_eventhub_namespace.this.id
}

output "namespace_name" {
  description = "Name of the Event Hubs namespace."
  value       = azurerm_eventhub_namespace.this.name
}

output "kafka_bootstrap_servers" {
  description = "Kafka bootstrap servers of the namespace (SASL_SSL, port 9093)."
  value       = "${azurerm_eventhub_namespace.this.name}.servicebus.windows.net:9093"
}

output "event_hub_ids" {
  description = "Event hub IDs by name."
  value       = { for name, hub in azurerm_eventhub.this : name => hub.id }
}

output "event_hub_names" {
  description = "Event hub names (Kafka topics)."
  value       = keys(azurerm_eventhub.this)
}

output "pipeline_consumer_group" {
  description = "Consumer group (Kafka group.id) of the streaming job."
  value       = azurerm_eventhub_consumer_group.pipeline.name
}
