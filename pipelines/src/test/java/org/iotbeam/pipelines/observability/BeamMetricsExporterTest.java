package org.iotbeam.pipelines.observability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.joda.time.Instant;
import org.junit.Test;

/** The polling exporter over HTTP: sums over steps, summaries, labels, and a bound URL. */
public class BeamMetricsExporterTest {
  @Test
  public void servesTheLatestPollInPrometheusFormat() throws Exception {
    AtomicLong received = new AtomicLong(5);
    try (BeamMetricsExporter e =
        BeamMetricsExporter.start(() -> results(received.get()), "127.0.0.1", 0, 60)) {
      assertTrue(e.url(), e.url().matches("http://127\\.0\\.0\\.1:\\d+/metrics"));
      Scrape s = Scrape.of(e.url());
      assertEquals(5 + 2, (long) s.get("iotbeam_messages_received_total"));
      assertEquals(
          3, (long) s.get("iotbeam_dead_letters_by_reason_total{reason=\"empty_payload\"}"));
      assertEquals(2, (long) s.get("iotbeam_payload_bytes_count"));
      assertEquals(30, (long) s.get("iotbeam_payload_bytes_sum"));
      assertEquals(10, (long) s.get("iotbeam_payload_bytes_min"));
      assertEquals(20, (long) s.get("iotbeam_payload_bytes_max"));
      assertEquals(42, (long) s.get("beam_source_split_backlog_elements{split=\"1\"}"));

      received.set(50);
      e.pollNow();
      assertEquals(52, (long) Scrape.of(e.url()).get("iotbeam_messages_received_total"));
    }
  }

  private static MetricQueryResults results(long received) {
    return MetricQueryResults.create(
        List.of(
            MetricResult.attempted(key("Parse", "iotbeam", "messages_received"), received),
            MetricResult.attempted(key("Parse2", "iotbeam", "messages_received"), 2L),
            MetricResult.attempted(key("Parse", "iotbeam", "dead_letters_empty_payload"), 3L)),
        List.of(
            MetricResult.attempted(
                key("Parse", "iotbeam", "payload_bytes"),
                DistributionResult.create(30, 2, 10, 20))),
        List.of(
            MetricResult.attempted(
                key("Read", "source.splits.1", "backlog_elements"),
                GaugeResult.create(42, Instant.now()))),
        List.of(),
        List.of(),
        List.of());
  }

  private static MetricKey key(String step, String ns, String name) {
    return MetricKey.create(step, MetricName.named(ns, name));
  }
}
