variable "environment" {
  description = "Environment name."
  type        = string

  validation {
    condition     = contains(["dev", "test", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, test, staging, prod."
  }
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

variable "active_region" {
  description = "Where the streaming job runs: primary, or secondary after a failover (docs/failover.md). Needs settings.secondary_location for secondary."
  type        = string
  default     = "primary"

  validation {
    condition     = contains(["primary", "secondary"], var.active_region)
    error_message = "active_region must be primary or secondary."
  }
}

variable "flink_restore_path" {
  description = "Retained checkpoint (or savepoint) the job starts from when it is (re)created, e.g. after a failover: abfss://flink@<account>.dfs.core.windows.net/iotbeam-streaming/checkpoints/<job id>/chk-<n>. null: the operator's own state."
  type        = string
  default     = null
}

# Everything else an environment sets (sizes, SKUs, retention, node counts, names) is one
# object: the environments pass their terraform.tfvars `settings` through unchanged, so
# this is the only place the inputs are declared. An attribute that is left out takes the
# default given here. Terraform drops attributes the type does not declare, so a misspelt
# key in terraform.tfvars would be ignored silently: test/references.test.mjs checks the
# keys of every environment's settings against this type.
variable "settings" {
  description = "Per-environment settings (sizes, SKUs, retention, node counts, names); see the comments on each attribute in modules/platform/variables.tf."
  type = object({
    # Short project name used in resource names (2-10 lower-case letters and digits).
    project = optional(string, "iotbeam")
    # Suffix that makes the globally unique names (storage, Key Vault, Cosmos DB, Service
    # Bus) unique, 3-6 lower-case letters and digits.
    name_suffix = string
    # Azure region.
    location = optional(string, "westeurope")
    # Extra tags for every resource.
    tags = optional(map(string), {})
    # Spread AKS nodes and Cosmos DB over availability zones.
    zone_redundant = optional(bool, false)
    # Public IPs/CIDRs of the machine running Terraform, let through the Key Vault and
    # storage firewalls (empty = run from inside the VNet).
    deployer_ip_ranges = optional(list(string), [])

    # --- network ---------------------------------------------------------------------
    vnet_address_space             = optional(list(string), ["10.40.0.0/16"])
    aks_subnet_prefix              = optional(string, "10.40.0.0/22")
    private_endpoint_subnet_prefix = optional(string, "10.40.8.0/24")

    # --- second region (docs/failover.md) --------------------------------------------
    # The paired region that takes over after a regional outage; null: one region. Set, it
    # adds the Event Hubs (and, on Premium, Service Bus) Geo-DR aliases and secondary
    # namespaces, makes storage read-access geo-redundant (RA-GRS / RA-GZRS), adds the region
    # to Cosmos DB's failover locations, and builds a standby AKS cluster with the Flink
    # operator there (the job runs where active_region says).
    secondary_location                       = optional(string)
    secondary_vnet_address_space             = optional(list(string), ["10.41.0.0/16"])
    secondary_aks_subnet_prefix              = optional(string, "10.41.0.0/22")
    secondary_private_endpoint_subnet_prefix = optional(string, "10.41.8.0/24")

    # --- Event Hubs / IoT Hub --------------------------------------------------------
    # Event Hubs tier (Kafka needs Standard or higher): Standard, Premium or Dedicated.
    eventhubs_sku = optional(string, "Standard")
    # Throughput units (Standard) or processing units (Premium).
    eventhubs_capacity = optional(number, 1)
    # Standard only: auto-inflate ceiling (0 = off).
    eventhubs_auto_inflate_max_throughput_units = optional(number, 0)
    # Event hubs with partitions and retention (the four hubs the pipeline uses).
    event_hubs = optional(map(object({
      partition_count        = number
      message_retention_days = number
      })), {
      telemetry      = { partition_count = 4, message_retention_days = 1 }
      aggregates     = { partition_count = 2, message_retention_days = 1 }
      alerts         = { partition_count = 2, message_retention_days = 1 }
      "dead-letters" = { partition_count = 1, message_retention_days = 1 }
    })
    # IoT Hub SKU and units.
    iothub_sku_name     = optional(string, "S1")
    iothub_sku_capacity = optional(number, 1)

    # --- storage / Cosmos / Service Bus / Key Vault / monitoring ---------------------
    # Storage replication (archive tier needs LRS, GRS or RAGRS).
    storage_replication_type = optional(string, "LRS")
    # Tiering per sub-directory of the data container (days since modification).
    storage_lifecycle_rules = optional(map(object({
      cool_after_days    = number
      archive_after_days = optional(number)
      delete_after_days  = number
      })), {
      raw            = { cool_after_days = 30, archive_after_days = 90, delete_after_days = 730 }
      aggregates     = { cool_after_days = 30, archive_after_days = 180, delete_after_days = 1095 }
      alerts         = { cool_after_days = 30, archive_after_days = 180, delete_after_days = 1095 }
      "dead-letters" = { cool_after_days = 7, archive_after_days = null, delete_after_days = 90 }
    })
    # Serverless Cosmos DB (dev) instead of autoscale throughput.
    cosmos_serverless = optional(bool, false)
    # Autoscale maximum RU/s of the telemetry database.
    cosmos_autoscale_max_throughput = optional(number, 1000)
    # Cosmos DB failover regions.
    cosmos_failover_locations = optional(list(string), [])
    # Cosmos DB containers and their default TTL in seconds.
    cosmos_containers = optional(map(object({
      default_ttl_seconds = number
      })), {
      aggregates = { default_ttl_seconds = 2592000 }
      alerts     = { default_ttl_seconds = 7776000 }
    })
    # Service Bus tier: Standard or Premium (private endpoint only on Premium).
    servicebus_sku = optional(string, "Standard")
    # Deliveries of an alert notification before it is dead-lettered.
    servicebus_max_delivery_count = optional(number, 5)
    # Key Vault purge protection.
    key_vault_purge_protection = optional(bool, true)
    # Notifications (Communication Services): where it keeps data, your own sender domain
    # ("" = an Azure-managed one), and the Entra application that authenticates to its SMTP
    # relay ({ client_id, object_id of its service principal }; null = none).
    acs_data_location = optional(string, "Europe")
    acs_email_domain  = optional(string, "")
    acs_smtp_app = optional(object({
      client_id = string
      object_id = string
    }))
    # Log Analytics retention in days.
    log_retention_days = optional(number, 30)
    # Who gets the metric alerts.
    alert_email_addresses = optional(list(string), [])

    # --- AKS / Flink -----------------------------------------------------------------
    # AKS version (null = default).
    kubernetes_version = optional(string)
    # AKS control plane tier.
    aks_sku_tier = optional(string, "Free")
    # Entra ID groups with cluster admin rights.
    aks_admin_group_object_ids = optional(list(string), [])
    # Flink node pool: VM size, minimum and maximum nodes.
    flink_vm_size        = optional(string, "Standard_D4s_v5")
    flink_node_min_count = optional(number, 1)
    flink_node_max_count = optional(number, 3)
    # Flink Kubernetes Operator chart version.
    flink_operator_version = optional(string, "1.10.0")
    # Job parallelism, checkpoint interval (ms) and TaskManager memory.
    flink_parallelism            = optional(number, 2)
    flink_checkpoint_interval_ms = optional(number, 60000)
    flink_taskmanager_memory     = optional(string, "4096m")
  })

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.settings.project))
    error_message = "settings.project must be 2-10 lower-case letters and digits, starting with a letter."
  }

  validation {
    condition     = can(regex("^[a-z0-9]{3,6}$", var.settings.name_suffix))
    error_message = "settings.name_suffix must be 3-6 lower-case letters and digits."
  }

  validation {
    condition     = contains(["Standard", "Premium", "Dedicated"], var.settings.eventhubs_sku)
    error_message = "settings.eventhubs_sku must be Standard, Premium or Dedicated."
  }

  validation {
    condition     = contains(["Standard", "Premium"], var.settings.servicebus_sku)
    error_message = "settings.servicebus_sku must be Standard or Premium."
  }
}
