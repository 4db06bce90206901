# Forwarded from the platform module (modules/platform/outputs.tf), same names as before.

output "resource_group_name" {
  description = "Resource group of the environment."
  value       = module.platform.resource_group_name
}

output "eventhubs_bootstrap_servers" {
  description = "--bootstrapServers of the pipeline and the simulator (Kafka, SASL_SSL, OAUTHBEARER)."
  value       = module.platform.eventhubs_bootstrap_servers
}

output "eventhubs_topics" {
  description = "Event hubs = Kafka topics."
  value       = module.platform.eventhubs_topics
}

output "eventhubs_consumer_group" {
  description = "Kafka group.id of the streaming job."
  value       = module.platform.eventhubs_consumer_group
}

output "iothub_hostname" {
  description = "Host name devices connect to (MQTT 8883)."
  value       = module.platform.iothub_hostname
}

output "storage_account_name" {
  description = "Storage account of the azfs:// outputs and abfss:// checkpoints."
  value       = module.platform.storage_account_name
}

output "storage_dfs_endpoint" {
  description = "ADLS Gen2 endpoint."
  value       = module.platform.storage_dfs_endpoint
}

output "cosmos_endpoint" {
  description = "--cosmosEndpoint of the pipeline."
  value       = module.platform.cosmos_endpoint
}

output "cosmos_database" {
  description = "--cosmosDatabase of the pipeline."
  value       = module.platform.cosmos_database
}

output "servicebus_namespace" {
  description = "--serviceBusNamespace of the pipeline (fully qualified)."
  value       = module.platform.servicebus_namespace
}

output "servicebus_alerts_queue" {
  description = "--serviceBusQueue of the pipeline."
  value       = module.platform.servicebus_alerts_queue
}

output "key_vault_uri" {
  description = "Key Vault holding the connection settings."
  value       = module.platform.key_vault_uri
}

output "key_vault_secret_ids" {
  description = "Versionless IDs of the stored settings (references only)."
  value       = module.platform.key_vault_secret_ids
}

output "flink_identity_client_id" {
  description = "AZURE_CLIENT_ID of the Flink job identity."
  value       = module.platform.flink_identity_client_id
}

output "ops_identity_client_id" {
  description = "AZURE_CLIENT_ID of the simulator/ops identity."
  value       = module.platform.ops_identity_client_id
}

output "aks_cluster_name" {
  description = "AKS cluster (az aks get-credentials --name ...)."
  value       = module.platform.aks_cluster_name
}

output "aks_oidc_issuer_url" {
  description = "OIDC issuer of the cluster."
  value       = module.platform.aks_oidc_issuer_url
}

output "flink_job_args" {
  description = "Pipeline options the FlinkDeployment passes to StreamingPipeline."
  value       = module.platform.flink_job_args
}

output "log_analytics_workspace_id" {
  description = "Log Analytics workspace."
  value       = module.platform.log_analytics_workspace_id
}

output "appinsights_connection_string" {
  description = "Application Insights connection string (also in Key Vault)."
  value       = module.platform.appinsights_connection_string
  sensitive   = true
}

output "active_region" {
  description = "Where the streaming job runs: primary or secondary."
  value       = module.platform.active_region
}

output "standby_aks_cluster_name" {
  description = "Standby AKS cluster in the secondary region (null without one)."
  value       = module.platform.standby_aks_cluster_name
}
