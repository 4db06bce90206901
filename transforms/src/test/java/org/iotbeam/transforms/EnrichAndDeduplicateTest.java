package org.iotbeam.transforms;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.iotbeam.testing.Fixtures.MINUTE;
import static org.iotbeam.testing.Fixtures.T0;
import static org.iotbeam.testing.Fixtures.telemetry;
import static org.junit.Assert.assertEquals;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.domain.alerting.OutOfOrderPolicy;
import org.iotbeam.domain.registry.DeviceRegistry;
import org.iotbeam.proto.GeoLocation;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.Telemetry;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

public class EnrichAndDeduplicateTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final DeviceRegistry REGISTRY =
      DeviceRegistry.parse(
          ("{\"devices\": ["
                  + "{\"deviceId\": \"dev-000001\", \"deviceType\": \"hvac\", \"site\": \"plant-a\","
                  + " \"firmware\": \"1.0\"}]}")
              .getBytes(UTF_8),
          "test");

  private static Reading plain(Telemetry t) {
    return Reading.newBuilder().setTelemetry(t).build();
  }

  @Test
  public void addsProfileGeohashAndContentHashAndCountsUnknownDevices() {
    Telemetry located =
        telemetry("dev-000001", T0, 20, 50).toBuilder()
            .setLocation(GeoLocation.newBuilder().setLatitude(57.64911).setLongitude(10.40744))
            .build();
    PCollection<Reading> out =
        p.apply(
                Create.of(plain(located), plain(telemetry("stranger-1", T0, 20, 50)))
                    .withCoder(Coders.READING))
            .apply(new EnrichReadings(REGISTRY));
    PAssert.that(
            out.apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        r ->
                            r.getTelemetry().getDeviceId()
                                + " "
                                + r.getDevice().getDeviceType()
                                + " "
                                + r.getDevice().getSite()
                                + " known="
                                + r.getKnownDevice()
                                + " geo="
                                + r.getGeohash()
                                + " hash="
                                + r.getContentHash().length())))
        .containsInAnyOrder(
            "dev-000001 hvac plant-a known=true geo=u4pruyd hash=32",
            "stranger-1 generic unassigned known=false geo= hash=32");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(1, ParseTelemetryTest.counter(result, TelemetryMetrics.UNKNOWN_DEVICES));
  }

  @Test
  public void contentHashIgnoresTheDeclaredVersionButNotTheReading() {
    Telemetry a = telemetry("dev-000001", T0, 20, 50);
    assertEquals(ContentHash.of(a), ContentHash.of(a.toBuilder().setSchemaVersion(0).build()));
    org.junit.Assert.assertNotEquals(
        ContentHash.of(a), ContentHash.of(a.toBuilder().setTemperature(20.01).build()));
    org.junit.Assert.assertNotEquals(
        ContentHash.of(a), ContentHash.of(a.toBuilder().setTimestampMs(T0 + 1).build()));
  }

  private static TimestampedValue<Reading> copy(Telemetry t, long offset) {
    Reading r =
        Reading.newBuilder()
            .setTelemetry(t)
            .setContentHash(ContentHash.of(t))
            .setInbound(org.iotbeam.testing.Fixtures.inbound(t, offset))
            .build();
    return TimestampedValue.of(r, new Instant(t.getTimestampMs()));
  }

  @Test
  public void redeliveredCopiesAreDroppedWithinTheHorizonOnly() {
    Telemetry a = telemetry("dev-000001", T0, 20, 50);
    Telemetry b = telemetry("dev-000001", T0 + MINUTE, 21, 50);
    TestStream<Reading> stream =
        TestStream.create(Coders.READING)
            .advanceWatermarkTo(new Instant(T0))
            .addElements(copy(a, 1), copy(b, 2), copy(a, 3)) // a redelivered
            .advanceWatermarkTo(new Instant(T0 + 5 * MINUTE))
            .addElements(copy(b, 4)) // b again, within 10 min
            .advanceWatermarkTo(
                new Instant(T0 + 30 * MINUTE)) // horizon passed: memory of a is gone
            .addElements(copy(a, 5))
            .advanceWatermarkToInfinity();
    PCollection<Long> offsets = firstCopyOffsets(p.apply(stream));
    PAssert.that(offsets).containsInAnyOrder(1L, 2L, 5L);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(2, ParseTelemetryTest.counter(result, TelemetryMetrics.DUPLICATES));
  }

  @Test
  public void aBackfillKeepsTheFirstCopyToHaveArrived() {
    Telemetry a = telemetry("dev-000001", T0, 20, 50);
    Telemetry b = telemetry("dev-000001", T0 + MINUTE, 21, 50);
    // bounded input in no particular order; arrival is the source offset (same ingest time)
    PCollection<Long> offsets =
        firstCopyOffsets(
            p.apply(
                Create.timestamped(copy(a, 7), copy(b, 3), copy(a, 2), copy(b, 9), copy(a, 5))
                    .withCoder(Coders.READING)));
    PAssert.that(offsets).containsInAnyOrder(2L, 3L);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(3, ParseTelemetryTest.counter(result, TelemetryMetrics.DUPLICATES));
  }

  /** The source offsets of the readings the timeline keeps as first copies. */
  private static PCollection<Long> firstCopyOffsets(PCollection<Reading> readings) {
    return readings
        .apply(
            new DeviceTimeline(
                    Duration.standardMinutes(10),
                    AlertRules.none(),
                    OutOfOrderPolicy.EVALUATE,
                    ProcessingConfig.defaults().windows(),
                    false)
                .withReadings())
        .get(DeviceTimeline.FIRST_COPIES)
        .apply(
            MapElements.into(TypeDescriptors.longs())
                .via(r -> r.getInbound().getSource().getOffset()));
  }
}
