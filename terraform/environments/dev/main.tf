# Root module of one environment: provider configuration and the platform module, which
# holds the resource group and every module (../../modules/platform). dev and prod differ
# only in terraform.tfvars and the state key in versions.tf.

provider "azurerm" {
  subscription_id     = var.subscription_id
  storage_use_azuread = true

  features {
    key_vault {
      purge_soft_delete_on_destroy = false
    }
    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}

# AKS has local accounts disabled: the providers get Entra ID tokens through kubelogin
# (Azure CLI login of whoever runs Terraform). 6dae42f8-... is the AKS AAD server app.
provider "kubernetes" {
  host                   = module.platform.kube_host
  cluster_ca_certificate = base64decode(module.platform.cluster_ca_certificate)

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "kubelogin"
    args        = ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]
  }
}

provider "helm" {
  kubernetes = {
    host                   = module.platform.kube_host
    cluster_ca_certificate = base64decode(module.platform.cluster_ca_certificate)
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "kubelogin"
      args        = ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]
    }
  }
}

# The standby AKS cluster of the secondary region (settings.secondary_location,
# docs/failover.md). Without one these stay unconfigured and unused (no resource uses them).
provider "kubernetes" {
  alias                  = "standby"
  host                   = module.platform.standby_kube_host
  cluster_ca_certificate = try(base64decode(module.platform.standby_cluster_ca_certificate), null)

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "kubelogin"
    args        = ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]
  }
}

provider "helm" {
  alias = "standby"
  kubernetes = {
    host                   = module.platform.standby_kube_host
    cluster_ca_certificate = try(base64decode(module.platform.standby_cluster_ca_certificate), null)
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "kubelogin"
      args        = ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]
    }
  }
}

# The platform module and its modules use the default azurerm, kubernetes and helm
# configurations above; the standby cluster's are passed as kubernetes.standby / helm.standby.
module "platform" {
  source = "../../modules/platform"
  providers = {
    azurerm            = azurerm
    kubernetes         = kubernetes
    helm               = helm
    kubernetes.standby = kubernetes.standby
    helm.standby       = helm.standby
  }

  environment        = var.environment
  deploy_flink_job   = var.deploy_flink_job
  flink_job_image    = var.flink_job_image
  active_region      = var.active_region
  flink_restore_path = var.flink_restore_path
  settings           = var.settings
}
