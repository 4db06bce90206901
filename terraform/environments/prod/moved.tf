# State migration of the move into modules/platform: the resource group and the module
# calls used to live in this root module. These blocks let the next plan re-address the
# existing objects instead of destroying and re-creating them. Keep them until every
# state (dev and prod) has been applied once with this layout; removing them afterwards
# is safe for those states only.

moved {
  from = azurerm_resource_group.main
  to   = module.platform.azurerm_resource_group.main
}

moved {
  from = module.network
  to   = module.platform.module.network
}

moved {
  from = module.monitoring
  to   = module.platform.module.monitoring
}

moved {
  from = module.eventhubs
  to   = module.platform.module.eventhubs
}

moved {
  from = module.iothub
  to   = module.platform.module.iothub
}

moved {
  from = module.storage
  to   = module.platform.module.storage
}

moved {
  from = module.cosmos
  to   = module.platform.module.cosmos
}

moved {
  from = module.servicebus
  to   = module.platform.module.servicebus
}

moved {
  from = module.keyvault
  to   = module.platform.module.keyvault
}

moved {
  from = module.identity
  to   = module.platform.module.identity
}

moved {
  from = module.aks_flink
  to   = module.platform.module.aks_flink
}
