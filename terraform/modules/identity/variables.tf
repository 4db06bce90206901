variable "name_prefix" {
  description = "Prefix for resource names, e.g. iotbeam-dev."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the identities (and of the Cosmos DB account)."
  type        = string
}

variable "event_hub_ids" {
  description = "Event hub IDs by name; must contain telemetry, aggregates, alerts and dead-letters."
  type        = map(string)

  validation {
    condition = alltrue([
      for name in ["telemetry", "aggregates", "alerts", "dead-letters"] : contains(keys(var.event_hub_ids), name)
    ])
    error_message = "event_hub_ids must contain telemetry, aggregates, alerts and dead-letters."
  }
}

variable "storage_container_ids" {
  description = "Resource manager IDs of the storage containers by name."
  type        = map(string)
}

variable "cosmos_account_id" {
  description = "ID of the Cosmos DB account."
  type        = string
}

variable "cosmos_account_name" {
  description = "Name of the Cosmos DB account."
  type        = string
}

variable "cosmos_database_name" {
  description = "Cosmos DB database the job writes to."
  type        = string
  default     = "telemetry"
}

variable "servicebus_alerts_queue_id" {
  description = "ID of the Service Bus alerts queue."
  type        = string
}

variable "key_vault_id" {
  description = "ID of the Key Vault."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
