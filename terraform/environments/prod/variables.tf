# What this root module needs for its providers, plus the platform module's inputs passed
# through unchanged. The platform's inputs (types, defaults, validation) are declared once,
# in modules/platform/variables.tf.

variable "subscription_id" {
  description = "Azure subscription to deploy into (export TF_VAR_subscription_id=<guid>)."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.subscription_id))
    error_message = "subscription_id must be a GUID."
  }
}

variable "environment" {
  description = "Environment name (dev, test, staging, prod)."
  type        = string
}

variable "deploy_flink_job" {
  description = "Create the FlinkDeployment (-var deploy_flink_job=false on the first apply, before the operator's CRD exists)."
  type        = bool
  default     = false
}

variable "flink_job_image" {
  description = "Streaming job image (Flink 1.19 + /opt/flink/usrlib/iotbeam-runners.jar), pinned to a tag or digest."
  type        = string
}

variable "active_region" {
  description = "Where the streaming job runs: primary, or secondary after a failover (-var active_region=secondary, docs/failover.md)."
  type        = string
  default     = "primary"
}

variable "flink_restore_path" {
  description = "Retained checkpoint the job starts from when it is created in the other region (-var flink_restore_path=abfss://..., docs/failover.md); null: none."
  type        = string
  default     = null
}

variable "settings" {
  description = "Sizes, SKUs, retention, node counts and names of this environment: the settings object of modules/platform/variables.tf (its type and defaults apply)."
  type        = any
}
