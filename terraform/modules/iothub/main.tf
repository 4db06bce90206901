# IoT Hub with an identity-based custom endpoint on the `telemetry` event hub.
# Devices publish to devices/{deviceId}/messages/events/ over MQTT; the route below
# forwards every device message to Event Hubs, where the streaming job reads it
# through the Kafka endpoint.

locals {
  telemetry_endpoint_name = "telemetry-eventhub"
}

# IoT Hub authenticates to Event Hubs with this identity. It is user-assigned so that
# its role assignment exists before the hub (and its endpoint) is created.
resource "azurerm_user_assigned_identity" "iothub" {
  name                = "id-${var.name_prefix}-iothub"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_role_assignment" "iothub_eventhub_sender" {
  scope                = var.telemetry_event_hub_id
  role_definition_name = "Azure Event Hubs Data Sender"
  principal_id         = azurerm_user_assigned_identity.iothub.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_iothub" "this" {
  name                = "iot-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name

  sku {
    name     = var.sku_name
    capacity = var.sku_capacity
  }

  min_tls_version               = "1.2"
  public_network_access_enabled = true # devices connect from the internet
  local_authentication_enabled  = var.local_authentication_enabled
  event_hub_partition_count     = var.builtin_endpoint_partition_count
  event_hub_retention_in_days   = 1

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.iothub.id]
  }

  endpoint {
    type                = "AzureIotHub.EventHub"
    name                = local.telemetry_endpoint_name
    resource_group_name = var.resource_group_name
    authentication_type = "identityBased"
    identity_id         = azurerm_user_assigned_identity.iothub.id
    endpoint_uri        = "sb://${var.eventhub_namespace_name}.servicebus.windows.net"
    entity_path         = var.telemetry_event_hub_name
  }

  # All device telemetry goes to the `telemetry` event hub (the pipeline's input).
  route {
    name           = "telemetry-to-eventhub"
    source         = "DeviceMessages"
    condition      = "true"
    endpoint_names = [local.telemetry_endpoint_name]
    enabled        = true
  }

  # Once a custom route exists, the built-in `events` endpoint only gets messages that
  # an explicit route sends there; keep a copy for `az iot hub monitor-events` and other
  # operational readers of the built-in endpoint.
  route {
    name           = "telemetry-to-builtin"
    source         = "DeviceMessages"
    condition      = "true"
    endpoint_names = ["events"]
    enabled        = var.keep_builtin_endpoint_copy
  }

  # Messages that match no route (for example if a route is disabled) still land on
  # the built-in endpoint instead of being dropped.
  fallback_route {
    source         = "DeviceMessages"
    condition      = "true"
    endpoint_names = ["events"]
    enabled        = true
  }

  # Application properties added to every message on the telemetry endpoint; the
  # pipeline can use them for lineage (which hub, which environment).
  enrichment {
    key            = "iothub-name"
    value          = "$iothubname"
    endpoint_names = [local.telemetry_endpoint_name]
  }

  enrichment {
    key            = "environment"
    value          = var.environment
    endpoint_names = [local.telemetry_endpoint_name]
  }

  tags = var.tags

  depends_on = [azurerm_role_assignment.iothub_eventhub_sender]
}
