variable "name_prefix" {
  description = "Prefix for resource names, e.g. iotbeam-dev."
  type        = string
}

variable "environment" {
  description = "Environment name, added to every routed message as an enrichment."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the IoT Hub."
  type        = string
}

variable "sku_name" {
  description = "IoT Hub SKU. Message routing needs a standard tier (S1, S2, S3); B tiers have no cloud-to-device or twins."
  type        = string
  default     = "S1"

  validation {
    condition     = contains(["B1", "B2", "B3", "S1", "S2", "S3"], var.sku_name)
    error_message = "sku_name must be one of B1, B2, B3, S1, S2, S3."
  }
}

variable "sku_capacity" {
  description = "Number of IoT Hub units."
  type        = number
  default     = 1

  validation {
    condition     = var.sku_capacity >= 1 && var.sku_capacity <= 200
    error_message = "sku_capacity must be between 1 and 200."
  }
}

variable "local_authentication_enabled" {
  description = "Allow SAS-token device authentication (turn off when every device uses X.509)."
  type        = bool
  default     = true
}

variable "builtin_endpoint_partition_count" {
  description = "Partitions of the built-in events endpoint."
  type        = number
  default     = 4
}

variable "keep_builtin_endpoint_copy" {
  description = "Also route every device message to the built-in events endpoint."
  type        = bool
  default     = true
}

variable "eventhub_namespace_name" {
  description = "Name of the Event Hubs namespace that holds the telemetry event hub."
  type        = string
}

variable "telemetry_event_hub_name" {
  description = "Name of the telemetry event hub."
  type        = string
  default     = "telemetry"
}

variable "telemetry_event_hub_id" {
  description = "ID of the telemetry event hub (scope of the hub identity's sender role)."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
