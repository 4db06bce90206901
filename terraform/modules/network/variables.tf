variable "name_prefix" {
  description = "Prefix for resource names, e.g. iotbeam-dev."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group that holds the network resources."
  type        = string
}

variable "address_space" {
  description = "Address space of the VNet."
  type        = list(string)
  default     = ["10.40.0.0/16"]

  validation {
    condition     = alltrue([for cidr in var.address_space : can(cidrhost(cidr, 0))])
    error_message = "Every entry of address_space must be a valid CIDR block."
  }
}

variable "aks_subnet_prefix" {
  description = "CIDR of the AKS node subnet (pods use an overlay network, so /22 is plenty)."
  type        = string
  default     = "10.40.0.0/22"

  validation {
    condition     = can(cidrhost(var.aks_subnet_prefix, 0))
    error_message = "aks_subnet_prefix must be a valid CIDR block."
  }
}

variable "private_endpoint_subnet_prefix" {
  description = "CIDR of the private endpoint subnet."
  type        = string
  default     = "10.40.8.0/24"

  validation {
    condition     = can(cidrhost(var.private_endpoint_subnet_prefix, 0))
    error_message = "private_endpoint_subnet_prefix must be a valid CIDR block."
  }
}

variable "existing_private_dns_zone_ids" {
  description = "Zones of another network to link this VNet to (keys servicebus, blob, dfs, cosmos_sql, keyvault); null: create the zones."
  type        = map(string)
  default     = null
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
