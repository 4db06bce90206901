# AKS (workload identity + OIDC issuer), the Flink Kubernetes Operator (Helm) and the
# FlinkDeployment that runs the Beam streaming pipeline with the FlinkRunner.

data "azurerm_client_config" "current" {}

locals {
  checkpoint_base  = "abfss://${var.checkpoint_container_name}@${var.storage_account_name}.dfs.core.windows.net/${var.job_name}"
  storage_dfs_host = "${var.storage_account_name}.dfs.core.windows.net"

  # Pipeline options of org.iotbeam.pipelines.StreamingPipeline. Connection settings
  # come from module outputs; nothing here is a secret (auth is workload identity).
  # pipelines' DeployedJobArgsTest parses these (rendered by terraform/flink-job.mjs) with the
  # pipeline's own options and checks: a flag the code does not have fails the build.
  job_args = concat([
    "--runner=FlinkRunner",
    "--streaming=true",
    "--bootstrapServers=${var.eventhub_namespace_name}.servicebus.windows.net:9093",
    "--eventHubsAuth=OAUTHBEARER",
    "--inputTopic=telemetry",
    "--consumerGroup=${var.consumer_group}",
    "--aggregatesTopic=aggregates",
    "--alertsTopic=alerts",
    "--deadLetterTopic=dead-letters",
    # raw/, aggregates/, alerts/, dead-letters/ under one base (Beam's azfs:// file system,
    # DefaultAzureCredential = the workload identity, against the account's blob endpoint)
    "--outputBase=azfs://${var.storage_account_name}/${var.data_container_name}",
    "--blobServiceEndpoint=${var.storage_blob_endpoint}",
    "--cosmosEndpoint=${var.cosmos_endpoint}",
    "--cosmosDatabase=${var.cosmos_database_name}",
    "--serviceBusNamespace=${var.servicebus_namespace_fqdn}",
    "--serviceBusQueue=${var.servicebus_queue_name}",
    "--parallelism=${var.job_parallelism}",
    "--checkpointingInterval=${var.checkpoint_interval_ms}",
    "--checkpointingMode=EXACTLY_ONCE",
  ], var.extra_job_args)

  flink_configuration = {
    "taskmanager.numberOfTaskSlots" = tostring(var.task_slots)
    "parallelism.default"           = tostring(var.job_parallelism)

    # Checkpointing: exactly-once barriers, RocksDB with incremental checkpoints on ADLS.
    # an alert crosses two keyed exchanges: buffers leave after 10 ms, not Flink's 100 ms
    "execution.buffer-timeout"                             = "10 ms"
    "execution.checkpointing.interval"                     = "${var.checkpoint_interval_ms}ms"
    "execution.checkpointing.mode"                         = "EXACTLY_ONCE"
    "execution.checkpointing.min-pause"                    = "${floor(var.checkpoint_interval_ms / 2)}ms"
    "execution.checkpointing.timeout"                      = "10min"
    "execution.checkpointing.max-concurrent-checkpoints"   = "1"
    "execution.checkpointing.tolerable-failed-checkpoints" = "3"
    "execution.checkpointing.externalized-checkpoint-retention" = "RETAIN_ON_CANCELLATION"
    "state.backend.type"                                   = "rocksdb"
    "state.backend.incremental"                            = "true"
    "state.backend.rocksdb.localdir"                       = "/flink-data/rocksdb"
    "state.checkpoints.dir"                                = "${local.checkpoint_base}/checkpoints"
    "state.savepoints.dir"                                 = "${local.checkpoint_base}/savepoints"
    "state.checkpoints.num-retained"                       = "3"

    # JobManager HA on Kubernetes, metadata next to the checkpoints.
    "high-availability.type"       = "kubernetes"
    "high-availability.storageDir" = "${local.checkpoint_base}/ha"

    # Restart strategy: exponential delay with jitter, reset after a healthy period.
    "restart-strategy.type"                                      = "exponential-delay"
    "restart-strategy.exponential-delay.initial-backoff"         = "1s"
    "restart-strategy.exponential-delay.max-backoff"             = "2min"
    "restart-strategy.exponential-delay.backoff-multiplier"      = "2.0"
    "restart-strategy.exponential-delay.reset-backoff-threshold" = "10min"
    "restart-strategy.exponential-delay.jitter-factor"           = "0.1"

    # The project's Beam-metrics reporter (docs/observability.md), on the image's classpath
    # (runners/docker/Dockerfile): Prometheus text on every pod, scraped through the pod
    # annotations below. Flink's own PrometheusReporter would export Beam's distributions as 0.
    "metrics.reporter.iotbeam.factory.class" = "org.iotbeam.pipelines.observability.FlinkBeamMetricsReporterFactory"
    "metrics.reporter.iotbeam.host"          = "0.0.0.0"
    "metrics.reporter.iotbeam.port"          = tostring(var.metrics_port)

    # ABFS (the image's flink-azure-fs-hadoop plugin) authenticates with the workload identity
    # token that the AKS webhook projects into the pod. The plugin's hadoop-azure (3.3.4) has no
    # workload identity provider, so the image adds one to the plugin (runners/flink-azure-fs).
    "fs.azure.account.auth.type.${local.storage_dfs_host}"                 = "Custom"
    "fs.azure.account.oauth.provider.type.${local.storage_dfs_host}"       = "org.iotbeam.flink.azurefs.WorkloadIdentityTokenProvider"
    "fs.azure.account.oauth2.msi.tenant.${local.storage_dfs_host}"         = data.azurerm_client_config.current.tenant_id
    "fs.azure.account.oauth2.client.id.${local.storage_dfs_host}"          = var.flink_identity_client_id
    "fs.azure.account.oauth2.token.file.${local.storage_dfs_host}"         = "/var/run/secrets/azure/tokens/azure-identity-token"
  }
}

