package org.iotbeam.pipelines.observability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.pipelines.notify.NotifyMetrics;
import org.iotbeam.transforms.TelemetryMetrics;
import org.junit.Test;

/**
 * The checked-in Grafana dashboard is importable (schema, datasource variable) and every query
 * names a metric the exporter produces, by the exporter's own naming function applied to the names
 * the transforms and sinks report. ObservabilityFlinkTest checks the same against a real scrape.
 */
public class DashboardTest {
  @Test
  public void importableWithAPrometheusDatasourceVariable() throws Exception {
    JsonNode d = DashboardQueries.load();
    assertTrue(d.path("schemaVersion").asInt() >= 36);
    assertFalse(d.path("title").asText().isEmpty());
    assertEquals("DS_PROMETHEUS", d.path("__inputs").get(0).path("name").asText());
    boolean variable = false;
    for (JsonNode v : d.path("templating").path("list")) {
      variable |=
          v.path("name").asText().equals("DS_PROMETHEUS")
              && v.path("type").asText().equals("datasource");
    }
    assertTrue("datasource variable DS_PROMETHEUS", variable);
    for (JsonNode p : DashboardQueries.panels(d)) {
      if (p.path("type").asText().equals("row")) {
        continue;
      }
      assertEquals(
          p.path("title").asText(), "${DS_PROMETHEUS}", p.path("datasource").path("uid").asText());
      assertThat(p.path("title").asText(), DashboardQueries.expressions(p), not(empty()));
      assertFalse(
          p.path("title").asText() + " has a description",
          p.path("description").asText().isBlank());
    }
  }

  @Test
  public void everyQueryNamesAnExportedMetric() throws Exception {
    Set<String> produced = producedNames();
    for (JsonNode p : DashboardQueries.panels(DashboardQueries.load())) {
      for (String expr : DashboardQueries.expressions(p)) {
        Set<String> names = DashboardQueries.metricNames(expr);
        assertThat(expr, names, not(empty()));
        Set<String> unknown = new TreeSet<>(names);
        unknown.removeAll(produced);
        assertThat(p.path("title").asText() + ": " + expr, unknown, empty());
      }
    }
  }

  /** What the exporter names the metrics the code reports. */
  static Set<String> producedNames() {
    Set<String> out = new TreeSet<>();
    for (String c :
        new String[] {
          TelemetryMetrics.RECEIVED,
          TelemetryMetrics.VALID,
          TelemetryMetrics.DEAD_LETTERS,
          TelemetryMetrics.DUPLICATES,
          TelemetryMetrics.UNKNOWN_DEVICES,
          TelemetryMetrics.AGGREGATES,
          TelemetryMetrics.LATE_PANES,
          TelemetryMetrics.EARLY_PANES,
          TelemetryMetrics.ALERTS_SUPPRESSED,
          "webhook_delivered",
          "webhook_retries",
          "webhook_failed",
          TelemetryMetrics.deadLetterReason(Reason.EMPTY_PAYLOAD.name()),
          TelemetryMetrics.ALERTS_RAISED_PREFIX + "critical",
          TelemetryMetrics.ALERTS_CLEARED_PREFIX + "warning",
          NotifyMetrics.SENT,
          NotifyMetrics.FAILED,
          NotifyMetrics.HELD,
          NotifyMetrics.DIGESTS,
          NotifyMetrics.FLAPPING,
          NotifyMetrics.REPLAYS_DROPPED,
          NotifyMetrics.ALREADY_SENT,
          org.iotbeam.pipelines.kafka.KafkaCredentialWatch.AUTH_FAILURES,
          TelemetryMetrics.SINK_DEAD_LETTERS
        }) {
      out.add(
          PrometheusNames.counterSample(
              PrometheusNames.of(TelemetryMetrics.NAMESPACE, c).family()));
    }
    for (String d :
        new String[] {
          TelemetryMetrics.PAYLOAD_BYTES,
          TelemetryMetrics.EVENT_TO_PROCESSING_MS,
          TelemetryMetrics.INGEST_TO_PROCESSING_MS
        }) {
      out.addAll(
          Set.of(
              PrometheusNames.distributionSamples(
                  PrometheusNames.of(TelemetryMetrics.NAMESPACE, d).family())));
    }
    // Beam's SourceMetrics, as KafkaIO's reader reports them per split
    out.add(PrometheusNames.of("source.splits.0", "backlog_elements").family());
    return out;
  }
}
