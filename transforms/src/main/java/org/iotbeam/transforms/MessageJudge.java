package org.iotbeam.transforms;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.domain.validation.ValidationLimits;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;

/**
 * Judges one message, a reading or a dead letter, and counts it ({@value TelemetryMetrics#RECEIVED}
 * = {@value TelemetryMetrics#VALID} + {@value TelemetryMetrics#DEAD_LETTERS}, by reason, payload
 * sizes, how far behind the devices and the broker processing runs). What parsing does in every
 * rendition of {@link ParseTelemetry}; call {@link #setup()} from the DoFn's own.
 */
final class MessageJudge implements Serializable {
  /** Where a judged message goes. */
  interface Verdict {
    /** A valid message: {@code parsed.reading()} builds its reading when it is needed. */
    void valid(TelemetryParser.Parsed parsed, long eventTimeMs);

    void dead(DeadLetter deadLetter);
  }

  /** How many messages a judge counts before it hands its counts to Beam. */
  static final int FLUSH_EVERY = 1024;

  private final ValidationLimits limits;
  private transient TelemetryParser parser;
  private transient Map<Reason, Counter> byReason;
  private transient MetricBatch metrics;
  private transient MetricBatch.Count received;
  private transient MetricBatch.Count valid;
  private transient MetricBatch.Count dead;
  private transient MetricBatch.Spread payloadBytes;
  private transient MetricBatch.Spread eventToProcessing;
  private transient MetricBatch.Spread ingestToProcessing;
  private transient int sinceFlush;

  MessageJudge(ValidationLimits limits) {
    this.limits = limits;
  }

  void setup() {
    parser = new TelemetryParser(limits);
    byReason = new EnumMap<>(Reason.class);
    for (Reason r : Reason.values()) {
      byReason.put(r, TelemetryMetrics.counter(TelemetryMetrics.deadLetterReason(r.name())));
    }
    metrics = new MetricBatch();
    received = metrics.count(TelemetryMetrics.counter(TelemetryMetrics.RECEIVED));
    valid = metrics.count(TelemetryMetrics.counter(TelemetryMetrics.VALID));
    dead = metrics.count(TelemetryMetrics.counter(TelemetryMetrics.DEAD_LETTERS));
    payloadBytes = metrics.spread(TelemetryMetrics.distribution(TelemetryMetrics.PAYLOAD_BYTES));
    eventToProcessing =
        metrics.spread(TelemetryMetrics.distribution(TelemetryMetrics.EVENT_TO_PROCESSING_MS));
    ingestToProcessing =
        metrics.spread(TelemetryMetrics.distribution(TelemetryMetrics.INGEST_TO_PROCESSING_MS));
  }

  /** Hands the counts to Beam: call it from the DoFn's {@code @FinishBundle}. */
  void flush() {
    metrics.flush();
    sinceFlush = 0;
  }

  void judge(InboundMessage in, Verdict verdict) {
    if (++sinceFlush >= FLUSH_EVERY) {
      flush();
    }
    received.inc();
    payloadBytes.update(in.getPayload().size());
    TelemetryParser.Parsed p = parser.parse(in);
    if (!p.valid()) {
      dead.inc();
      byReason.get(p.violation().reason()).inc();
      verdict.dead(DeadLetters.of(in, p.violation(), p.stage()));
      return;
    }
    valid.inc();
    long ts = p.telemetry().getTimestampMs();
    // meaningful in streaming (how far behind the devices we run); in a backfill, the age
    long now = System.currentTimeMillis();
    eventToProcessing.update(now - ts);
    if (in.getIngestTimeMs() > 0) {
      ingestToProcessing.update(now - in.getIngestTimeMs());
    }
    verdict.valid(p, ts);
  }
}
