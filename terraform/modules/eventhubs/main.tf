# Event Hubs namespace (the Kafka endpoint the streaming job talks to on port 9093),
# the four event hubs and the consumer group of the Flink job.
#
# Kafka is always on for the Standard, Premium and Dedicated tiers (azurerm 4.x has no
# kafka_enabled argument any more); Basic has no Kafka endpoint, which is why the SKU
# variable rejects it.

locals {
  # Namespaces hosted on an Event Hubs Dedicated cluster are created with the Standard
  # SKU and point at the cluster.
  namespace_sku = var.sku == "Dedicated" ? "Standard" : var.sku
}

resource "azurerm_eventhub_namespace" "this" {
  name                = "evhns-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = local.namespace_sku
  capacity            = var.capacity

  dedicated_cluster_id     = var.sku == "Dedicated" ? var.dedicated_cluster_id : null
  auto_inflate_enabled     = var.sku == "Standard" ? var.auto_inflate_max_throughput_units > 0 : false
  maximum_throughput_units = var.sku == "Standard" && var.auto_inflate_max_throughput_units > 0 ? var.auto_inflate_max_throughput_units : null

  # Clients authenticate with Entra ID (OAUTHBEARER on the Kafka endpoint); no SAS keys.
  local_authentication_enabled  = false
  public_network_access_enabled = var.public_network_access_enabled
  minimum_tls_version           = "1.2"

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.sku != "Dedicated" || var.dedicated_cluster_id != null
      error_message = "sku = \"Dedicated\" needs dedicated_cluster_id."
    }
    precondition {
      condition     = var.sku != "Standard" || alltrue([for hub in values(var.event_hubs) : hub.partition_count <= 32])
      error_message = "The Standard tier allows at most 32 partitions per event hub."
    }
  }
}

resource "azurerm_eventhub" "this" {
  for_each = var.event_hubs

  name              = each.key
  namespace_id      = azurerm_eventhub_namespace.this.id
  partition_count   = each.value.partition_count
  message_retention = each.value.message_retention_days
}

# The streaming job reads `telemetry` with its own consumer group; with the Kafka
# protocol the Kafka group.id must equal this name.
resource "azurerm_eventhub_consumer_group" "pipeline" {
  name                = var.pipeline_consumer_group
  namespace_name      = azurerm_eventhub_namespace.this.name
  eventhub_name       = azurerm_eventhub.this[var.telemetry_event_hub].name
  resource_group_name = var.resource_group_name
  user_metadata       = "Apache Beam streaming pipeline on Flink"
}

resource "azurerm_private_endpoint" "namespace" {
  name                = "pe-${azurerm_eventhub_namespace.this.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = "psc-${azurerm_eventhub_namespace.this.name}"
    private_connection_resource_id = azurerm_eventhub_namespace.this.id
    subresource_names              = ["namespace"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [var.private_dns_zone_id]
  }
}
