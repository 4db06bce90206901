variable "name_prefix" {
  description = "Prefix for resource names, e.g. iotbeam-dev."
  type        = string
}

variable "environment" {
  description = "Environment name (used in the action group short name)."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the monitoring resources."
  type        = string
}

variable "log_retention_days" {
  description = "Log Analytics retention."
  type        = number
  default     = 30

  validation {
    condition     = var.log_retention_days >= 30 && var.log_retention_days <= 730
    error_message = "log_retention_days must be between 30 and 730."
  }
}

variable "daily_quota_gb" {
  description = "Daily ingestion cap in GB (-1 = none)."
  type        = number
  default     = -1
}

variable "alert_email_addresses" {
  description = "E-mail receivers of the action group."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alert_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", a))])
    error_message = "Every alert_email_addresses entry must be an e-mail address."
  }
}

variable "diagnostic_targets" {
  description = "Resources that send logs and metrics to the workspace. Keys are static names, values the resource IDs and categories."
  type = map(object({
    resource_id         = string
    log_categories      = optional(list(string), [])
    log_category_groups = optional(list(string), ["allLogs"])
    metric_categories   = optional(list(string), ["AllMetrics"])
    dedicated_tables    = optional(bool, false)
  }))
}

variable "eventhub_namespace_id" {
  description = "ID of the Event Hubs namespace (alert scope)."
  type        = string
}

variable "eventhub_backlog_threshold" {
  description = "Messages per 5 minutes by which incoming may exceed outgoing before the backlog alert counts a window."
  type        = number
  default     = 50000
}

variable "cosmos_account_id" {
  description = "ID of the Cosmos DB account (alert scope)."
  type        = string
}

variable "cosmos_429_threshold" {
  description = "Number of 429 responses in 15 minutes that raises the alert."
  type        = number
  default     = 100
}

variable "servicebus_namespace_id" {
  description = "ID of the Service Bus namespace (alert scope)."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