resource "azurerm_kubernetes_cluster" "this" {
  name                = "aks-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  dns_prefix          = "aks-${var.name_prefix}"
  kubernetes_version  = var.kubernetes_version
  sku_tier            = var.sku_tier

  oidc_issuer_enabled       = true
  workload_identity_enabled = true

  local_account_disabled            = true
  role_based_access_control_enabled = true
  automatic_upgrade_channel         = "patch"
  node_os_upgrade_channel           = "NodeImage"

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = true
    tenant_id              = data.azurerm_client_config.current.tenant_id
    admin_group_object_ids = var.admin_group_object_ids
  }

  default_node_pool {
    name                         = "system"
    vm_size                      = var.system_vm_size
    vnet_subnet_id               = var.aks_subnet_id
    auto_scaling_enabled         = true
    min_count                    = 1
    max_count                    = 3
    only_critical_addons_enabled = true
    zones                        = var.zones

    upgrade_settings {
      max_surge = "33%"
    }
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_policy      = "calico"
    load_balancer_sku   = "standard"
    pod_cidr            = "192.168.0.0/16"
    service_cidr        = "10.100.0.0/16"
    dns_service_ip      = "10.100.0.10"
  }

  oms_agent {
    log_analytics_workspace_id      = var.log_analytics_workspace_id
    msi_auth_for_monitoring_enabled = true
  }

  # Secrets Store CSI driver: pods mount Key Vault secrets with their workload identity.
  key_vault_secrets_provider {
    secret_rotation_enabled = true
  }

  tags = var.tags
}

resource "azurerm_kubernetes_cluster_node_pool" "flink" {
  name                  = "flink"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.this.id
  mode                  = "User"
  vm_size               = var.flink_vm_size
  vnet_subnet_id        = var.aks_subnet_id
  auto_scaling_enabled  = true
  min_count             = var.flink_node_min_count
  max_count             = var.flink_node_max_count
  zones                 = var.zones
  node_labels = {
    "workload" = "flink"
  }

  upgrade_settings {
    max_surge = "33%"
  }

  tags = var.tags
}

# Azure CNI in a custom VNet: the cluster identity manages NICs/LBs in the subnet.
resource "azurerm_role_assignment" "aks_subnet_network_contributor" {
  scope                = var.aks_subnet_id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_kubernetes_cluster.this.identity[0].principal_id
  principal_type       = "ServicePrincipal"
}

# The identity running Terraform installs the operator and the FlinkDeployment.
resource "azurerm_role_assignment" "deployer_cluster_admin" {
  scope                = azurerm_kubernetes_cluster.this.id
  role_definition_name = "Azure Kubernetes Service RBAC Cluster Admin"
  principal_id         = data.azurerm_client_config.current.object_id
}

# Federates the job's Kubernetes service account with the Flink managed identity.
resource "azurerm_federated_identity_credential" "flink" {
  name                      = "fic-${var.name_prefix}-flink"
  user_assigned_identity_id = var.flink_identity_id
  issuer                    = azurerm_kubernetes_cluster.this.oidc_issuer_url
  subject                   = "system:serviceaccount:${var.flink_namespace}:${var.flink_service_account}"
  audience                  = ["api://AzureADTokenExchange"]
}

