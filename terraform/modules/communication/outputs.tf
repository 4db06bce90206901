output "communication_service_id" {
  description = "ID of the Communication Services resource."
  value       = azurerm_communication_service.this.id
}

output "communication_service_hostname" {
  description = "Host name of the Communication Services endpoint (SMS)."
  value       = azurerm_communication_service.this.hostname
}

output "smtp_from" {
  description = "--smtpFrom of the pipeline: the sender address on the connected domain."
  value       = local.settings["notify-smtp-from"]
}

output "domain_verification_records" {
  description = "DNS records to publish for a domain of your own (empty for the Azure-managed domain)."
  value       = azurerm_email_communication_service_domain.this.verification_records
}

output "secret_versionless_ids" {
  description = "Versionless IDs of the notification secrets in Key Vault (references only)."
  value = merge(
    { "acs-connection-string" = azurerm_key_vault_secret.connection_string.versionless_id },
    { for name, s in azurerm_key_vault_secret.settings : name => s.versionless_id },
  )
}
