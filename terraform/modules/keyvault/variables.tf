variable "name" {
  description = "Globally unique Key Vault name (3-24 characters)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", var.name))
    error_message = "Key Vault names are 3-24 letters, digits and hyphens, starting with a letter."
  }
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the vault."
  type        = string
}

variable "purge_protection_enabled" {
  description = "Purge protection (irreversible once on; use true in prod)."
  type        = bool
  default     = true
}

variable "soft_delete_retention_days" {
  description = "Soft-delete retention in days."
  type        = number
  default     = 90

  validation {
    condition     = var.soft_delete_retention_days >= 7 && var.soft_delete_retention_days <= 90
    error_message = "soft_delete_retention_days must be between 7 and 90."
  }
}

variable "public_network_access_enabled" {
  description = "Allow the public endpoint (limited to allowed_ip_ranges); Terraform must reach the vault to write secrets."
  type        = bool
  default     = false
}

variable "allowed_ip_ranges" {
  description = "Public IPs/CIDRs allowed through the vault firewall (e.g. the deployment runner)."
  type        = list(string)
  default     = []
}

variable "secret_names" {
  description = "Names of the secrets to store (kept apart from the values so for_each keys stay known and non-sensitive)."
  type        = set(string)
  default     = []
}

variable "secret_values" {
  description = "Secret values by name. Only settings derived from other resources; never literals in tfvars."
  type        = map(string)
  default     = {}
  sensitive   = true
}

variable "private_endpoint_subnet_id" {
  description = "Subnet for the private endpoint."
  type        = string
}

variable "private_dns_zone_id" {
  description = "ID of the privatelink.vaultcore.azure.net zone."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
