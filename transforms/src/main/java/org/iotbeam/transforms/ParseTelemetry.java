package org.iotbeam.transforms;

import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.domain.validation.ValidationLimits;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.Reading;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Bytes in, readings or dead letters out. Each valid reading is stamped with its event time (the
 * device's timestamp): from here on, windows and timers run on the device's clock.
 *
 * <p>Nothing escapes: a payload that does not parse, fails a check, or trips a bug becomes a {@link
 * DeadLetter} that keeps the original bytes, a reason code and a sentence.
 */
public class ParseTelemetry extends PTransform<PCollection<InboundMessage>, PCollectionTuple> {
  public static final TupleTag<Reading> VALID = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final ValidationLimits limits;

  public ParseTelemetry(ValidationLimits limits) {
    this.limits = limits;
  }

  @Override
  public PCollectionTuple expand(PCollection<InboundMessage> input) {
    PCollectionTuple out =
        input.apply(
            "ParseAndValidate",
            ParDo.of(new ParseFn(limits)).withOutputTags(VALID, TupleTagList.of(DEAD_LETTERS)));
    out.get(VALID).setCoder(Coders.READING);
    out.get(DEAD_LETTERS).setCoder(Coders.DEAD_LETTER);
    return out;
  }

  static class ParseFn extends DoFn<InboundMessage, Reading> {
    private final ValidationLimits limits;
    private transient TelemetryParser parser;
    private transient Map<Reason, Counter> byReason;
    private final Counter received = TelemetryMetrics.counter(TelemetryMetrics.RECEIVED);
    private final Counter valid = TelemetryMetrics.counter(TelemetryMetrics.VALID);
    private final Counter dead = TelemetryMetrics.counter(TelemetryMetrics.DEAD_LETTERS);
    private final Distribution payloadBytes =
        TelemetryMetrics.distribution(TelemetryMetrics.PAYLOAD_BYTES);
    private final Distribution eventToProcessing =
        TelemetryMetrics.distribution(TelemetryMetrics.EVENT_TO_PROCESSING_MS);
    private final Distribution ingestToProcessing =
        TelemetryMetrics.distribution(TelemetryMetrics.INGEST_TO_PROCESSING_MS);

    ParseFn(ValidationLimits limits) {
      this.limits = limits;
    }

    @Setup
    public void setup() {
      parser = new TelemetryParser(limits);
      byReason = new EnumMap<>(Reason.class);
      for (Reason r : Reason.values()) {
        byReason.put(r, TelemetryMetrics.counter(TelemetryMetrics.deadLetterReason(r.name())));
      }
    }

    @ProcessElement
    public void process(@Element InboundMessage in, MultiOutputReceiver out) {
      received.inc();
      payloadBytes.update(in.getPayload().size());
      TelemetryParser.Parsed p = parser.parse(in);
      if (!p.valid()) {
        dead.inc();
        byReason.get(p.violation().reason()).inc();
        out.get(DEAD_LETTERS).output(DeadLetters.of(in, p.violation(), p.stage()));
        return;
      }
      valid.inc();
      long ts = p.reading().getTelemetry().getTimestampMs();
      // meaningful in streaming (how far behind the devices we run); in a backfill, the age
      long now = System.currentTimeMillis();
      eventToProcessing.update(now - ts);
      if (in.getIngestTimeMs() > 0) {
        ingestToProcessing.update(now - in.getIngestTimeMs());
      }
      out.get(VALID).outputWithTimestamp(p.reading(), new Instant(ts));
    }

    /**
     * Readings move back to the device's clock, which is earlier than the broker's timestamp the
     * source gave them; how much earlier is bounded by the validator's maxAge, not here.
     */
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }
}