resource "kubernetes_namespace_v1" "flink" {
  metadata {
    name = var.flink_namespace
    labels = {
      "app.kubernetes.io/part-of" = "iotbeam"
    }
  }

  depends_on = [
    azurerm_kubernetes_cluster_node_pool.flink,
    azurerm_role_assignment.deployer_cluster_admin,
  ]
}

# The operator creates the job service account (with the workload identity annotation)
# and the Role/RoleBinding Flink needs for native Kubernetes HA in the watched namespace.
resource "helm_release" "flink_operator" {
  name             = "flink-kubernetes-operator"
  repository       = "https://archive.apache.org/dist/flink/flink-kubernetes-operator-${var.flink_operator_version}/"
  chart            = "flink-kubernetes-operator"
  version          = var.flink_operator_version
  namespace        = "flink-operator"
  create_namespace = true
  atomic           = true
  timeout          = 600

  values = [yamlencode({
    # The validating webhook needs cert-manager; the operator validates specs itself
    # on reconcile, so the webhook stays off unless cert-manager is installed.
    webhook = {
      create = var.operator_webhook_enabled
    }
    watchNamespaces = [var.flink_namespace]
    jobServiceAccount = {
      create = true
      name   = var.flink_service_account
      annotations = {
        "azure.workload.identity/client-id" = var.flink_identity_client_id
        "azure.workload.identity/tenant-id" = data.azurerm_client_config.current.tenant_id
        "helm.sh/resource-policy"           = "keep"
      }
    }
    defaultConfiguration = {
      create = true
      append = true
      "config.yaml" = "kubernetes.operator.metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory\nkubernetes.operator.metrics.reporter.prom.port: 9999\n"
    }
  })]

  depends_on = [kubernetes_namespace_v1.flink]
}

# The FlinkDeployment CRD must exist when this is planned: apply once with
# deploy_flink_job = false (installs the operator), then with true (see README).
resource "kubernetes_manifest" "flink_streaming_job" {
  count = var.deploy_flink_job ? 1 : 0

  manifest = {
    apiVersion = "flink.apache.org/v1beta1"
    kind       = "FlinkDeployment"
    metadata = {
      name      = var.job_name
      namespace = var.flink_namespace
      labels = {
        "app.kubernetes.io/name"    = var.job_name
        "app.kubernetes.io/part-of" = "iotbeam"
      }
    }
    spec = {
      image              = var.flink_job_image
      imagePullPolicy    = "IfNotPresent"
      flinkVersion       = var.flink_version
      serviceAccount     = var.flink_service_account
      flinkConfiguration = local.flink_configuration

      podTemplate = {
        metadata = {
          labels = {
            "azure.workload.identity/use" = "true"
          }
          annotations = {
            "prometheus.io/scrape" = "true"
            "prometheus.io/port"   = tostring(var.metrics_port)
            "prometheus.io/path"   = "/metrics"
          }
        }
        spec = {
          nodeSelector = {
            "workload" = "flink"
          }
          containers = [{
            name = "flink-main-container"
            ports = [{
              name          = "metrics"
              containerPort = var.metrics_port
              protocol      = "TCP"
            }]
            env = [
              {
                name  = "AZURE_KEY_VAULT_URI"
                value = var.key_vault_uri
              },
            ]
            volumeMounts = [{
              name      = "flink-data"
              mountPath = "/flink-data"
            }]
          }]
          volumes = [{
            name     = "flink-data"
            emptyDir = {}
          }]
        }
      }

      jobManager = {
        replicas = 1
        resource = {
          cpu    = var.jobmanager_cpu
          memory = var.jobmanager_memory
        }
      }

      taskManager = {
        resource = {
          cpu    = var.taskmanager_cpu
          memory = var.taskmanager_memory
        }
      }

      # initialSavepointPath: where a new deployment (the standby after a failover) restores
      # its state from; the operator ignores it once the job has state of its own
      job = merge({
        jarURI      = "local:///opt/flink/usrlib/iotbeam-runners.jar"
        entryClass  = "org.iotbeam.pipelines.StreamingPipeline"
        args        = local.job_args
        parallelism = var.job_parallelism
        upgradeMode = "savepoint"
        state       = "running"
        }, var.initial_savepoint_path == null ? {} : {
        initialSavepointPath = var.initial_savepoint_path
      })
    }
  }

  depends_on = [
    helm_release.flink_operator,
    azurerm_federated_identity_credential.flink,
  ]
}
