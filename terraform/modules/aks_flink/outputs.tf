output "cluster_id" {
  description = "ID of the AKS cluster."
  value       = azurerm_kubernetes_cluster.this.id
}

output "cluster_name" {
  description = "Name of the AKS cluster."
  value       = azurerm_kubernetes_cluster.this.name
}

output "oidc_issuer_url" {
  description = "OIDC issuer of the cluster (workload identity federation)."
  value       = azurerm_kubernetes_cluster.this.oidc_issuer_url
}

output "kube_host" {
  description = "API server URL."
  value       = azurerm_kubernetes_cluster.this.kube_config[0].host
  sensitive   = true
}

output "cluster_ca_certificate" {
  description = "Base64 CA certificate of the API server."
  value       = azurerm_kubernetes_cluster.this.kube_config[0].cluster_ca_certificate
  sensitive   = true
}

output "flink_namespace" {
  description = "Namespace of the Flink jobs."
  value       = var.flink_namespace
}

output "flink_service_account" {
  description = "Service account federated with the Flink identity."
  value       = var.flink_service_account
}

output "flink_job_args" {
  description = "Pipeline options passed to the streaming job."
  value       = local.job_args
}

output "flink_configuration" {
  description = "Flink configuration of the FlinkDeployment."
  value       = local.flink_configuration
}
