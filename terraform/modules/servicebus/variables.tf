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
  description = "Service Bus tier: Standard or Premium (Premium adds private endpoints and isolation)."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Standard", "Premium"], var.sku)
    error_message = "Service Bus SKU must be Standard or Premium (Basic has no duplicate detection)."
  }
}

variable "premium_messaging_units" {
  description = "Messaging units when sku = Premium (1, 2, 4, 8 or 16)."
  type        = number
  default     = 1

  validation {
    condition     = contains([1, 2, 4, 8, 16], var.premium_messaging_units)
    error_message = "premium_messaging_units must be 1, 2, 4, 8 or 16."
  }
}

variable "alerts_queue_name" {
  description = "Queue for alert notifications."
  type        = string
  default     = "alerts"
}

variable "max_delivery_count" {
  description = "Deliveries before a message is dead-lettered."
  type        = number
  default     = 5

  validation {
    condition     = var.max_delivery_count >= 1 && var.max_delivery_count <= 2000
    error_message = "max_delivery_count must be between 1 and 2000."
  }
}

variable "duplicate_detection_window" {
  description = "Duplicate detection history window (ISO 8601 duration, 20 s to 7 days)."
  type        = string
  default     = "PT1H"
}

variable "message_ttl" {
  description = "Default message time to live (ISO 8601 duration); expired messages are dead-lettered."
  type        = string
  default     = "P7D"
}

variable "public_network_access_enabled" {
  description = "Premium only: allow the public endpoint."
  type        = bool
  default     = false
}

variable "private_endpoint_subnet_id" {
  description = "Subnet for the private endpoint (Premium only)."
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
