# Log Analytics + workspace-based Application Insights, diagnostic settings for every
# platform resource, and metric alerts wired to one action group.

resource "azurerm_log_analytics_workspace" "this" {
  name                = "log-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  daily_quota_gb      = var.daily_quota_gb
  tags                = var.tags
}

resource "azurerm_application_insights" "this" {
  name                = "appi-${var.name_prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  workspace_id        = azurerm_log_analytics_workspace.this.id
  application_type    = "java"
  tags                = var.tags
}

resource "azurerm_monitor_action_group" "this" {
  name                = "ag-${var.name_prefix}"
  resource_group_name = var.resource_group_name
  short_name          = substr(replace("iot${var.environment}", "-", ""), 0, 12)
  tags                = var.tags

  dynamic "email_receiver" {
    for_each = toset(var.alert_email_addresses)

    content {
      name                    = "email-${replace(email_receiver.value, "/[^a-zA-Z0-9]/", "-")}"
      email_address           = email_receiver.value
      use_common_alert_schema = true
    }
  }
}

# One diagnostic setting per target. Log categories: explicit list, or category groups
# (allLogs); metric categories: AllMetrics for most, Transaction for storage.
resource "azurerm_monitor_diagnostic_setting" "this" {
  for_each = var.diagnostic_targets

  name                           = "diag-to-${azurerm_log_analytics_workspace.this.name}"
  target_resource_id             = each.value.resource_id
  log_analytics_workspace_id     = azurerm_log_analytics_workspace.this.id
  log_analytics_destination_type = each.value.dedicated_tables ? "Dedicated" : null

  dynamic "enabled_log" {
    for_each = toset(each.value.log_categories)

    content {
      category = enabled_log.value
    }
  }

  dynamic "enabled_log" {
    for_each = length(each.value.log_categories) == 0 ? toset(each.value.log_category_groups) : toset([])

    content {
      category_group = enabled_log.value
    }
  }

  dynamic "enabled_metric" {
    for_each = toset(each.value.metric_categories)

    content {
      category = enabled_metric.value
    }
  }
}

# --- Event Hubs -------------------------------------------------------------------

resource "azurerm_monitor_metric_alert" "eventhubs_throttled" {
  name                = "alert-${var.name_prefix}-evh-throttled"
  resource_group_name = var.resource_group_name
  scopes              = [var.eventhub_namespace_id]
  description         = "Event Hubs is throttling requests: throughput/processing units exhausted."
  severity            = 2
  frequency           = "PT1M"
  window_size         = "PT5M"
  tags                = var.tags

  criteria {
    metric_namespace = "Microsoft.EventHub/namespaces"
    metric_name      = "ThrottledRequests"
    aggregation      = "Total"
    operator         = "GreaterThan"
    threshold        = 0
  }

  action {
    action_group_id = azurerm_monitor_action_group.this.id
  }
}

resource "azurerm_monitor_metric_alert" "eventhubs_server_errors" {
  name                = "alert-${var.name_prefix}-evh-server-errors"
  resource_group_name = var.resource_group_name
  scopes              = [var.eventhub_namespace_id]
  description         = "Event Hubs returns server errors."
  severity            = 2
  frequency           = "PT5M"
  window_size         = "PT15M"
  tags                = var.tags

  criteria {
    metric_namespace = "Microsoft.EventHub/namespaces"
    metric_name      = "ServerErrors"
    aggregation      = "Total"
    operator         = "GreaterThan"
    threshold        = 0
  }

  action {
    action_group_id = azurerm_monitor_action_group.this.id
  }
}

# Telemetry still arrives but nothing reads it: the streaming job is down or stuck.
resource "azurerm_monitor_metric_alert" "telemetry_not_consumed" {
  name                = "alert-${var.name_prefix}-telemetry-not-consumed"
  resource_group_name = var.resource_group_name
  scopes              = [var.eventhub_namespace_id]
  description         = "Messages arrive on the telemetry event hub but no messages are read from it."
  severity            = 1
  frequency           = "PT5M"
  window_size         = "PT15M"
  tags                = var.tags

  criteria {
    metric_namespace = "Microsoft.EventHub/namespaces"
    metric_name      = "IncomingMessages"
    aggregation      = "Total"
    operator         = "GreaterThan"
    threshold        = 0

    dimension {
      name     = "EntityName"
      operator = "Include"
      values   = ["telemetry"]
    }
  }

  criteria {
    metric_namespace = "Microsoft.EventHub/namespaces"
    metric_name      = "OutgoingMessages"
    aggregation      = "Total"
    operator         = "LessThanOrEqual"
    threshold        = 0

    dimension {
      name     = "EntityName"
      operator = "Include"
      values   = ["telemetry"]
    }
  }

  action {
    action_group_id = azurerm_monitor_action_group.this.id
  }
}

