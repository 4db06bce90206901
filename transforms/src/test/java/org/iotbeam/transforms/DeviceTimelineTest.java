package org.iotbeam.transforms;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.iotbeam.testing.Fixtures.MINUTE;
import static org.iotbeam.testing.Fixtures.T0;
import static org.iotbeam.testing.Fixtures.temperatureReading;
import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
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
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.Reading;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/** The alert lifecycle: arrival order, out-of-order policy, raise/clear, cooldown, silence. */
public class DeviceTimelineTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final AlertRules HOT =
      AlertRules.parse(
          ("{\"thresholds\": [{\"id\": \"hot\","
                  + " \"metric\": \"temperature\", \"operator\": \">\", \"value\": 40, \"forReadings\": 3,"
                  + " \"severity\": \"critical\", \"cooldownMinutes\": 10}],"
                  + " \"noData\": {\"enabled\": true, \"silenceMinutes\": 30}}")
              .getBytes(UTF_8),
          "test");

  private static TimestampedValue<Reading> at(String device, long minute, double temperature) {
    long ts = T0 + minute * MINUTE;
    return TimestampedValue.of(temperatureReading(device, ts, temperature), new Instant(ts));
  }

  private static DeviceTimeline timeline(OutOfOrderPolicy policy) {
    return new DeviceTimeline(
        org.joda.time.Duration.standardMinutes(10),
        HOT,
        policy,
        ProcessingConfig.defaults().windows(),
        false);
  }

  private static PCollection<String> summaries(PCollection<Alert> alerts) {
    return alerts.apply(
        MapElements.into(TypeDescriptors.strings())
            .via(
                a ->
                    a.getDeviceId()
                        + " "
                        + a.getRuleId()
                        + " "
                        + a.getState()
                        + " raised@"
                        + (a.getRaisedAtMs() - T0) / MINUTE
                        + " event@"
                        + (a.getEventTimeMs() - T0) / MINUTE));
  }

  @Test
  public void readingsAreEvaluatedOnArrivalWithoutWaitingForTheWatermark() {
    // the watermark stays at T0 while the streak arrives: evaluated on arrival, the alert is
    // raised by the third hot reading, and arrives out of order it counts where it arrives
    // (arrival 2, 0, 1: event-time sorted, the streak would complete at minute 2)
    TestStream<Reading> stream =
        TestStream.create(Coders.READING)
            .advanceWatermarkTo(new Instant(T0))
            .addElements(at("dev-1", 2, 43))
            .addElements(at("dev-1", 0, 41))
            .addElements(at("dev-1", 1, 42))
            .addElements(at("dev-1", 3, 20)) // clears
            .advanceWatermarkTo(new Instant(T0 + 4 * MINUTE))
            .advanceWatermarkToInfinity();
    PAssert.that(
            summaries(
                p.apply(stream)
                    .apply(timeline(OutOfOrderPolicy.EVALUATE))
                    .get(DeviceTimeline.ALERTS)))
        .containsInAnyOrder(
            "dev-1 hot RAISED raised@1 event@1",
            "dev-1 hot CLEARED raised@1 event@3",
            // the end of input is the end of event time: the device has been silent since minute 3
            "dev-1 no-data RAISED raised@33 event@33");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(2, counter(result, TelemetryMetrics.ALERT_READINGS_OUT_OF_ORDER));
    assertEquals(2, counter(result, TelemetryMetrics.ALERT_READINGS_OUT_OF_ORDER + "_evaluate"));
  }

  @Test
  public void outOfOrderReadingsAreSkippedFromAlertingWhenThePolicySaysSoAndCounted() {
    TestStream<Reading> stream =
        TestStream.create(Coders.READING)
            .advanceWatermarkTo(new Instant(T0))
            .addElements(at("dev-1", 2, 43))
            .addElements(at("dev-1", 0, 41))
            .addElements(at("dev-1", 1, 42))
            .addElements(at("dev-1", 3, 44), at("dev-1", 4, 45)) // 2, 3, 4: a streak of three
            .advanceWatermarkToInfinity();
    PAssert.that(
            summaries(
                p.apply(stream).apply(timeline(OutOfOrderPolicy.SKIP)).get(DeviceTimeline.ALERTS)))
        .containsInAnyOrder(
            "dev-1 hot RAISED raised@4 event@4", "dev-1 no-data RAISED raised@34 event@34");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(2, counter(result, TelemetryMetrics.ALERT_READINGS_OUT_OF_ORDER + "_skip"));
  }

  @Test
  public void aBackfillReplaysEachDevicesReadingsInArrivalOrder() {
    // bounded input has no arrival: it is rebuilt from ingest time and offset, so the batch
    // rendition raises what the stream above raised (raised@1), not the event-time order's @2
    PCollection<Reading> bounded =
        p.apply(
            "Readings",
            Create.of(
                    arrived(at("dev-1", 1, 42), 1002), arrived(at("dev-1", 3, 20), 1003),
                    arrived(at("dev-1", 2, 43), 1000), arrived(at("dev-1", 0, 41), 1001))
                .withCoder(Coders.READING));
    PAssert.that(
            summaries(
                bounded.apply(timeline(OutOfOrderPolicy.EVALUATE)).get(DeviceTimeline.ALERTS)))
        .containsInAnyOrder(
            "dev-1 hot RAISED raised@1 event@1",
            "dev-1 hot CLEARED raised@1 event@3",
            "dev-1 no-data RAISED raised@33 event@33");
    p.run().waitUntilFinish();
  }

  /** The reading as the source saw it: arrived at {@code ingestMs}, at that offset too. */
  private static Reading arrived(TimestampedValue<Reading> r, long ingestMs) {
    Reading v = r.getValue();
    return v.toBuilder()
        .setInbound(
            v.getInbound().toBuilder()
                .setIngestTimeMs(ingestMs)
                .setSource(v.getInbound().getSource().toBuilder().setOffset(ingestMs)))
        .build();
  }

  private static long counter(PipelineResult result, String name) {
    MetricQueryResults q =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(TelemetryMetrics.NAMESPACE, name))
                    .build());
    long sum = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  @Test
  public void cooldownHoldsBackARaiseUntilItHasPassedInEventTime() {
    List<TimestampedValue<Reading>> burst = new ArrayList<>();
    long[] minutes = {0, 1, 2, 3, 4, 5, 6, 7, 14, 15, 16};
    double[] values = {41, 41, 41, 20, 41, 41, 41, 41, 41, 41, 41};
    for (int i = 0; i < minutes.length; i++) {
      burst.add(at("dev-7", minutes[i], values[i]));
    }
    TestStream<Reading> stream =
        TestStream.create(Coders.READING)
            .advanceWatermarkTo(new Instant(T0))
            .addElements(
                burst.get(0), burst.subList(1, burst.size()).toArray(new TimestampedValue[0]))
            .advanceWatermarkTo(new Instant(T0 + 20 * MINUTE))
            .addElements(at("dev-7", 21, 10))
            .advanceWatermarkTo(new Instant(T0 + 22 * MINUTE))
            .advanceWatermarkToInfinity();
    PAssert.that(
            summaries(
                p.apply(stream)
                    .apply(timeline(OutOfOrderPolicy.EVALUATE))
                    .get(DeviceTimeline.ALERTS)))
        .containsInAnyOrder(
            "dev-7 hot RAISED raised@2 event@2",
            "dev-7 hot CLEARED raised@2 event@3",
            "dev-7 hot RAISED raised@14 event@14",
            "dev-7 hot CLEARED raised@14 event@21",
            "dev-7 no-data RAISED raised@51 event@51");
    p.run().waitUntilFinish();
  }

  @Test
  public void silenceRaisesNoDataAtTheWatermarkAndReadingsBehindTheWatermarkAreStillEvaluated() {
    TestStream<Reading> stream =
        TestStream.create(Coders.READING)
            .advanceWatermarkTo(new Instant(T0))
            .addElements(at("dev-3", 0, 20), at("dev-4", 0, 20))
            .addElements(at("dev-4", 25, 20))
            .advanceWatermarkTo(
                new Instant(T0 + 40 * MINUTE)) // dev-3 silent since 0: no-data at 30
            // behind the watermark, but newer than anything dev-3 sent: they clear no-data and
            // raise "hot" on arrival (a lagging gateway delivered them late)
            .addElements(at("dev-3", 5, 99), at("dev-3", 6, 99), at("dev-3", 7, 99))
            // dev-3 was silent from 7 to 45 in event time: its no-data timer (37) is due at once
            .addElements(at("dev-3", 45, 20)) // clears hot and that no-data
            .advanceWatermarkTo(new Instant(T0 + 50 * MINUTE))
            .advanceWatermarkToInfinity();
    PAssert.that(
            summaries(
                p.apply(stream)
                    .apply(timeline(OutOfOrderPolicy.EVALUATE))
                    .get(DeviceTimeline.ALERTS)))
        .containsInAnyOrder(
            "dev-3 no-data RAISED raised@30 event@30",
            "dev-3 no-data CLEARED raised@30 event@5",
            "dev-3 hot RAISED raised@7 event@7",
            "dev-3 hot CLEARED raised@7 event@45",
            "dev-3 no-data RAISED raised@37 event@37",
            "dev-3 no-data CLEARED raised@37 event@45",
            "dev-3 no-data RAISED raised@75 event@75",
            "dev-4 no-data RAISED raised@55 event@55");
    p.run().waitUntilFinish();
  }
}
