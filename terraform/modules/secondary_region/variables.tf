variable "name_prefix" {
  description = "Prefix for the secondary region's resource names, e.g. iotbeam-prod-dr (globally unique names need the suffix too)."
  type        = string
}

variable "location" {
  description = "The secondary region (the primary's paired region, e.g. northeurope for westeurope)."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group in the secondary region: managing it does not depend on the primary region."
  type        = string
}

variable "primary_resource_group_name" {
  description = "Resource group of the primary Event Hubs namespace (the alias is created there)."
  type        = string
}

# --- network ----------------------------------------------------------------------------

variable "address_space" {
  description = "Address space of the secondary VNet (must not overlap the primary's)."
  type        = list(string)
}

variable "aks_subnet_prefix" {
  description = "Subnet of the standby AKS nodes."
  type        = string
}

variable "private_endpoint_subnet_prefix" {
  description = "Subnet of the secondary region's private endpoints."
  type        = string
}

variable "private_dns_zone_ids" {
  description = "The primary network's private DNS zones (keys servicebus, blob, dfs, cosmos_sql, keyvault)."
  type        = map(string)
}

# --- what is paired, replicated or reached ------------------------------------------------

variable "eventhubs_sku" {
  description = "Tier of the primary Event Hubs namespace (the secondary gets the same)."
  type        = string
}

variable "eventhubs_capacity" {
  description = "Throughput or processing units of the secondary namespace."
  type        = number
}

variable "primary_eventhub_namespace_name" {
  description = "Primary Event Hubs namespace."
  type        = string
}

variable "eventhub_alias_name" {
  description = "Geo-DR alias (globally unique, like a namespace name)."
  type        = string
}

variable "servicebus_sku" {
  description = "Tier of the primary Service Bus namespace; its Geo-DR pairing needs Premium."
  type        = string
}

variable "primary_servicebus_namespace_id" {
  description = "Primary Service Bus namespace."
  type        = string
}

variable "servicebus_alias_name" {
  description = "Service Bus Geo-DR alias (globally unique)."
  type        = string
}

variable "storage_account_id" {
  description = "The geo-redundant storage account (files and checkpoints)."
  type        = string
}

variable "cosmos_account_id" {
  description = "The Cosmos DB account (the secondary region is one of its failover locations)."
  type        = string
}

variable "key_vault_id" {
  description = "The Key Vault."
  type        = string
}

variable "flink_principal_id" {
  description = "Principal of the Flink job identity."
  type        = string
}

variable "ops_principal_id" {
  description = "Principal of the ops identity."
  type        = string
}

variable "iothub_principal_id" {
  description = "Principal of the IoT Hub's identity (its route sends to the alias)."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
