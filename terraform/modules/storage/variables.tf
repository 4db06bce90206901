variable "account_name" {
  description = "Globally unique storage account name (3-24 lower-case letters and digits)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.account_name))
    error_message = "account_name must be 3-24 lower-case letters and digits."
  }
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the storage account."
  type        = string
}

variable "replication_type" {
  description = "Replication. The archive tier needs LRS, GRS or RAGRS."
  type        = string
  default     = "LRS"

  validation {
    condition     = contains(["LRS", "GRS", "RAGRS", "ZRS", "GZRS", "RAGZRS"], var.replication_type)
    error_message = "replication_type must be LRS, GRS, RAGRS, ZRS, GZRS or RAGZRS."
  }
}

variable "hns_enabled" {
  description = "Hierarchical namespace (ADLS Gen2). Recommended for Flink's abfss:// checkpoints; cannot be changed after creation."
  type        = bool
  default     = true
}

variable "data_container_name" {
  description = "Container of the pipeline's files (--outputBase): raw/, aggregates/, alerts/, dead-letters/."
  type        = string
  default     = "telemetry"
}

variable "checkpoint_container_name" {
  description = "Container for Flink checkpoints, savepoints and HA metadata."
  type        = string
  default     = "flink"
}

variable "lifecycle_rules" {
  description = "Tiering per sub-directory of the data container (raw, aggregates, alerts, dead-letters): days since last modification before cool, archive (null = never) and delete."
  type = map(object({
    cool_after_days    = number
    archive_after_days = optional(number)
    delete_after_days  = number
  }))
  default = {
    raw            = { cool_after_days = 30, archive_after_days = 90, delete_after_days = 730 }
    aggregates     = { cool_after_days = 30, archive_after_days = 180, delete_after_days = 1095 }
    alerts         = { cool_after_days = 30, archive_after_days = 180, delete_after_days = 1095 }
    "dead-letters" = { cool_after_days = 7, archive_after_days = null, delete_after_days = 90 }
  }

  validation {
    condition = alltrue([
      for r in values(var.lifecycle_rules) :
      r.cool_after_days < r.delete_after_days &&
      (r.archive_after_days == null ? true : (r.cool_after_days < r.archive_after_days && r.archive_after_days < r.delete_after_days))
    ])
    error_message = "Each rule must satisfy cool_after_days < archive_after_days < delete_after_days."
  }
}

variable "soft_delete_retention_days" {
  description = "Soft-delete retention for blobs and containers."
  type        = number
  default     = 7

  validation {
    condition     = var.soft_delete_retention_days >= 1 && var.soft_delete_retention_days <= 365
    error_message = "soft_delete_retention_days must be between 1 and 365."
  }
}

variable "public_network_access_enabled" {
  description = "Allow the public endpoint (still limited to allowed_ip_ranges and trusted Azure services)."
  type        = bool
  default     = false
}

variable "allowed_ip_ranges" {
  description = "Public IPs/CIDRs allowed through the storage firewall (e.g. the CI runner)."
  type        = list(string)
  default     = []
}

variable "private_endpoint_subnet_id" {
  description = "Subnet for the private endpoints."
  type        = string
}

variable "private_dns_zone_ids" {
  description = "Private DNS zone IDs with keys blob and dfs."
  type        = map(string)
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
