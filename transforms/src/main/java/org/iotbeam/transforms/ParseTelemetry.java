package org.iotbeam.transforms;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
import org.iotbeam.domain.validation.TelemetryValidator;
import org.iotbeam.domain.validation.ValidationLimits;
import org.iotbeam.domain.validation.Violation;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.SchemaVersions;
import org.iotbeam.proto.Telemetry;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Bytes in, readings or dead letters out. Each valid reading is stamped with its event time (the
 * device's timestamp): from here on, windows and timers run on the device's clock.
 *
 * <p>Nothing escapes: a payload that does not parse, fails a check, or trips a bug becomes a
 * {@link DeadLetter} that keeps the original bytes, a reason code and a sentence.
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
    PCollectionTuple out = input.apply("ParseAndValidate",
        ParDo.of(new ParseFn(limits)).withOutputTags(VALID, TupleTagList.of(DEAD_LETTERS)));
    out.get(VALID).setCoder(Coders.READING);
    out.get(DEAD_LETTERS).setCoder(Coders.DEAD_LETTER);
    return out;
  }

  static class ParseFn extends DoFn<InboundMessage, Reading> {
    private final ValidationLimits limits;
    private transient TelemetryValidator validator;
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
      validator = new TelemetryValidator(limits);
      byReason = new HashMap<>();
      for (Reason r : Reason.values()) {
        byReason.put(r, TelemetryMetrics.counter(TelemetryMetrics.deadLetterReason(r.name())));
      }
    }

    @ProcessElement
    public void process(@Element InboundMessage in, MultiOutputReceiver out) {
      received.inc();
      byte[] payload = in.getPayload().toByteArray();
      payloadBytes.update(payload.length);
      try {
        Optional<Violation> bad = validator.checkPayload(payload);
        if (bad.isPresent()) {
          reject(in, bad.get(), "parse", out);
          return;
        }
        Telemetry t;
        try {
          t = Telemetry.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
          reject(in, new Violation(Reason.MALFORMED_PROTOBUF, String.valueOf(e.getMessage())),
              "parse", out);
          return;
        }
        bad = validator.check(t, in.getIngestTimeMs());
        if (bad.isPresent()) {
          reject(in, bad.get(), "validate", out);
          return;
        }
        Reading r = Reading.newBuilder()
            .setTelemetry(t)
            .setInbound(in)
            .setSchemaVersion(SchemaVersions.detect(t))
            .build();
        valid.inc();
        // meaningful in streaming (how far behind the devices we run); in a backfill, the age
        long now = System.currentTimeMillis();
        eventToProcessing.update(now - t.getTimestampMs());
        if (in.getIngestTimeMs() > 0) {
          ingestToProcessing.update(now - in.getIngestTimeMs());
        }
        out.get(VALID).outputWithTimestamp(r, new Instant(t.getTimestampMs()));
      } catch (RuntimeException e) {
        // a bug must not stop the stream, nor lose the message that found it
        reject(in, new Violation(Reason.PROCESSING_ERROR, e.toString()), "parse", out);
      }
    }

    private void reject(InboundMessage in, Violation v, String stage, MultiOutputReceiver out) {
      dead.inc();
      byReason.get(v.reason()).inc();
      out.get(DEAD_LETTERS).output(DeadLetters.of(in, v, stage));
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
