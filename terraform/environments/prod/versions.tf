terraform {
  required_version = ">= 1.6.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.66"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 3.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.38"
    }
  }

  # Partial configuration: pass the rest with -backend-config=backend.hcl
  # (see backend.hcl.example and the README).
  backend "azurerm" {
    key = "iotbeam/prod.tfstate"
  }
}
