terraform {
  required_version = ">= 1.6.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.66.0, < 5.0.0"
    }
    # *.standby: the standby AKS cluster of the secondary region (environments/*/main.tf)
    helm = {
      source                = "hashicorp/helm"
      version               = ">= 3.0.0, < 4.0.0"
      configuration_aliases = [helm.standby]
    }
    kubernetes = {
      source                = "hashicorp/kubernetes"
      version               = ">= 2.38.0, < 3.0.0"
      configuration_aliases = [kubernetes.standby]
    }
  }
}
