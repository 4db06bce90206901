package org.iotbeam.pipelines.observability;

import static org.junit.Assert.assertEquals;

import java.util.Map;
import org.junit.Test;

public class PrometheusNamesTest {
  @Test
  public void projectCountersKeepTheirNames() {
    assertEquals(
        new PrometheusNames.Series("iotbeam_messages_received", Map.of()),
        PrometheusNames.of("iotbeam", "messages_received"));
    assertEquals(
        "iotbeam_messages_received_total",
        PrometheusNames.counterSample("iotbeam_messages_received"));
  }

  @Test
  public void reasonsAndSeveritiesBecomeLabels() {
    assertEquals(
        new PrometheusNames.Series(
            "iotbeam_dead_letters_by_reason", Map.of("reason", "malformed_protobuf")),
        PrometheusNames.of("iotbeam", "dead_letters_malformed_protobuf"));
    assertEquals(
        new PrometheusNames.Series("iotbeam_dead_letters", Map.of()),
        PrometheusNames.of("iotbeam", "dead_letters"));
    assertEquals(
        new PrometheusNames.Series("iotbeam_alerts_raised", Map.of("severity", "critical")),
        PrometheusNames.of("iotbeam", "alerts_raised_critical"));
    assertEquals(
        new PrometheusNames.Series("iotbeam_alerts_cleared", Map.of("severity", "info")),
        PrometheusNames.of("iotbeam", "alerts_cleared_info"));
  }

  @Test
  public void otherNamespacesAreSanitizedAndSplitsBecomeALabel() {
    assertEquals(
        new PrometheusNames.Series("beam_source_split_backlog_elements", Map.of("split", "0")),
        PrometheusNames.of("source.splits.0", "backlog_elements"));
    assertEquals(
        new PrometheusNames.Series("beam_kafkaioreader_rawsize_telemetry_0", Map.of()),
        PrometheusNames.of("KafkaIOReader", "RawSize.telemetry-0"));
    assertEquals("beam_x", PrometheusNames.sanitize("beam..x_total"));
    assertEquals("m_9lives", PrometheusNames.sanitize("9lives"));
  }

  @Test
  public void flinkMetricNamesSplitIntoBeamNamespaceAndName() {
    assertEquals(
        "iotbeam|messages_received",
        String.join("|", FlinkBeamMetricsReporter.beamName("iotbeam.messages_received")));
    assertEquals(
        "source.splits.0|backlog_elements",
        String.join("|", FlinkBeamMetricsReporter.beamName("source.splits.0.backlog_elements")));
    assertEquals(null, FlinkBeamMetricsReporter.beamName("numRecordsIn"));
  }
}
