variable "name_prefix" {
  description = "Prefix for resource names, e.g. iotbeam-dev."
  type        = string
}

variable "location" {
  description = "Primary Azure region (write region)."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the Cosmos DB account."
  type        = string
}

variable "failover_locations" {
  description = "Additional read/failover regions, in failover order."
  type        = list(string)
  default     = []
}

variable "zone_redundant" {
  description = "Zone redundancy for every region."
  type        = bool
  default     = false
}

variable "serverless" {
  description = "Serverless capacity mode (dev); false uses shared autoscale throughput."
  type        = bool
  default     = false
}

variable "autoscale_max_throughput" {
  description = "Maximum autoscale RU/s of the database (provisioned mode only)."
  type        = number
  default     = 1000

  validation {
    condition     = var.autoscale_max_throughput >= 1000 && var.autoscale_max_throughput % 1000 == 0
    error_message = "autoscale_max_throughput must be a multiple of 1000, at least 1000."
  }
}

variable "continuous_backup_tier" {
  description = "Continuous backup tier."
  type        = string
  default     = "Continuous7Days"

  validation {
    condition     = contains(["Continuous7Days", "Continuous30Days"], var.continuous_backup_tier)
    error_message = "continuous_backup_tier must be Continuous7Days or Continuous30Days."
  }
}

variable "database_name" {
  description = "SQL database name."
  type        = string
  default     = "telemetry"
}

variable "containers" {
  description = "Containers (partition key /deviceId) with their default TTL in seconds (-1 = no expiry unless set per item)."
  type = map(object({
    default_ttl_seconds = number
  }))
  default = {
    aggregates = { default_ttl_seconds = 2592000 } # 30 days
    alerts     = { default_ttl_seconds = 7776000 } # 90 days
  }

  validation {
    condition     = contains(keys(var.containers), "aggregates") && contains(keys(var.containers), "alerts")
    error_message = "containers must include aggregates and alerts."
  }

  validation {
    condition     = alltrue([for c in values(var.containers) : c.default_ttl_seconds == -1 || c.default_ttl_seconds > 0])
    error_message = "default_ttl_seconds must be -1 or a positive number of seconds."
  }
}

variable "public_network_access_enabled" {
  description = "Allow the public endpoint."
  type        = bool
  default     = false
}

variable "private_endpoint_subnet_id" {
  description = "Subnet for the private endpoint."
  type        = string
}

variable "private_dns_zone_id" {
  description = "ID of the privatelink.documents.azure.com zone."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
