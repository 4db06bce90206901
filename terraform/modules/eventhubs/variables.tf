variable "name_prefix" {
  description = "Prefix for resource names, e.g. iotbeam-dev."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the namespace."
  type        = string
}

variable "sku" {
  description = "Event Hubs tier. Kafka needs Standard or higher."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Standard", "Premium", "Dedicated"], var.sku)
    error_message = "Event Hubs SKU must be Standard, Premium or Dedicated (Basic has no Kafka endpoint)."
  }
}

variable "capacity" {
  description = "Throughput units (Standard) or processing units (Premium: 1, 2, 4, 8 or 16)."
  type        = number
  default     = 1

  validation {
    condition     = var.capacity >= 1 && var.capacity <= 40
    error_message = "capacity must be between 1 and 40."
  }
}

variable "auto_inflate_max_throughput_units" {
  description = "Standard tier only: upper bound for auto-inflate; 0 turns auto-inflate off."
  type        = number
  default     = 0

  validation {
    condition     = var.auto_inflate_max_throughput_units >= 0 && var.auto_inflate_max_throughput_units <= 40
    error_message = "auto_inflate_max_throughput_units must be between 0 and 40."
  }
}

variable "dedicated_cluster_id" {
  description = "ID of the Event Hubs Dedicated cluster when sku = Dedicated."
  type        = string
  default     = null
}

variable "event_hubs" {
  description = "Event hubs to create (name => partitions and retention)."
  type = map(object({
    partition_count        = number
    message_retention_days = number
  }))
  default = {
    telemetry      = { partition_count = 8, message_retention_days = 3 }
    aggregates     = { partition_count = 4, message_retention_days = 3 }
    alerts         = { partition_count = 2, message_retention_days = 7 }
    "dead-letters" = { partition_count = 2, message_retention_days = 7 }
  }

  validation {
    condition = alltrue([
      for name in ["telemetry", "aggregates", "alerts", "dead-letters"] : contains(keys(var.event_hubs), name)
    ])
    error_message = "event_hubs must contain telemetry, aggregates, alerts and dead-letters."
  }

  validation {
    condition = alltrue([
      for hub in values(var.event_hubs) :
      hub.partition_count >= 1 && hub.partition_count <= 100 && hub.message_retention_days >= 1 && hub.message_retention_days <= 90
    ])
    error_message = "partition_count must be 1..100 and message_retention_days 1..90 (Standard: 32 partitions, 7 days)."
  }
}

variable "telemetry_event_hub" {
  description = "Name of the event hub the IoT Hub routes device telemetry into."
  type        = string
  default     = "telemetry"
}

variable "pipeline_consumer_group" {
  description = "Consumer group (Kafka group.id) of the streaming job."
  type        = string
  default     = "flink-telemetry"
}

variable "public_network_access_enabled" {
  description = "Whether the namespace is reachable from public networks (devices never talk to it directly; IoT Hub does, as a trusted service)."
  type        = bool
  default     = false
}

variable "private_endpoint_subnet_id" {
  description = "Subnet for the private endpoint."
  type        = string
}

variable "private_dns_zone_id" {
  description = "ID of the privatelink.servicebus.windows.net zone."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
