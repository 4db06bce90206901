variable "subscription_id" {
  description = "Azure subscription to deploy into."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.subscription_id))
    error_message = "subscription_id must be a GUID."
  }
}

variable "project" {
  description = "Short project name used in resource names."
  type        = string
  default     = "iotbeam"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.project))
    error_message = "project must be 2-10 lower-case letters and digits, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name."
  type        = string

  validation {
    condition     = contains(["dev", "test", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, test, staging, prod."
  }
}

variable "name_suffix" {
  description = "Short suffix that makes globally unique names (storage, Key Vault, Cosmos, Service Bus) unique, e.g. 3-6 random characters."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{3,6}$", var.name_suffix))
    error_message = "name_suffix must be 3-6 lower-case letters and digits."
  }
}

variable "location" {
  description = "Azure region."
  type        = string
  default     = "westeurope"
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

variable "zone_redundant" {
  description = "Spread AKS nodes and Cosmos DB over availability zones."
  type        = bool
  default     = false
}

variable "deployer_ip_ranges" {
  description = "Public IPs/CIDRs of the machine running Terraform, let through the Key Vault and storage firewalls (empty = run from inside the VNet)."
  type        = list(string)
  default     = []
}

# --- network -----------------------------------------------------------------------

variable "vnet_address_space" {
  description = "VNet address space."
  type        = list(string)
  default     = ["10.40.0.0/16"]
}

variable "aks_subnet_prefix" {
  description = "AKS node subnet."
  type        = string
  default     = "10.40.0.0/22"
}

variable "private_endpoint_subnet_prefix" {
  description = "Private endpoint subnet."
  type        = string
  default     = "10.40.8.0/24"
}

# --- Event Hubs / IoT Hub -------------------------------------------------------------

variable "eventhubs_sku" {
  description = "Event Hubs tier (Kafka needs Standard or higher)."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Standard", "Premium", "Dedicated"], var.eventhubs_sku)
    error_message = "eventhubs_sku must be Standard, Premium or Dedicated."
  }
}

variable "eventhubs_capacity" {
  description = "Throughput units (Standard) or processing units (Premium)."
  type        = number
  default     = 1
}

variable "eventhubs_auto_inflate_max_throughput_units" {
  description = "Standard only: auto-inflate ceiling (0 = off)."
  type        = number
  default     = 0
}

variable "event_hubs" {
  description = "Event hubs with partitions and retention."
  type = map(object({
    partition_count        = number
    message_retention_days = number
  }))
  default = {
    telemetry      = { partition_count = 4, message_retention_days = 1 }
    aggregates     = { partition_count = 2, message_retention_days = 1 }
    alerts         = { partition_count = 2, message_retention_days = 1 }
    "dead-letters" = { partition_count = 1, message_retention_days = 1 }
  }
}

variable "iothub_sku_name" {
  description = "IoT Hub SKU."
  type        = string
  default     = "S1"
}

variable "iothub_sku_capacity" {
  description = "IoT Hub units."
  type        = number
  default     = 1
}

# --- storage / Cosmos / Service Bus / Key Vault / monitoring -------------------------

variable "storage_replication_type" {
  description = "Storage replication (archive tier needs LRS, GRS or RAGRS)."
  type        = string
  default     = "LRS"
}

variable "storage_lifecycle_rules" {
  description = "Tiering per data container (days since modification)."
  type = map(object({
    cool_after_days    = number
    archive_after_days = optional(number)
    delete_after_days  = number
  }))
  default = {
    raw            = { cool_after_days = 30, archive_after_days = 90, delete_after_days = 730 }
    aggregated     = { cool_after_days = 30, archive_after_days = 180, delete_after_days = 1095 }
    alerts         = { cool_after_days = 30, archive_after_days = 180, delete_after_days = 1095 }
    "dead-letters" = { cool_after_days = 7, archive_after_days = null, delete_after_days = 90 }
  }
}

variable "cosmos_serverless" {
  description = "Serverless Cosmos DB (dev) instead of autoscale throughput."
  type        = bool
  default     = false
}

variable "cosmos_autoscale_max_throughput" {
  description = "Autoscale maximum RU/s of the telemetry database."
  type        = number
  default     = 1000
}

variable "cosmos_failover_locations" {
  description = "Cosmos DB failover regions."
  type        = list(string)
  default     = []
}

variable "cosmos_containers" {
  description = "Cosmos DB containers and their default TTL in seconds."
  type = map(object({
    default_ttl_seconds = number
  }))
  default = {
    aggregates = { default_ttl_seconds = 2592000 }
    alerts     = { default_ttl_seconds = 7776000 }
  }
}

variable "servicebus_sku" {
  description = "Service Bus tier."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Standard", "Premium"], var.servicebus_sku)
    error_message = "servicebus_sku must be Standard or Premium."
  }
}

variable "servicebus_max_delivery_count" {
  description = "Deliveries of an alert notification before it is dead-lettered."
  type        = number
  default     = 5
}

variable "key_vault_purge_protection" {
  description = "Key Vault purge protection."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Log Analytics retention."
  type        = number
  default     = 30
}

variable "alert_email_addresses" {
  description = "Who gets the metric alerts."
  type        = list(string)
  default     = []
}

# --- AKS / Flink ------------------------------------------------------------------------

variable "kubernetes_version" {
  description = "AKS version (null = default)."
  type        = string
  default     = null
}

variable "aks_sku_tier" {
  description = "AKS control plane tier."
  type        = string
  default     = "Free"
}

variable "aks_admin_group_object_ids" {
  description = "Entra ID groups with cluster admin rights."
  type        = list(string)
  default     = []
}

variable "flink_vm_size" {
  description = "VM size of the Flink node pool."
  type        = string
  default     = "Standard_D4s_v5"
}

variable "flink_node_min_count" {
  description = "Minimum Flink nodes."
  type        = number
  default     = 1
}

variable "flink_node_max_count" {
  description = "Maximum Flink nodes."
  type        = number
  default     = 3
}

variable "flink_operator_version" {
  description = "Flink Kubernetes Operator chart version."
  type        = string
  default     = "1.10.0"
}

variable "deploy_flink_job" {
  description = "Create the FlinkDeployment (false on the first apply, before the operator's CRD exists)."
  type        = bool
  default     = false
}

variable "flink_job_image" {
  description = "Streaming job image (Flink 1.19 + /opt/flink/usrlib/iotbeam-runners.jar), pinned to a tag or digest."
  type        = string
}

variable "flink_parallelism" {
  description = "Job parallelism."
  type        = number
  default     = 2
}

variable "flink_checkpoint_interval_ms" {
  description = "Checkpoint interval in milliseconds."
  type        = number
  default     = 60000
}

variable "flink_taskmanager_memory" {
  description = "TaskManager memory."
  type        = string
  default     = "4096m"
}
