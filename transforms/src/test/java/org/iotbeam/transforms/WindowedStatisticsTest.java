package org.iotbeam.transforms;

import static org.iotbeam.testing.Fixtures.MINUTE;
import static org.iotbeam.testing.Fixtures.SECOND;
import static org.iotbeam.testing.Fixtures.T0;
import static org.iotbeam.testing.Fixtures.reading;
import static org.iotbeam.testing.Fixtures.telemetry;

import java.util.Locale;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.domain.alerting.OutOfOrderPolicy;
import org.iotbeam.domain.stats.TumblingWindows;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.WindowAggregate;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * Window semantics in event time, pane by pane: on time at the watermark, early while the window is
 * open, late within the allowed lateness (accumulating), and droppably late.
 */
public class WindowedStatisticsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Duration FIVE_MINUTES = Duration.standardMinutes(5);
  private static final Duration TEN_MINUTES = Duration.standardMinutes(10);

  /** The shipped default: a late pane at most every 30 s of processing time per window. */
  private static final Duration LATE_EVERY = Duration.standardSeconds(30);

  private static final Duration PAST_LATE_DELAY = Duration.standardSeconds(31);
  private static final IntervalWindow W0 = window(0);
  private static final IntervalWindow W1 = window(1);

  private static IntervalWindow window(int i) {
    return new IntervalWindow(new Instant(T0 + i * 5 * MINUTE), FIVE_MINUTES);
  }

  private static TimestampedValue<Reading> at(String device, long ts, double temperature) {
    return TimestampedValue.of(
        reading(telemetry(device, ts, temperature, 50), "generic"), new Instant(ts));
  }

  /** The readings' statistics as the pipeline builds them: in the timeline, then into panes. */
  private static PCollection<WindowAggregate> statistics(
      PCollection<Reading> readings, Duration earlyFiringDelay) {
    TumblingWindows windows =
        new TumblingWindows(FIVE_MINUTES.getMillis(), TEN_MINUTES.getMillis());
    return readings
        .apply(
            new DeviceTimeline(
                TEN_MINUTES,
                AlertRules.none(),
                OutOfOrderPolicy.EVALUATE,
                windows,
                earlyFiringDelay != null))
        .get(DeviceTimeline.WINDOW_STATS)
        .apply(new WindowedStatistics(windows, earlyFiringDelay, LATE_EVERY));
  }

  /** device count mean min max, for temperature only: readable expectations. */
  private static PCollection<String> temperatureSummaries(PCollection<WindowAggregate> aggs) {
    return aggs.apply(Filter.by((WindowAggregate a) -> a.getMetric().equals("temperature")))
        .apply(
            MapElements.into(TypeDescriptors.strings())
                .via(
                    a ->
                        String.format(
                            Locale.ROOT,
                            "%s n=%d mean=%.2f min=%.1f max=%.1f",
                            a.getDeviceId(),
                            a.getCount(),
                            a.getMean(),
                            a.getMin(),
                            a.getMax())));
  }

  @Test
  public void onTimeLateWithinLatenessAndDroppablyLatePanes() {
    TestStream<Reading> stream =
        TestStream.create(Coders.READING)
            .advanceWatermarkTo(new Instant(T0))
            .addElements(at("dev-1", T0 + MINUTE, 10), at("dev-1", T0 + 2 * MINUTE, 20))
            .advanceWatermarkTo(new Instant(T0 + 6 * MINUTE)) // W0 closes: on-time pane
            .addElements(at("dev-1", T0 + 3 * MINUTE, 30)) // late, within lateness: late pane
            .advanceProcessingTime(PAST_LATE_DELAY)
            .advanceWatermarkTo(new Instant(T0 + 16 * MINUTE)) // past W0 end + 10 min lateness
            .addElements(at("dev-1", T0 + 4 * MINUTE, 1000)) // droppably late: never counted
            .advanceWatermarkToInfinity();

    PCollection<String> out = temperatureSummaries(statistics(p.apply(stream), null));

    PAssert.that(out).inOnTimePane(W0).containsInAnyOrder("dev-1 n=2 mean=15.00 min=10.0 max=20.0");
    // accumulating: the late pane carries the whole window, so an upsert by id is complete
    PAssert.that(out).inLatePane(W0).containsInAnyOrder("dev-1 n=3 mean=20.00 min=10.0 max=30.0");
    p.run().waitUntilFinish();
  }

  @Test
  public void earlyPanesFireWhileTheWindowIsOpenThenTheOnTimePaneHasEverything() {
    TestStream<Reading> stream =
        TestStream.create(Coders.READING)
            .advanceWatermarkTo(new Instant(T0))
            .addElements(at("dev-1", T0 + MINUTE, 10))
            .advanceProcessingTime(Duration.standardSeconds(31)) // early firing after 30 s
            .addElements(at("dev-1", T0 + 2 * MINUTE, 30))
            .advanceWatermarkToInfinity();

    PCollection<String> out =
        temperatureSummaries(statistics(p.apply(stream), Duration.standardSeconds(30)));

    PAssert.that(out).inEarlyPane(W0).containsInAnyOrder("dev-1 n=1 mean=10.00 min=10.0 max=10.0");
    PAssert.that(out).inOnTimePane(W0).containsInAnyOrder("dev-1 n=2 mean=20.00 min=10.0 max=30.0");
    p.run().waitUntilFinish();
  }

  @Test
  public void watermarkAcrossSeveralWindowsWithInterleavedDevicesOutOfOrder() {
    TestStream<Reading> stream =
        TestStream.create(Coders.READING)
            .advanceWatermarkTo(new Instant(T0))
            .addElements(
                at("dev-2", T0 + 7 * MINUTE, 5), // W1, arrives first
                at("dev-1", T0 + 30 * SECOND, 1), // W0
                at("dev-2", T0 + 4 * MINUTE, 3), // W0
                at("dev-1", T0 + 6 * MINUTE, 7)) // W1
            .advanceWatermarkTo(new Instant(T0 + 5 * MINUTE)) // W0 on time
            .addElements(at("dev-1", T0 + 9 * MINUTE, 9), at("dev-2", T0 + 5 * MINUTE, 1))
            .advanceWatermarkTo(new Instant(T0 + 10 * MINUTE)) // W1 on time
            .advanceWatermarkToInfinity();

    PCollection<String> out = temperatureSummaries(statistics(p.apply(stream), null));

    PAssert.that(out)
        .inOnTimePane(W0)
        .containsInAnyOrder(
            "dev-1 n=1 mean=1.00 min=1.0 max=1.0", "dev-2 n=1 mean=3.00 min=3.0 max=3.0");
    PAssert.that(out)
        .inOnTimePane(W1)
        .containsInAnyOrder(
            "dev-1 n=2 mean=8.00 min=7.0 max=9.0", "dev-2 n=2 mean=3.00 min=1.0 max=5.0");
    p.run().waitUntilFinish();
  }

  @Test
  public void aggregateRecordsCarryIdsWindowBoundsAndPaneInfo() {
    TestStream<Reading> stream =
        TestStream.create(Coders.READING)
            .advanceWatermarkTo(new Instant(T0))
            .addElements(at("dev-1", T0 + MINUTE, 10), at("dev-1", T0 + 2 * MINUTE, 14))
            .advanceWatermarkTo(new Instant(T0 + 6 * MINUTE))
            .addElements(at("dev-1", T0 + 3 * MINUTE, 12))
            .advanceProcessingTime(PAST_LATE_DELAY)
            .advanceWatermarkToInfinity();
    PCollection<WindowAggregate> aggs =
        statistics(p.apply(stream), null)
            .apply(Filter.by((WindowAggregate a) -> a.getMetric().equals("temperature")));
    PAssert.that(
            aggs.apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        a ->
                            a.getId()
                                + " "
                                + a.getPaneTiming()
                                + "#"
                                + a.getPaneIndex()
                                + " ["
                                + (a.getWindowStartMs() - T0)
                                + ","
                                + (a.getWindowEndMs() - T0)
                                + ") first="
                                + (a.getFirstTimestampMs() - T0)
                                + " last="
                                + (a.getLastTimestampMs() - T0)
                                + String.format(Locale.ROOT, " sd=%.4f", a.getStddev()))))
        .containsInAnyOrder(
            "dev-1|temperature|" + T0 + " ON_TIME#0 [0,300000) first=60000 last=120000 sd=2.0000",
            "dev-1|temperature|" + T0 + " LATE#1 [0,300000) first=60000 last=180000 sd=1.6330");
    p.run().waitUntilFinish();
  }

  @Test
  public void lateReadingsOfOneWindowShareALatePanePerLateFiringDelay() {
    // a device back from 10 minutes offline uploads its buffer: 4 late readings of W0 at once,
    // then 2 more a minute later; 2 late panes, not 6
    TestStream<Reading> stream =
        TestStream.create(Coders.READING)
            .advanceWatermarkTo(new Instant(T0))
            .addElements(at("dev-1", T0 + MINUTE, 10))
            .advanceWatermarkTo(new Instant(T0 + 6 * MINUTE)) // W0 on time: n=1
            .addElements(
                at("dev-1", T0 + 2 * MINUTE, 20),
                at("dev-1", T0 + 150 * SECOND, 30),
                at("dev-1", T0 + 3 * MINUTE, 40),
                at("dev-1", T0 + 210 * SECOND, 50))
            .advanceProcessingTime(Duration.standardSeconds(10))
            .advanceProcessingTime(PAST_LATE_DELAY) // first late pane: n=5
            .addElements(at("dev-1", T0 + 4 * MINUTE, 60))
            .advanceProcessingTime(Duration.standardSeconds(5))
            .addElements(at("dev-1", T0 + 270 * SECOND, 70))
            .advanceProcessingTime(PAST_LATE_DELAY) // second late pane: n=7
            .advanceWatermarkToInfinity();

    PCollection<String> out = temperatureSummaries(statistics(p.apply(stream), null));

    PAssert.that(out).inOnTimePane(W0).containsInAnyOrder("dev-1 n=1 mean=10.00 min=10.0 max=10.0");
    PAssert.that(out)
        .inLatePane(W0)
        .containsInAnyOrder(
            "dev-1 n=5 mean=30.00 min=10.0 max=50.0", "dev-1 n=7 mean=40.00 min=10.0 max=70.0");
    p.run().waitUntilFinish();
  }

  @Test
  public void aWatermarkJumpPastTheEndPlusLatenessGivesOneCompletePaneAndNoEmptyOne() {
    // the watermark leaps over W0's end and its garbage-collection time in one step (an idle
    // partition catching up, a bounded run ending): one complete on-time pane, no empty one.
    // Whether that pane is also marked final depends on the runner: the direct runner may pass
    // the timeline's output watermark on in two steps (its expiry timer holds it a moment), so
    // the windowed step closes the window after its pane; Flink fires the timers of one advance
    // together, and WindowPanesOnFlinkTest holds it to final=true.
    TestStream<Reading> stream =
        TestStream.create(Coders.READING)
            .advanceWatermarkTo(new Instant(T0))
            .addElements(at("dev-1", T0 + MINUTE, 10), at("dev-1", T0 + 2 * MINUTE, 20))
            .advanceWatermarkTo(new Instant(T0 + 60 * MINUTE))
            .advanceWatermarkToInfinity();

    PCollection<WindowAggregate> aggs =
        statistics(p.apply(stream), null)
            .apply(Filter.by((WindowAggregate a) -> a.getMetric().equals("temperature")));
    PAssert.that(
            aggs.apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(a -> a.getPaneTiming() + "#" + a.getPaneIndex() + " n=" + a.getCount())))
        .containsInAnyOrder("ON_TIME#0 n=2");
    p.run().waitUntilFinish();
  }
}
