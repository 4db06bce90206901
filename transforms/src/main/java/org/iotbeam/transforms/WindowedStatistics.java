package org.iotbeam.transforms;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.domain.Metric;
import org.iotbeam.domain.stats.DeviceSample;
import org.iotbeam.domain.stats.DeviceStats;
import org.iotbeam.domain.stats.RunningStats;
import org.iotbeam.proto.PaneTiming;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.WindowAggregate;
import org.joda.time.Duration;

/**
 * Per device and metric, the statistics of each event-time tumbling window.
 *
 * <p>Grouped by device, not by series: a reading crosses the keyed exchange once, as one {@link
 * DeviceSample} of all its metrics, and the window's state is one {@link DeviceStats} per device,
 * so the runner does one state update per reading instead of one per metric. A pane therefore
 * carries every metric of the device's window (each with the same pane index and timing); a metric
 * the window has no value of has no aggregate.
 *
 * <p>Panes, each carrying everything seen so far (accumulating), so a sink that upserts by {@link
 * WindowAggregate#getId()} always holds the best answer:
 *
 * <ul>
 *   <li>optionally early ones, every {@code earlyFiringDelay} of processing time while the window
 *       is open;
 *   <li>one on time, when the watermark passes the end of the window, and only if the window has
 *       readings (see below);
 *   <li>late ones within {@code allowedLateness}: at most one per {@code lateFiringDelay} of
 *       processing time after the first late reading, however many late readings arrive (a device
 *       that uploads an hour of buffered readings corrects each window a few times, not once per
 *       reading).
 * </ul>
 *
 * <p>Readings later than the allowed lateness are dropped by the runner, and counted by the
 * runner's own dropped-due-to-lateness metric.
 *
 * <p>Why {@link Window.OnTimeBehavior#FIRE_IF_NON_EMPTY}: when the watermark jumps past the end of
 * a window plus its allowed lateness in one step (an idle partition catching up, a bounded run
 * ending), the runner fires the end-of-window and the garbage-collection timers one after the
 * other. The first emits the whole window and clears its state; the second finds a window with no
 * state that still counts as at its end, and with Beam's default (FIRE_ALWAYS) emits a second "on
 * time" pane: empty (count 0, NaN mean), final, and written after the right one. Empty windows have
 * no aggregate; {@link ToAggregatesFn} drops any empty pane as a second guard.
 */
public class WindowedStatistics
    extends PTransform<PCollection<Reading>, PCollection<WindowAggregate>> {
  private final Duration windowSize;
  private final Duration allowedLateness;
  private final Duration earlyFiringDelay; // null: no early panes
  private final Duration lateFiringDelay;

  public WindowedStatistics(
      Duration windowSize,
      Duration allowedLateness,
      Duration earlyFiringDelay,
      Duration lateFiringDelay) {
    this.windowSize = windowSize;
    this.allowedLateness = allowedLateness;
    this.earlyFiringDelay = earlyFiringDelay;
    this.lateFiringDelay = lateFiringDelay;
  }

  @Override
  public PCollection<WindowAggregate> expand(PCollection<Reading> readings) {
    AfterWatermark.AfterWatermarkEarlyAndLate trigger =
        AfterWatermark.pastEndOfWindow()
            .withLateFirings(
                lateFiringDelay.getMillis() == 0
                    ? AfterPane.elementCountAtLeast(1)
                    : AfterProcessingTime.pastFirstElementInPane().plusDelayOf(lateFiringDelay));
    Trigger withEarly =
        earlyFiringDelay == null
            ? trigger
            : trigger.withEarlyFirings(
                AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiringDelay));
    return readings
        .apply("ToSamples", ParDo.of(new ToSampleFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DeviceSampleCoder.of()))
        .apply(
            "Window",
            Window.<KV<String, DeviceSample>>into(FixedWindows.of(windowSize))
                .triggering(withEarly)
                .withAllowedLateness(allowedLateness)
                .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
                .accumulatingFiredPanes())
        .apply("Stats", Combine.perKey(new DeviceStatsCombineFn()))
        .apply("ToAggregates", ParDo.of(new ToAggregatesFn()))
        .setCoder(Coders.AGGREGATE);
  }

  /** One sample per reading, keyed by its device: all its metrics in one element. */
  static class ToSampleFn extends DoFn<Reading, KV<String, DeviceSample>> {
    @ProcessElement
    public void process(@Element Reading r, OutputReceiver<KV<String, DeviceSample>> out) {
      DeviceSample s =
          DeviceSample.of(r.getTelemetry(), r.getDevice().getDeviceType(), r.getDevice().getSite());
      if (s.present() != 0) {
        out.output(KV.of(r.getTelemetry().getDeviceId(), s));
      }
    }
  }

  /** A pane of a device's window: one aggregate per metric the window has values of. */
  static class ToAggregatesFn extends DoFn<KV<String, DeviceStats>, WindowAggregate> {
    private static final Metric[] METRICS = Metric.values();
    private final Counter emitted = TelemetryMetrics.counter(TelemetryMetrics.AGGREGATES);
    private final Counter late = TelemetryMetrics.counter(TelemetryMetrics.LATE_PANES);
    private final Counter early = TelemetryMetrics.counter(TelemetryMetrics.EARLY_PANES);
    private final Counter empty = TelemetryMetrics.counter(TelemetryMetrics.EMPTY_PANES_DROPPED);

    @ProcessElement
    public void process(
        @Element KV<String, DeviceStats> e,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<WindowAggregate> out) {
      DeviceStats d = e.getValue();
      if (d.isEmpty()) {
        empty.inc();
        return;
      }
      PaneTiming timing =
          switch (pane.getTiming()) {
            case EARLY -> PaneTiming.EARLY;
            case LATE -> PaneTiming.LATE;
            default -> PaneTiming.ON_TIME;
          };
      for (Metric m : METRICS) {
        RunningStats s = d.of(m);
        if (s == null) {
          continue;
        }
        emitted.inc();
        if (timing == PaneTiming.LATE) {
          late.inc();
        } else if (timing == PaneTiming.EARLY) {
          early.inc();
        }
        out.output(
            WindowAggregate.newBuilder()
                .setId(aggregateId(e.getKey(), m.id(), window.start().getMillis()))
                .setDeviceId(e.getKey())
                .setMetric(m.id())
                .setDeviceType(d.deviceType())
                .setSite(d.site())
                .setWindowStartMs(window.start().getMillis())
                .setWindowEndMs(window.end().getMillis())
                .setCount(s.count())
                .setMin(s.min())
                .setMax(s.max())
                .setMean(s.mean())
                .setStddev(s.stddev())
                .setFirstTimestampMs(s.firstTimestampMs())
                .setLastTimestampMs(s.lastTimestampMs())
                .setPaneTiming(timing)
                .setPaneIndex(pane.getIndex())
                .setFinalPane(pane.isLast())
                .build());
      }
    }
  }

  /** The id every pane of one window shares, and a replay reproduces. */
  public static String aggregateId(String deviceId, String metric, long windowStartMs) {
    return deviceId + "|" + metric + "|" + windowStartMs;
  }
}
