package org.iotbeam.transforms;

import static org.iotbeam.testing.Fixtures.MINUTE;
import static org.iotbeam.testing.Fixtures.SECOND;
import static org.iotbeam.testing.Fixtures.T0;
import static org.iotbeam.testing.Fixtures.inbound;
import static org.iotbeam.testing.Fixtures.telemetry;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.domain.BundledConfig;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.WindowAggregate;
import org.junit.Rule;
import org.junit.Test;

/** The composite end to end on a bounded input, as the batch pipeline runs it. */
public class TelemetryProcessingTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void producesReadingsAggregatesAlertsAndDeadLettersThatAddUp() {
    List<InboundMessage> input = new ArrayList<>();
    long offset = 0;
    // dev-000042 (a cold room by the bundled registry): 10 readings a minute apart, 9 C: the
    // cold-room rule needs 10 minutes above 8 C
    for (int i = 0; i <= 10; i++) {
      input.add(inbound(telemetry("dev-000042", T0 + i * MINUTE, 9, 60), offset++));
    }
    // dev-000500: normal readings, one of them redelivered
    for (int i = 0; i < 5; i++) {
      input.add(
          inbound(telemetry("dev-000500", T0 + i * MINUTE + 30 * SECOND, 20 + i, 50), offset++));
    }
    input.add(inbound(telemetry("dev-000500", T0 + 30 * SECOND, 20, 50), offset++));
    input.add(inbound(new byte[] {1, 2, 3}, T0, offset++));
    input.add(inbound(telemetry("dev-000500", T0, 500, 50), offset++));

    TelemetryResults out =
        p.apply(Create.of(input).withCoder(Coders.INBOUND))
            .apply(
                new TelemetryProcessing(
                        ProcessingConfig.defaults()
                            .withRules(BundledConfig.rules())
                            .withRegistry(BundledConfig.registry()))
                    .withReadings());

    PAssert.thatSingleton(out.readings().apply("CountReadings", Count.globally())).isEqualTo(16L);
    PAssert.thatSingleton(out.deadLetters().apply("CountDead", Count.globally())).isEqualTo(2L);
    PAssert.that(
            out.alerts()
                .apply(
                    "AlertSummary",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            a ->
                                a.getDeviceId()
                                    + " "
                                    + a.getRuleId()
                                    + " "
                                    + a.getState()
                                    + " "
                                    + a.getSeverity()
                                    + " @"
                                    + (a.getRaisedAtMs() - T0) / MINUTE)))
        .containsInAnyOrder("dev-000042 cold-room-warm RAISED CRITICAL @10");
    PAssert.that(
            out.aggregates()
                .apply(Filter.by((WindowAggregate a) -> a.getMetric().equals("temperature")))
                .apply(
                    "AggregateSummary",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            a ->
                                String.format(
                                    Locale.ROOT,
                                    "%s %s %s n=%d mean=%.1f",
                                    a.getDeviceId(),
                                    a.getDeviceType(),
                                    (a.getWindowStartMs() - T0) / MINUTE,
                                    a.getCount(),
                                    a.getMean()))))
        .containsInAnyOrder(
            "dev-000042 cold-room 0 n=5 mean=9.0",
            "dev-000042 cold-room 5 n=5 mean=9.0",
            "dev-000042 cold-room 10 n=1 mean=9.0",
            "dev-000500 environment-sensor 0 n=5 mean=22.0");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long received = ParseTelemetryTest.counter(result, TelemetryMetrics.RECEIVED);
    assertEquals(input.size(), received);
    assertEquals(
        received,
        ParseTelemetryTest.counter(result, TelemetryMetrics.VALID)
            + ParseTelemetryTest.counter(result, TelemetryMetrics.DEAD_LETTERS));
    assertEquals(1, ParseTelemetryTest.counter(result, TelemetryMetrics.DUPLICATES));
  }

  @Test
  public void theReadingsAreKeptOnlyWhenAskedFor() {
    TelemetryResults out =
        p.apply(Create.empty(Coders.INBOUND))
            .apply(new TelemetryProcessing(ProcessingConfig.defaults()));
    IllegalStateException e = assertThrows(IllegalStateException.class, out::readings);
    assertEquals(
        "the readings were not kept: apply new TelemetryProcessing(config).withReadings()",
        e.getMessage());
    assertEquals(3, out.expand().size());
    p.run().waitUntilFinish();
  }

  @Test
  public void encodedMessagesAreForBoundedInputOnly() {
    PCollection<byte[]> stream =
        p.apply(TestStream.create(ByteArrayCoder.of()).advanceWatermarkToInfinity());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                stream.apply(
                    new TelemetryProcessing(ProcessingConfig.defaults()).ofEncodedMessages()));
    assertEquals(
        "ofEncodedMessages() is for bounded input (a backfill); a stream applies"
            + " TelemetryProcessing to its InboundMessages",
        e.getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }
}
