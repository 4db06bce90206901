package org.iotbeam.transforms;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
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
import org.iotbeam.domain.stats.DeviceStats;
import org.iotbeam.domain.stats.RunningStats;
import org.iotbeam.domain.stats.TumblingWindows;
import org.iotbeam.proto.PaneTiming;
import org.iotbeam.proto.WindowAggregate;
import org.joda.time.Duration;

/**
 * Per device and metric, the panes of each event-time tumbling window's statistics.
 *
 * <p>The statistics themselves are built in {@link DeviceTimeline}, which sees each device's
 * readings in arrival order anyway ({@link DeviceTimeline#WINDOW_STATS}): it hands a window's
 * {@link DeviceStats} on when the window is due, not every reading, so what crosses this keyed step
 * is one element per window (and one per late reading). Here the runner turns them into panes; of
 * the versions of one window the largest is the newest ({@link LatestStatsFn}). A pane carries
 * every metric of the device's window (each with the same pane index and timing); a metric the
 * window has no value of has no aggregate.
 *
 * <p>Panes, each carrying everything seen so far (accumulating), so a sink that upserts by {@link
 * WindowAggregate#getId()} always holds the best answer:
 *
 * <ul>
 *   <li>optionally early ones, every {@code earlyFiringDelay} of processing time while the window
 *       is open (the timeline then hands the statistics on after every reading);
 *   <li>one on time, when the watermark passes the end of the window, and only if the window has
 *       readings (see below);
 *   <li>late ones within {@code allowedLateness}: at most one per {@code lateFiringDelay} of
 *       processing time after the first late reading, however many late readings arrive (a device
 *       that uploads an hour of buffered readings corrects each window a few times, not once per
 *       reading).
 * </ul>
 *
 * <p>Readings later than the allowed lateness are not counted: the timeline refuses them ({@value
 * TelemetryMetrics#READINGS_PAST_LATENESS}), and statistics that reach this step after their
 * window's lateness ran out are dropped by the runner (its own dropped-due-to-lateness metric).
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
    extends PTransform<PCollection<KV<String, DeviceStats>>, PCollection<WindowAggregate>> {
  private final Duration windowSize;
  private final Duration allowedLateness;
  private final Duration earlyFiringDelay; // null: no early panes
  private final Duration lateFiringDelay;

  public WindowedStatistics(
      TumblingWindows windows, Duration earlyFiringDelay, Duration lateFiringDelay) {
    this.windowSize = Duration.millis(windows.sizeMs());
    this.allowedLateness = Duration.millis(windows.allowedLatenessMs());
    this.earlyFiringDelay = earlyFiringDelay;
    this.lateFiringDelay = lateFiringDelay;
  }

  @Override
  public PCollection<WindowAggregate> expand(PCollection<KV<String, DeviceStats>> stats) {
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
    return stats
        .apply(
            "Window",
            Window.<KV<String, DeviceStats>>into(FixedWindows.of(windowSize))
                .triggering(withEarly)
                .withAllowedLateness(allowedLateness)
                .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
                .accumulatingFiredPanes())
        // the step keeps its name: a savepoint's window state restores into it
        .apply("Stats", Combine.perKey(new LatestStatsFn()))
        .apply("ToAggregates", ParDo.of(new ToAggregatesFn()))
        .setCoder(Coders.AGGREGATE);
  }

  /**
   * Of the versions of a device's window, the newest: statistics only grow, so the newest holds the
   * most values. A replayed version (after a restore) is equal to the one it repeats.
   */
  static class LatestStatsFn extends CombineFn<DeviceStats, DeviceStats, DeviceStats> {
    @Override
    public DeviceStats createAccumulator() {
      return new DeviceStats();
    }

    @Override
    public DeviceStats addInput(DeviceStats latest, DeviceStats version) {
      return version.size() >= latest.size() ? version : latest;
    }

    @Override
    public DeviceStats mergeAccumulators(Iterable<DeviceStats> versions) {
      DeviceStats latest = createAccumulator();
      for (DeviceStats v : versions) {
        latest = addInput(latest, v);
      }
      return latest;
    }

    @Override
    public DeviceStats extractOutput(DeviceStats latest) {
      return latest;
    }

    @Override
    public Coder<DeviceStats> getAccumulatorCoder(
        CoderRegistry registry, Coder<DeviceStats> inputCoder) {
      return DeviceStatsCoder.of();
    }

    @Override
    public Coder<DeviceStats> getDefaultOutputCoder(
        CoderRegistry registry, Coder<DeviceStats> inputCoder) {
      return DeviceStatsCoder.of();
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
