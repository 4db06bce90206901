package org.iotbeam.pipelines.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the checked-in Grafana dashboard and the metric names its PromQL queries use. */
final class DashboardQueries {
  /** Where the dashboard lives, relative to the pipelines module (the tests' working dir). */
  static final Path DASHBOARD =
      Path.of("..", "runners", "src", "main", "grafana", "iotbeam-telemetry.json");

  /**
   * Dashboard metrics a healthy, on-time run does not produce (the counters start at first use).
   */
  static final Set<String> ONLY_ON_FAILURE_OR_LATENESS =
      Set.of(
          "iotbeam_webhook_failed_total",
          "iotbeam_webhook_retries_total",
          "iotbeam_aggregates_late_panes_total",
          "iotbeam_aggregates_early_panes_total",
          "iotbeam_alerts_suppressed_by_cooldown_total",
          "iotbeam_cosmos_aggregates_failed_total",
          "iotbeam_cosmos_alerts_failed_total",
          "iotbeam_servicebus_alerts_failed_total",
          "iotbeam_servicebus_alerts_sent_total",
          "iotbeam_cosmos_aggregates_written_total",
          "iotbeam_cosmos_alerts_written_total",
          "iotbeam_kafka_auth_failures_total",
          "iotbeam_sink_dead_letters_total",

          // the notification step is off without --notificationRoutesFile
          "iotbeam_notifications_sent_total",
          "iotbeam_notifications_failed_total",
          "iotbeam_notifications_held_by_rate_limit_total",
          "iotbeam_notification_digests_total",
          "iotbeam_notification_flapping_started_total",
          "iotbeam_notification_alert_replays_dropped_total",
          "iotbeam_notifications_already_sent_total");

  private static final Pattern NAME = Pattern.compile("\\b((?:iotbeam|beam|flink)_[a-zA-Z0-9_:]*)");

  private DashboardQueries() {}

  static JsonNode load() throws IOException {
    return new ObjectMapper().readTree(Files.readString(DASHBOARD));
  }

  /** Every panel (rows' nested panels included). */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      p.path("panels").forEach(out::add);
    }
    return out;
  }

  /** The PromQL expressions of one panel. */
  static List<String> expressions(JsonNode panel) {
    List<String> out = new ArrayList<>();
    panel
        .path("targets")
        .forEach(
            t -> {
              if (t.hasNonNull("expr")) {
                out.add(t.get("expr").asText());
              }
            });
    return out;
  }

  /** The metric names an expression selects (label matchers and ranges stripped first). */
  static Set<String> metricNames(String expr) {
    String e =
        expr.replaceAll("\\{[^}]*\\}", "")
            .replaceAll("\\[[^\\]]*\\]", "")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
    Set<String> out = new TreeSet<>();
    Matcher m = NAME.matcher(e);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  static Set<String> metricNames(JsonNode dashboard) {
    Set<String> out = new TreeSet<>();
    for (JsonNode p : panels(dashboard)) {
      for (String e : expressions(p)) {
        out.addAll(metricNames(e));
      }
    }
    return out;
  }
}
