variable "name_prefix" {
  description = "Prefix for resource names, e.g. iotbeam-dev-ab12 (Communication Services names are global)."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the resources (they are global; their data stays in data_location)."
  type        = string
}

variable "data_location" {
  description = "Where Communication Services keeps its data: Europe, United States, UK, ..."
  type        = string
  default     = "Europe"
}

variable "email_domain" {
  description = "Your own sender domain (its DNS records must be published and verified), or empty for an Azure-managed domain."
  type        = string
  default     = ""

  validation {
    condition     = var.email_domain == "" || can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.email_domain))
    error_message = "email_domain must be empty or a lower-case DNS name such as alerts.example.com."
  }
}

variable "sender_username" {
  description = "Local part of the sender address (sender@domain) the notifications come from."
  type        = string
  default     = "alerts"
}

variable "sender_display_name" {
  description = "Display name of the sender address."
  type        = string
  default     = "IoT Beam alerts"
}

variable "smtp_app" {
  description = "Microsoft Entra application that authenticates to smtp.azurecomm.net (client_id, and object_id of its service principal); null: no SMTP user (SMS only, or another relay)."
  type = object({
    client_id = string
    object_id = string
  })
  default = null
}

variable "key_vault_id" {
  description = "Key Vault that holds the connection string and the settings."
  type        = string
}

variable "flink_principal_id" {
  description = "Principal (object) ID of the Flink job identity, which reads the secrets."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
