package org.iotbeam.transforms;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
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
    private final MessageJudge judge;

    ParseFn(ValidationLimits limits) {
      this.judge = new MessageJudge(limits);
    }

    @Setup
    public void setup() {
      judge.setup();
    }

    @ProcessElement
    public void process(@Element InboundMessage in, MultiOutputReceiver out) {
      judge.judge(
          in,
          new MessageJudge.Verdict() {
            @Override
            public void valid(TelemetryParser.Parsed parsed, long eventTimeMs) {
              out.get(VALID).outputWithTimestamp(parsed.reading(), new Instant(eventTimeMs));
            }

            @Override
            public void dead(DeadLetter deadLetter) {
              out.get(DEAD_LETTERS).output(deadLetter);
            }
          });
    }

    @FinishBundle
    public void finishBundle() {
      judge.flush();
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
