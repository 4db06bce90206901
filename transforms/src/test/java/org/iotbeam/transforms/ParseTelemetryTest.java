package org.iotbeam.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.iotbeam.testing.Fixtures.T0;
import static org.iotbeam.testing.Fixtures.inbound;
import static org.iotbeam.testing.Fixtures.telemetry;
import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.domain.validation.ValidationLimits;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.Telemetry;
import org.junit.Rule;
import org.junit.Test;

public class ParseTelemetryTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void splitsValidReadingsFromDeadLettersThatKeepTheirBytes() {
    Telemetry good = telemetry("dev-000001", T0, 21.5, 40);
    Telemetry hot = telemetry("dev-000002", T0, 400, 40);
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
    InboundMessage badBytes = inbound(garbage, T0, 7);
    PCollectionTuple out =
        p.apply(Create.of(inbound(good, 1), inbound(hot, 2), badBytes).withCoder(Coders.INBOUND))
            .apply(new ParseTelemetry(ValidationLimits.defaults()));

    PAssert.that(out.get(ParseTelemetry.VALID))
        .satisfies(
            rs -> {
              List<Reading> list = new ArrayList<>();
              rs.forEach(list::add);
              assertEquals(1, list.size());
              assertEquals(good, list.get(0).getTelemetry());
              assertEquals(1, list.get(0).getSchemaVersion());
              assertEquals(1, list.get(0).getInbound().getSource().getOffset());
              return null;
            });
    PAssert.that(out.get(ParseTelemetry.DEAD_LETTERS))
        .satisfies(
            ds -> {
              List<DeadLetter> list = new ArrayList<>();
              ds.forEach(list::add);
              list.sort((a, b) -> a.getId().compareTo(b.getId()));
              assertEquals(2, list.size());
              assertEquals("VALUE_OUT_OF_RANGE", list.get(0).getReason());
              assertEquals("test:telemetry:0:2", list.get(0).getId());
              assertEquals("validate", list.get(0).getStage());
              assertEquals("MALFORMED_PROTOBUF", list.get(1).getReason());
              assertEquals("parse", list.get(1).getStage());
              assertThat(list.get(1).getInbound().getPayload().toByteArray(), is(garbage));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void validReadingsCarryTheirEventTimeAsTimestamp() {
    PCollectionTuple out =
        p.apply(
                Create.of(inbound(telemetry("dev-000001", T0 + 1234, 20, 50), 1))
                    .withCoder(Coders.INBOUND))
            .apply(new ParseTelemetry(ValidationLimits.defaults()));
    PAssert.that(
            out.get(ParseTelemetry.VALID)
                .apply(org.apache.beam.sdk.transforms.Reify.timestamps())
                .apply(
                    MapElements.into(TypeDescriptors.longs())
                        .via(tv -> tv.getTimestamp().getMillis())))
        .containsInAnyOrder(T0 + 1234);
    p.run().waitUntilFinish();
  }

  /**
   * 10,000 random and truncated byte arrays: every one ends up a dead letter, none throws, and
   * valid + dead letters = input, by the pipeline's own counters too.
   */
  @Test
  public void randomAndTruncatedBytesAllBecomeDeadLettersAndTheCountsAddUp() {
    Random rnd = new Random(2026);
    List<InboundMessage> inputs = new ArrayList<>();
    byte[] validBytes =
        Telemetry.newBuilder()
            .setDeviceId("dev-000123")
            .setTimestampMs(T0)
            .setTemperature(21)
            .setHumidity(40)
            .setPressure(1000)
            .setBatteryLevel(50)
            .setSchemaVersion(3)
            .build()
            .toByteArray();
    // a prefix that ends on a field boundary is a valid shorter message; only cuts inside a
    // field are truncation damage
    List<Integer> cutsInsideAField = new ArrayList<>();
    for (int len = 1; len < validBytes.length; len++) {
      try {
        Telemetry.parseFrom(Arrays.copyOf(validBytes, len));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        cutsInsideAField.add(len);
      }
    }
    for (int i = 0; i < 10_000; i++) {
      byte[] b;
      if (i % 2 == 0) {
        b = new byte[rnd.nextInt(200)];
        rnd.nextBytes(b);
      } else {
        b = Arrays.copyOf(validBytes, cutsInsideAField.get(rnd.nextInt(cutsInsideAField.size())));
      }
      inputs.add(inbound(b, T0, i));
    }
    PCollectionTuple out =
        p.apply(Create.of(inputs).withCoder(Coders.INBOUND))
            .apply(new ParseTelemetry(ValidationLimits.defaults()));
    PAssert.thatSingleton(out.get(ParseTelemetry.VALID).apply("CountValid", Count.globally()))
        .isEqualTo(0L);
    PAssert.thatSingleton(out.get(ParseTelemetry.DEAD_LETTERS).apply("CountDead", Count.globally()))
        .isEqualTo(10_000L);
    PipelineResult result = p.run();
    result.waitUntilFinish();

    long received = counter(result, TelemetryMetrics.RECEIVED);
    long valid = counter(result, TelemetryMetrics.VALID);
    long dead = counter(result, TelemetryMetrics.DEAD_LETTERS);
    assertEquals(10_000, received);
    assertEquals(received, valid + dead);
    long byReason =
        StreamSupport.stream(
                result
                    .metrics()
                    .queryMetrics(
                        MetricsFilter.builder()
                            .addNameFilter(MetricNameFilter.inNamespace(TelemetryMetrics.NAMESPACE))
                            .build())
                    .getCounters()
                    .spliterator(),
                false)
            .filter(
                c -> c.getName().getName().startsWith(TelemetryMetrics.DEAD_LETTER_REASON_PREFIX))
            .collect(Collectors.summingLong(MetricResult::getAttempted));
    assertEquals("every dead letter has exactly one reason", dead, byReason);
  }

  static long counter(PipelineResult result, String name) {
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(TelemetryMetrics.NAMESPACE, name))
                    .build())
            .getCounters()) {
      return c.getAttempted();
    }
    return 0;
  }
}
