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

# Providers are passed implicitly: the platform module and its modules use the default
# azurerm, kubernetes and helm configurations above.
module "platform" {
  source = "../../modules/platform"

  environment      = var.environment
  deploy_flink_job = var.deploy_flink_job
  flink_job_image  = var.flink_job_image
  settings         = var.settings
}
