# Azure Communication Services for the pipeline's notifications (docs/notifications.md):
# the Communication Services resource (SMS, and the SMTP relay smtp.azurecomm.net), an Email
# Communication Service with a domain (Azure-managed by default, or your own), the domain
# connected to the resource, and a sender address on it.
#
# The notification step reads its settings from Key Vault (the Secrets Store CSI driver
# mounts them into the job's pods with the Flink workload identity):
#   acs-connection-string   -> env ACS_CONNECTION_STRING (the SMS channel; sensitive)
#   notify-smtp-host        -> --smtpHost
#   notify-smtp-from        -> --smtpFrom
#   notify-smtp-username    -> env SMTP_USERNAME (only with an SMTP application, see below)
# SMTP to smtp.azurecomm.net authenticates as a Microsoft Entra application: its service
# principal gets the role below on the Communication Services resource, and its client secret
# is stored by an operator as the secret notify-smtp-password (-> env SMTP_PASSWORD); it is
# never in Terraform state or in this repository.

data "azurerm_client_config" "current" {}

locals {
  managed_domain = var.email_domain == ""
  # ACS SMTP user name: <resource name>.<Entra application (client) id>.<tenant id>
  smtp_username = var.smtp_app == null ? null : "${azurerm_communication_service.this.name}.${var.smtp_app.client_id}.${data.azurerm_client_config.current.tenant_id}"

  settings = merge(
    {
      "notify-smtp-host" = "smtp.azurecomm.net"
      "notify-smtp-from" = "${azurerm_email_communication_service_domain_sender_username.alerts.name}@${azurerm_email_communication_service_domain.this.mail_from_sender_domain}"
    },
    var.smtp_app == null ? {} : { "notify-smtp-username" = local.smtp_username },
  )
}

resource "azurerm_email_communication_service" "this" {
  name                = "ecs-${var.name_prefix}"
  resource_group_name = var.resource_group_name
  data_location       = var.data_location
  tags                = var.tags
}

# AzureManagedDomain: a <guid>.azurecomm.net domain that works at once (with low sending
# limits); a domain of your own needs its DNS records (verification_records) published.
resource "azurerm_email_communication_service_domain" "this" {
  name                             = local.managed_domain ? "AzureManagedDomain" : var.email_domain
  email_service_id                 = azurerm_email_communication_service.this.id
  domain_management                = local.managed_domain ? "AzureManaged" : "CustomerManaged"
  user_engagement_tracking_enabled = false
  tags                             = var.tags
}

resource "azurerm_email_communication_service_domain_sender_username" "alerts" {
  name                    = var.sender_username
  email_service_domain_id = azurerm_email_communication_service_domain.this.id
  display_name            = var.sender_display_name
}

resource "azurerm_communication_service" "this" {
  name                = "acs-${var.name_prefix}"
  resource_group_name = var.resource_group_name
  data_location       = var.data_location
  tags                = var.tags
}

resource "azurerm_communication_service_email_domain_association" "this" {
  communication_service_id = azurerm_communication_service.this.id
  email_service_domain_id  = azurerm_email_communication_service_domain.this.id
}

# What sending through the SMTP relay takes, and nothing more (no built-in role is that narrow).
resource "azurerm_role_definition" "smtp_sender" {
  name        = "iotbeam ACS SMTP sender (${var.name_prefix})"
  scope       = azurerm_communication_service.this.id
  description = "Send e-mail through the Azure Communication Services SMTP relay."

  permissions {
    actions = [
      "Microsoft.Communication/CommunicationServices/Read",
      "Microsoft.Communication/CommunicationServices/Write",
      "Microsoft.Communication/EmailServices/write",
    ]
  }

  assignable_scopes = [azurerm_communication_service.this.id]
}

resource "azurerm_role_assignment" "smtp_app" {
  count = var.smtp_app == null ? 0 : 1

  scope              = azurerm_communication_service.this.id
  role_definition_id = azurerm_role_definition.smtp_sender.role_definition_resource_id
  principal_id       = var.smtp_app.object_id
  principal_type     = "ServicePrincipal"
  description        = "iotbeam notifications: SMTP sender"
}

resource "azurerm_key_vault_secret" "connection_string" {
  name         = "acs-connection-string"
  value        = azurerm_communication_service.this.primary_connection_string
  key_vault_id = var.key_vault_id
  content_type = "connection-string"
  tags         = var.tags
}

resource "azurerm_key_vault_secret" "settings" {
  for_each = toset(keys(local.settings))

  name         = each.value
  value        = local.settings[each.value]
  key_vault_id = var.key_vault_id
  content_type = "text/plain"
  tags         = var.tags
}

# The job's identity reads these secrets. Scoped to each secret, so the wiring stays visible
# (and holds) even if the vault-wide role is ever narrowed.
resource "azurerm_role_assignment" "flink_reads" {
  for_each = merge(
    { "acs-connection-string" = azurerm_key_vault_secret.connection_string.resource_versionless_id },
    { for name, s in azurerm_key_vault_secret.settings : name => s.resource_versionless_id },
  )

  scope                = each.value
  role_definition_name = "Key Vault Secrets User"
  principal_id         = var.flink_principal_id
  principal_type       = "ServicePrincipal"
  description          = "iotbeam flink job: reads ${each.key}"
}
