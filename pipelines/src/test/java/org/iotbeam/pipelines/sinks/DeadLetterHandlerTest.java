package org.iotbeam.pipelines.sinks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.ByteString;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.domain.validation.Stage;
import org.iotbeam.domain.validation.Violation;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.SourcePosition;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.DeadLetters;
import org.iotbeam.transforms.TelemetryMetrics;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

public class DeadLetterHandlerTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final DeadLetter PARSED =
      DeadLetters.of(
          InboundMessage.newBuilder()
              .setPayload(ByteString.copyFromUtf8("not protobuf"))
              .setSource(
                  SourcePosition.newBuilder().setSystem("kafka").setTopic("telemetry").setOffset(7))
              .build(),
          new Violation(Reason.MALFORMED_PROTOBUF, "truncated"),
          Stage.PARSE);
  private static final DeadLetter SINK =
      DeadLetters.sinkFailure(
          "kafka/aggregates",
          "agg-1",
          ByteString.copyFromUtf8("{}"),
          "",
          Reason.SINK_WRITE_FAILED,
          "timed out");

  /** The dead-letter topic refuses this one. */
  private static final DeadLetter TOO_BIG =
      DeadLetters.sinkFailure(
          "cosmos/db/alerts",
          "refuse",
          ByteString.copyFromUtf8("{}"),
          "",
          Reason.SINK_RECORD_REJECTED,
          "too large");

  /**
   * Dead letters in the global window and a sink's in event-time windows (Flatten refuses the two)
   * all reach the topic once and the files unchanged; what the topic refuses goes to the files
   * only, and every sink-stage record is counted once.
   */
  @Test
  public void everyDeadLetterReachesTheTopicOnceAndTheFilesWithTheTopicsFailures() {
    PCollection<DeadLetter> parsed =
        p.apply("Parsed", Create.of(PARSED).withCoder(Coders.DEAD_LETTER));
    PCollection<DeadLetter> windowed =
        p.apply(
                "SinkFailures",
                Create.timestamped(
                        TimestampedValue.of(SINK, new Instant(60_000)),
                        TimestampedValue.of(TOO_BIG, new Instant(600_000)))
                    .withCoder(Coders.DEAD_LETTER))
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(5))));
    Capture topicInput = new Capture();
    Capture files = new Capture();

    try (DeadLetterHandler handler =
        DeadLetterHandler.of(p)
            .withTopic("Topic", new RefusingTopic(topicInput))
            .withFiles("Files", files)) {
      handler.add(parsed).add(windowed);
    }

    PAssert.that(topicInput.seen).containsInAnyOrder(PARSED, SINK, TOO_BIG);
    PAssert.that(files.seen).containsInAnyOrder(PARSED, SINK, TOO_BIG, refused(TOO_BIG));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    // three records of stage sink reached the files: two sink failures and the topic's refusal
    assertEquals(3L, sinkDeadLetters(result));
  }

  @Test
  public void aClosedHandlerTakesNoMore() {
    PCollection<DeadLetter> parsed = p.apply(Create.of(PARSED).withCoder(Coders.DEAD_LETTER));
    DeadLetterHandler handler = DeadLetterHandler.of(p).withFiles("Files", new Capture());
    assertThrows(IllegalStateException.class, handler::getOutput);
    handler.close();
    assertTrue(handler.isClosed());
    assertThrows(IllegalStateException.class, () -> handler.add(parsed));
    assertThrows(IllegalStateException.class, handler::close);
    p.run().waitUntilFinish();
  }

  @Test
  public void deadLettersNeedTheirFiles() {
    p.enableAbandonedNodeEnforcement(false);
    assertThrows(IllegalStateException.class, () -> DeadLetterHandler.of(p).close());
  }

  private static long sinkDeadLetters(PipelineResult result) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(
                            TelemetryMetrics.NAMESPACE, TelemetryMetrics.SINK_DEAD_LETTERS))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  /** What the test topic makes of a record it refuses. */
  static DeadLetter refused(DeadLetter d) {
    return DeadLetters.sinkFailure(
            "kafka/dead-letters",
            d.getId(),
            d.toByteString(),
            "",
            Reason.SINK_RECORD_REJECTED,
            "refused")
        .toBuilder()
        .setInbound(d.getInbound().toBuilder().setIngestTimeMs(0))
        .build();
  }

  /** A sink that keeps what it got, for PAssert. */
  static final class Capture extends PTransform<PCollection<DeadLetter>, PCollection<DeadLetter>> {
    transient PCollection<DeadLetter> seen;

    @Override
    public PCollection<DeadLetter> expand(PCollection<DeadLetter> in) {
      seen =
          in.apply(
                  "Seen",
                  MapElements.into(TypeDescriptor.of(DeadLetter.class)).via((DeadLetter d) -> d))
              .setCoder(Coders.DEAD_LETTER);
      return seen;
    }
  }

  /** A dead-letter topic that refuses the records whose key is "refuse", in event-time windows. */
  static final class RefusingTopic
      extends PTransform<PCollection<DeadLetter>, PCollection<DeadLetter>> {
    private final transient Capture input;

    RefusingTopic(Capture input) {
      this.input = input;
    }

    @Override
    public PCollection<DeadLetter> expand(PCollection<DeadLetter> in) {
      return in.apply("Written", input)
          .apply("Refused", Filter.by((DeadLetter d) -> d.getInbound().getKey().equals("refuse")))
          .apply(
              "AsFailures",
              MapElements.into(TypeDescriptor.of(DeadLetter.class))
                  .via(DeadLetterHandlerTest::refused))
          .setCoder(Coders.DEAD_LETTER)
          .apply("InWindows", Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    }
  }
}
