# Service Bus carries what leaves the platform: alert notifications on the `alerts`
# queue. The job sends with its managed identity (Azure Service Bus Data Sender).

locals {
  premium = var.sku == "Premium"
}

resource "azurerm_servicebus_namespace" "this" {
  name                = "sb-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = var.sku

  # Messaging units and partitions only exist on Premium.
  capacity                     = local.premium ? var.premium_messaging_units : 0
  premium_messaging_partitions = local.premium ? 1 : 0

  local_auth_enabled            = false
  public_network_access_enabled = local.premium ? var.public_network_access_enabled : true
  minimum_tls_version           = "1.2"

  tags = var.tags
}

resource "azurerm_servicebus_queue" "alerts" {
  name         = var.alerts_queue_name
  namespace_id = azurerm_servicebus_namespace.this.id

  # The sink sets MessageId = "<alert id>:<state>" (alert id = device|rule|raised-at):
  # a replayed RAISED or CLEARED inside the window is dropped by the broker, while the
  # CLEARED that follows a RAISED is a different message and gets through.
  requires_duplicate_detection            = true
  duplicate_detection_history_time_window = var.duplicate_detection_window

  dead_lettering_on_message_expiration = true
  max_delivery_count                   = var.max_delivery_count
  default_message_ttl                  = var.message_ttl
  lock_duration                        = "PT1M"
  max_size_in_megabytes                = 1024
  batched_operations_enabled           = true
  partitioning_enabled                 = false
}

# Private endpoints exist for Premium namespaces only; Standard stays on the public
# endpoint with Entra ID auth and TLS 1.2.
resource "azurerm_private_endpoint" "namespace" {
  count = local.premium ? 1 : 0

  name                = "pe-${azurerm_servicebus_namespace.this.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = "psc-${azurerm_servicebus_namespace.this.name}"
    private_connection_resource_id = azurerm_servicebus_namespace.this.id
    subresource_names              = ["namespace"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [var.private_dns_zone_id]
  }
}