# Consumer lag proxy: incoming minus outgoing messages of the namespace, from the
# AllMetrics stream of the diagnostic setting. A backlog that keeps growing for three
# consecutive 5-minute windows means the job does not keep up.
resource "azurerm_monitor_scheduled_query_rules_alert_v2" "eventhubs_backlog" {
  name                 = "alert-${var.name_prefix}-evh-backlog"
  resource_group_name  = var.resource_group_name
  location             = var.location
  description          = "Event Hubs incoming exceeds outgoing messages by more than ${var.eventhub_backlog_threshold} per 5 minutes (consumer lag proxy)."
  severity             = 2
  scopes               = [azurerm_log_analytics_workspace.this.id]
  evaluation_frequency = "PT5M"
  window_duration      = "PT15M"
  tags                 = var.tags

  criteria {
    query                   = <<-KQL
      AzureMetrics
      | where ResourceId =~ "${var.eventhub_namespace_id}"
      | where MetricName in ("IncomingMessages", "OutgoingMessages")
      | summarize incoming = sumif(Total, MetricName == "IncomingMessages"),
                  outgoing = sumif(Total, MetricName == "OutgoingMessages")
                  by bin(TimeGenerated, 5m)
      | extend backlog = incoming - outgoing
      | where backlog > ${var.eventhub_backlog_threshold}
    KQL
    time_aggregation_method = "Count"
    operator                = "GreaterThanOrEqual"
    threshold               = 3

    failing_periods {
      minimum_failing_periods_to_trigger_alert = 1
      number_of_evaluation_periods             = 1
    }
  }

  action {
    action_groups = [azurerm_monitor_action_group.this.id]
  }
}

# --- Cosmos DB --------------------------------------------------------------------

resource "azurerm_monitor_metric_alert" "cosmos_throttled" {
  name                = "alert-${var.name_prefix}-cosmos-429"
  resource_group_name = var.resource_group_name
  scopes              = [var.cosmos_account_id]
  description         = "Cosmos DB rate-limits requests (HTTP 429): raise RU/s or the autoscale maximum."
  severity            = 2
  frequency           = "PT5M"
  window_size         = "PT15M"
  tags                = var.tags

  criteria {
    metric_namespace = "Microsoft.DocumentDB/databaseAccounts"
    metric_name      = "TotalRequests"
    aggregation      = "Count"
    operator         = "GreaterThan"
    threshold        = var.cosmos_429_threshold

    dimension {
      name     = "StatusCode"
      operator = "Include"
      values   = ["429"]
    }
  }

  action {
    action_group_id = azurerm_monitor_action_group.this.id
  }
}

# --- Service Bus ------------------------------------------------------------------

resource "azurerm_monitor_metric_alert" "servicebus_dead_lettered" {
  name                = "alert-${var.name_prefix}-sb-dead-lettered"
  resource_group_name = var.resource_group_name
  scopes              = [var.servicebus_namespace_id]
  description         = "Alert notifications are piling up in the dead-letter queue of `alerts`."
  severity            = 2
  frequency           = "PT5M"
  window_size         = "PT15M"
  tags                = var.tags

  criteria {
    metric_namespace = "Microsoft.ServiceBus/namespaces"
    metric_name      = "DeadletteredMessages"
    aggregation      = "Average"
    operator         = "GreaterThan"
    threshold        = 0

    dimension {
      name     = "EntityName"
      operator = "Include"
      values   = ["alerts"]
    }
  }

  action {
    action_group_id = azurerm_monitor_action_group.this.id
  }
}

resource "azurerm_monitor_metric_alert" "servicebus_throttled" {
  name                = "alert-${var.name_prefix}-sb-throttled"
  resource_group_name = var.resource_group_name
  scopes              = [var.servicebus_namespace_id]
  description         = "Service Bus is throttling requests."
  severity            = 3
  frequency           = "PT5M"
  window_size         = "PT15M"
  tags                = var.tags

  criteria {
    metric_namespace = "Microsoft.ServiceBus/namespaces"
    metric_name      = "ThrottledRequests"
    aggregation      = "Total"
    operator         = "GreaterThan"
    threshold        = 0
  }

  action {
    action_group_id = azurerm_monitor_action_group.this.id
  }
}
