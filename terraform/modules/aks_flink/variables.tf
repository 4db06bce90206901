variable "name_prefix" {
  description = "Prefix for resource names, e.g. iotbeam-dev."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the cluster."
  type        = string
}

# --- cluster -----------------------------------------------------------------------

variable "kubernetes_version" {
  description = "AKS Kubernetes version (null = latest default)."
  type        = string
  default     = null
}

variable "sku_tier" {
  description = "AKS control plane tier."
  type        = string
  default     = "Free"

  validation {
    condition     = contains(["Free", "Standard", "Premium"], var.sku_tier)
    error_message = "sku_tier must be Free, Standard or Premium."
  }
}

variable "admin_group_object_ids" {
  description = "Entra ID groups with cluster admin rights."
  type        = list(string)
  default     = []
}

variable "aks_subnet_id" {
  description = "Subnet of the node pools."
  type        = string
}

variable "zones" {
  description = "Availability zones of the node pools (empty = regional)."
  type        = list(string)
  default     = []
}

variable "system_vm_size" {
  description = "VM size of the system node pool."
  type        = string
  default     = "Standard_D2s_v5"
}

variable "flink_vm_size" {
  description = "VM size of the Flink node pool."
  type        = string
  default     = "Standard_D4s_v5"
}

variable "flink_node_min_count" {
  description = "Minimum nodes of the Flink pool."
  type        = number
  default     = 1
}

variable "flink_node_max_count" {
  description = "Maximum nodes of the Flink pool."
  type        = number
  default     = 4

  validation {
    condition     = var.flink_node_max_count >= 1 && var.flink_node_max_count <= 100
    error_message = "flink_node_max_count must be between 1 and 100."
  }
}

variable "log_analytics_workspace_id" {
  description = "Workspace of Container Insights."
  type        = string
}

# --- identity ------------------------------------------------------------------------

variable "flink_identity_id" {
  description = "Resource ID of the Flink job's user-assigned identity."
  type        = string
}

variable "flink_identity_client_id" {
  description = "Client ID of the Flink job's user-assigned identity."
  type        = string
}

variable "flink_namespace" {
  description = "Namespace of the Flink jobs (watched by the operator)."
  type        = string
  default     = "flink-jobs"
}

variable "flink_service_account" {
  description = "Service account of the Flink pods, federated with the job identity."
  type        = string
  default     = "flink-telemetry"
}

# --- operator ------------------------------------------------------------------------

variable "flink_operator_version" {
  description = "Version of the Flink Kubernetes Operator Helm chart."
  type        = string
  default     = "1.10.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.flink_operator_version))
    error_message = "flink_operator_version must look like 1.10.0."
  }
}

variable "operator_webhook_enabled" {
  description = "Install the operator's validating webhook (needs cert-manager in the cluster)."
  type        = bool
  default     = false
}

# --- job -----------------------------------------------------------------------------

variable "deploy_flink_job" {
  description = "Create the FlinkDeployment. Needs the operator's CRD, so false on the very first apply."
  type        = bool
  default     = true
}

variable "initial_savepoint_path" {
  description = "Checkpoint or savepoint the FlinkDeployment starts from when it is created (a failover: docs/failover.md); null: none."
  type        = string
  default     = null
}

variable "job_name" {
  description = "Name of the FlinkDeployment."
  type        = string
  default     = "iotbeam-streaming"
}

variable "flink_job_image" {
  description = "Image built from runners/docker/Dockerfile (Flink 1.19, /opt/flink/usrlib/iotbeam-runners.jar), e.g. myacr.azurecr.io/iotbeam/streaming:1.0.0."
  type        = string

  validation {
    condition     = length(var.flink_job_image) > 0 && !endswith(var.flink_job_image, ":latest")
    error_message = "flink_job_image must be set and pinned to a tag or digest other than :latest."
  }
}

variable "flink_version" {
  description = "Flink version of the image as the operator spells it."
  type        = string
  default     = "v1_19"

  validation {
    condition     = can(regex("^v1_[0-9]+$", var.flink_version))
    error_message = "flink_version must look like v1_19."
  }
}

variable "metrics_port" {
  description = "Port of the Beam-metrics reporter (Prometheus text) on every Flink pod."
  type        = number
  default     = 9464
}

variable "job_parallelism" {
  description = "Parallelism of the job (at most the telemetry partition count is useful for the source)."
  type        = number
  default     = 2

  validation {
    condition     = var.job_parallelism >= 1 && var.job_parallelism <= 1024
    error_message = "job_parallelism must be between 1 and 1024."
  }
}

variable "task_slots" {
  description = "Task slots per TaskManager."
  type        = number
  default     = 2
}

variable "checkpoint_interval_ms" {
  description = "Checkpoint interval in milliseconds."
  type        = number
  default     = 60000

  validation {
    condition     = var.checkpoint_interval_ms >= 1000
    error_message = "checkpoint_interval_ms must be at least 1000."
  }
}

variable "jobmanager_cpu" {
  description = "CPU of the JobManager."
  type        = number
  default     = 1
}

variable "jobmanager_memory" {
  description = "Memory of the JobManager."
  type        = string
  default     = "2048m"
}

variable "taskmanager_cpu" {
  description = "CPU of a TaskManager."
  type        = number
  default     = 2
}

variable "taskmanager_memory" {
  description = "Memory of a TaskManager."
  type        = string
  default     = "4096m"
}

variable "extra_job_args" {
  description = "More pipeline options appended to the generated ones."
  type        = list(string)
  default     = []
}

# --- connection settings (module outputs) -------------------------------------------

variable "eventhub_namespace_name" {
  description = "Event Hubs namespace; the Kafka bootstrap server is <name>.servicebus.windows.net:9093."
  type        = string
}

variable "consumer_group" {
  description = "Consumer group (Kafka group.id) on the telemetry event hub."
  type        = string
}

variable "storage_account_name" {
  description = "Storage account for azfs:// outputs and abfss:// checkpoints."
  type        = string
}

variable "data_container_name" {
  description = "Container of the pipeline's files: --outputBase=azfs://<account>/<container>."
  type        = string
}

variable "storage_blob_endpoint" {
  description = "Blob endpoint of the storage account (--blobServiceEndpoint of Beam's azfs:// file system)."
  type        = string
}

variable "checkpoint_container_name" {
  description = "Container for checkpoints, savepoints and HA metadata."
  type        = string
}

variable "cosmos_endpoint" {
  description = "Cosmos DB document endpoint."
  type        = string
}

variable "cosmos_database_name" {
  description = "Cosmos DB database."
  type        = string
}

variable "servicebus_namespace_fqdn" {
  description = "Service Bus fully qualified namespace."
  type        = string
}

variable "servicebus_queue_name" {
  description = "Service Bus queue for alert notifications."
  type        = string
}

variable "key_vault_uri" {
  description = "Key Vault URI, passed to the pods for settings kept there."
  type        = string
}

variable "tags" {
  description = "Tags applied to every Azure resource."
  type        = map(string)
  default     = {}
}
