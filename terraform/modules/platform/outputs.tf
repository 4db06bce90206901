# Connection settings of the streaming job and the simulator. None of them is a
# secret: every client authenticates with a managed identity.
# The environments forward these (environments/*/outputs.tf).

output "resource_group_name" {
  description = "Resource group of the environment."
  value       = azurerm_resource_group.main.name
}

output "eventhubs_bootstrap_servers" {
  description = "--bootstrapServers of the pipeline and the simulator (Kafka, SASL_SSL, OAUTHBEARER)."
  value       = "${local.eventhubs_endpoint_name}.servicebus.windows.net:9093"
}

output "eventhubs_topics" {
  description = "Event hubs = Kafka topics."
  value       = module.eventhubs.event_hub_names
}

output "eventhubs_consumer_group" {
  description = "Kafka group.id of the streaming job."
  value       = module.eventhubs.pipeline_consumer_group
}

output "iothub_hostname" {
  description = "Host name devices connect to (MQTT 8883)."
  value       = module.iothub.hostname
}

output "storage_account_name" {
  description = "Storage account of the azfs:// outputs and abfss:// checkpoints."
  value       = module.storage.name
}

output "storage_dfs_endpoint" {
  description = "ADLS Gen2 endpoint."
  value       = module.storage.primary_dfs_endpoint
}

output "cosmos_endpoint" {
  description = "--cosmosEndpoint of the pipeline."
  value       = module.cosmos.endpoint
}

output "cosmos_database" {
  description = "--cosmosDatabase of the pipeline."
  value       = module.cosmos.database_name
}

output "servicebus_namespace" {
  description = "--serviceBusNamespace of the pipeline (fully qualified)."
  value       = local.servicebus_fqdn
}

output "servicebus_alerts_queue" {
  description = "--serviceBusQueue of the pipeline."
  value       = module.servicebus.alerts_queue_name
}

output "notifications_smtp_from" {
  description = "--smtpFrom of the pipeline (Communication Services sender address)."
  value       = module.communication.smtp_from
}

output "notifications_domain_verification_records" {
  description = "DNS records to publish when settings.acs_email_domain is a domain of your own."
  value       = module.communication.domain_verification_records
}

output "key_vault_uri" {
  description = "Key Vault holding the connection settings."
  value       = module.keyvault.vault_uri
}

output "key_vault_secret_ids" {
  description = "Versionless IDs of the stored settings (references only)."
  value       = module.keyvault.secret_versionless_ids
}

output "flink_identity_client_id" {
  description = "AZURE_CLIENT_ID of the Flink job identity."
  value       = module.identity.flink_client_id
}

output "ops_identity_client_id" {
  description = "AZURE_CLIENT_ID of the simulator/ops identity."
  value       = module.identity.ops_client_id
}

output "aks_cluster_name" {
  description = "AKS cluster (az aks get-credentials --name ...)."
  value       = module.aks_flink.cluster_name
}

output "aks_oidc_issuer_url" {
  description = "OIDC issuer of the cluster."
  value       = module.aks_flink.oidc_issuer_url
}

output "flink_job_args" {
  description = "Pipeline options the FlinkDeployment passes to StreamingPipeline."
  value       = module.aks_flink.flink_job_args
}

output "log_analytics_workspace_id" {
  description = "Log Analytics workspace."
  value       = module.monitoring.log_analytics_workspace_id
}

output "appinsights_connection_string" {
  description = "Application Insights connection string (also in Key Vault)."
  value       = module.monitoring.application_insights_connection_string
  sensitive   = true
}

# For the kubernetes and helm provider blocks of the root modules (AKS API server).
output "kube_host" {
  description = "API server URL of the AKS cluster (provider configuration of the root module)."
  value       = module.aks_flink.kube_host
  sensitive   = true
}

output "cluster_ca_certificate" {
  description = "Base64 CA certificate of the AKS API server (provider configuration of the root module)."
  value       = module.aks_flink.cluster_ca_certificate
  sensitive   = true
}

# --- the secondary region (null without settings.secondary_location) ---------------------

output "standby_aks_cluster_name" {
  description = "Name of the standby AKS cluster in the secondary region."
  value       = local.secondary ? module.aks_flink_standby[0].cluster_name : null
}

output "standby_kube_host" {
  description = "API server URL of the standby AKS cluster (the *.standby providers)."
  value       = local.secondary ? module.aks_flink_standby[0].kube_host : null
  sensitive   = true
}

output "standby_cluster_ca_certificate" {
  description = "Base64 CA certificate of the standby AKS cluster's API server."
  value       = local.secondary ? module.aks_flink_standby[0].cluster_ca_certificate : null
  sensitive   = true
}

output "active_region" {
  description = "Where the streaming job runs: primary or secondary."
  value       = var.active_region
}
