package org.iotbeam.transforms;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.iotbeam.testing.Fixtures.MINUTE;
import static org.iotbeam.testing.Fixtures.T0;
import static org.iotbeam.testing.Fixtures.temperatureReading;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.Reading;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/** The alert lifecycle in event time: ordering, raise/clear, cooldown, silence, lateness. */
public class DetectAlertsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final AlertRules HOT = AlertRules.parse(("{\"thresholds\": [{\"id\": \"hot\","
      + " \"metric\": \"temperature\", \"operator\": \">\", \"value\": 40, \"forReadings\": 3,"
      + " \"severity\": \"critical\", \"cooldownMinutes\": 10}],"
      + " \"noData\": {\"enabled\": true, \"silenceMinutes\": 30}}").getBytes(UTF_8), "test");

  private static TimestampedValue<Reading> at(String device, long minute, double temperature) {
    long ts = T0 + minute * MINUTE;
    return TimestampedValue.of(temperatureReading(device, ts, temperature), new Instant(ts));
  }

  private static PCollection<String> summaries(PCollection<Alert> alerts) {
    return alerts.apply(MapElements.into(TypeDescriptors.strings()).via(a -> a.getDeviceId() + " "
        + a.getRuleId() + " " + a.getState() + " raised@" + (a.getRaisedAtMs() - T0) / MINUTE
        + " event@" + (a.getEventTimeMs() - T0) / MINUTE));
  }

  @Test
  public void readingsAreEvaluatedInEventTimeOrderWhateverOrderTheyArriveIn() {
    // arrival order 2, 0, 1: evaluated unsorted, the streak would complete at minute 1
    TestStream<Reading> stream = TestStream.create(Coders.READING)
        .advanceWatermarkTo(new Instant(T0))
        .addElements(at("dev-1", 2, 43))
        .addElements(at("dev-1", 0, 41))
        .addElements(at("dev-1", 1, 42))
        .advanceWatermarkTo(new Instant(T0 + 3 * MINUTE))
        .addElements(at("dev-1", 3, 20)) // clears
        .advanceWatermarkTo(new Instant(T0 + 4 * MINUTE))
        .advanceWatermarkToInfinity();
    PAssert.that(summaries(p.apply(stream).apply(new DetectAlerts(HOT)))).containsInAnyOrder(
        "dev-1 hot RAISED raised@2 event@2",
        "dev-1 hot CLEARED raised@2 event@3",
        // the end of input is the end of event time: the device has been silent since minute 3
        "dev-1 no-data RAISED raised@33 event@33");
    p.run().waitUntilFinish();
  }

  @Test
  public void cooldownHoldsBackARaiseUntilItHasPassedInEventTime() {
    List<TimestampedValue<Reading>> burst = new ArrayList<>();
    long[] minutes = {0, 1, 2, 3, 4, 5, 6, 7, 14, 15, 16};
    double[] values = {41, 41, 41, 20, 41, 41, 41, 41, 41, 41, 41};
    for (int i = 0; i < minutes.length; i++) {
      burst.add(at("dev-7", minutes[i], values[i]));
    }
    TestStream<Reading> stream = TestStream.create(Coders.READING)
        .advanceWatermarkTo(new Instant(T0))
        .addElements(burst.get(0), burst.subList(1, burst.size()).toArray(new TimestampedValue[0]))
        .advanceWatermarkTo(new Instant(T0 + 20 * MINUTE))
        .addElements(at("dev-7", 21, 10))
        .advanceWatermarkTo(new Instant(T0 + 22 * MINUTE))
        .advanceWatermarkToInfinity();
    PAssert.that(summaries(p.apply(stream).apply(new DetectAlerts(HOT)))).containsInAnyOrder(
        "dev-7 hot RAISED raised@2 event@2",
        "dev-7 hot CLEARED raised@2 event@3",
        "dev-7 hot RAISED raised@14 event@14",
        "dev-7 hot CLEARED raised@14 event@21",
        "dev-7 no-data RAISED raised@51 event@51");
    p.run().waitUntilFinish();
  }

  @Test
  public void silenceRaisesNoDataAtTheWatermarkAndALateReadingIsNotEvaluated() {
    TestStream<Reading> stream = TestStream.create(Coders.READING)
        .advanceWatermarkTo(new Instant(T0))
        .addElements(at("dev-3", 0, 20), at("dev-4", 0, 20))
        .addElements(at("dev-4", 25, 20))
        .advanceWatermarkTo(new Instant(T0 + 40 * MINUTE)) // dev-3 silent since 0: no-data at 30
        .addElements(at("dev-3", 5, 99), at("dev-3", 6, 99), at("dev-3", 7, 99)) // behind watermark
        .addElements(at("dev-3", 45, 20))  // back: clears no-data
        .advanceWatermarkTo(new Instant(T0 + 50 * MINUTE))
        .advanceWatermarkToInfinity();
    PAssert.that(summaries(p.apply(stream).apply(new DetectAlerts(HOT)))).containsInAnyOrder(
        "dev-3 no-data RAISED raised@30 event@30",
        "dev-3 no-data CLEARED raised@30 event@45",
        "dev-3 no-data RAISED raised@75 event@75",
        "dev-4 no-data RAISED raised@55 event@55");
    p.run().waitUntilFinish();
  }
}
