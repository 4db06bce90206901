package org.iotbeam.transforms;

import java.util.Locale;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The names of every metric the transforms report, in one place, so dashboards, tests and the demo
 * summary agree on them. All live in namespace {@value #NAMESPACE}.
 */
public final class TelemetryMetrics {
  public static final String NAMESPACE = "iotbeam";

  public static final String RECEIVED = "messages_received";
  public static final String VALID = "messages_valid";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String DEAD_LETTER_REASON_PREFIX = "dead_letters_";

  /**
   * Records a sink gave up on (Kafka, webhook, Cosmos DB, Service Bus), each now a dead letter: the
   * dead-letter files hold {@code dead_letters + sink_dead_letters} records.
   */
  public static final String SINK_DEAD_LETTERS = "sink_dead_letters";

  public static final String DUPLICATES = "duplicates_dropped";
  public static final String UNKNOWN_DEVICES = "unknown_device_readings";
  public static final String AGGREGATES = "aggregates_emitted";
  public static final String LATE_PANES = "aggregates_late_panes";
  public static final String EARLY_PANES = "aggregates_early_panes";

  /**
   * Readings whose window's allowed lateness had run out: in no aggregate (alerts still saw them).
   */
  public static final String READINGS_PAST_LATENESS = "readings_past_allowed_lateness";

  /** Panes without a reading, never written (should stay 0: see WindowedStatistics). */
  public static final String EMPTY_PANES_DROPPED = "aggregates_empty_panes_dropped";

  public static final String ALERTS_RAISED_PREFIX = "alerts_raised_";
  public static final String ALERTS_CLEARED_PREFIX = "alerts_cleared_";
  public static final String ALERTS_SUPPRESSED = "alerts_suppressed_by_cooldown";

  /** Readings older than the newest one already evaluated for their device; + _evaluate/_skip. */
  public static final String ALERT_READINGS_OUT_OF_ORDER = "alert_readings_out_of_order";

  public static final String PAYLOAD_BYTES = "payload_bytes";
  public static final String EVENT_TO_PROCESSING_MS = "event_to_processing_latency_ms";
  public static final String INGEST_TO_PROCESSING_MS = "ingest_to_processing_latency_ms";

  private TelemetryMetrics() {}

  public static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }

  public static Distribution distribution(String name) {
    return Metrics.distribution(NAMESPACE, name);
  }

  /** {@code dead_letters_malformed_protobuf}: one counter per reason. */
  public static String deadLetterReason(String reason) {
    return DEAD_LETTER_REASON_PREFIX + reason.toLowerCase(Locale.ROOT);
  }
}
