package org.iotbeam.transforms;

import java.util.OptionalDouble;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
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
import org.apache.beam.sdk.values.TimestampedValue;
import org.iotbeam.domain.Metric;
import org.iotbeam.domain.stats.RunningStats;
import org.iotbeam.proto.PaneTiming;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.SeriesKey;
import org.iotbeam.proto.WindowAggregate;
import org.joda.time.Duration;

/**
 * Per device and metric, the statistics of each event-time tumbling window.
 *
 * <p>Panes: one at the watermark (on time); optionally early ones every {@code earlyFiringDelay}
 * of processing time while the window is open; and one per late reading within
 * {@code allowedLateness}, each carrying everything seen so far (accumulating), so a sink that
 * upserts by {@link WindowAggregate#getId()} always holds the best answer. Readings later than
 * that are dropped by the runner, and counted by the runner's own dropped-due-to-lateness metric.
 */
public class WindowedStatistics
    extends PTransform<PCollection<Reading>, PCollection<WindowAggregate>> {
  private final Duration windowSize;
  private final Duration allowedLateness;
  private final Duration earlyFiringDelay; // null: no early panes

  public WindowedStatistics(
      Duration windowSize, Duration allowedLateness, Duration earlyFiringDelay) {
    this.windowSize = windowSize;
    this.allowedLateness = allowedLateness;
    this.earlyFiringDelay = earlyFiringDelay;
  }

  @Override
  public PCollection<WindowAggregate> expand(PCollection<Reading> readings) {
    AfterWatermark.AfterWatermarkEarlyAndLate trigger =
        AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1));
    Trigger withEarly = earlyFiringDelay == null
        ? trigger
        : trigger.withEarlyFirings(
            AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiringDelay));
    return readings
        .apply("ToSamples", ParDo.of(new ToSamplesFn()))
        .setCoder(KvCoder.of(Coders.SERIES_KEY, TimestampedValue.TimestampedValueCoder.of(
            DoubleCoder.of())))
        .apply("Window", Window.<KV<SeriesKey, TimestampedValue<Double>>>into(
                FixedWindows.of(windowSize))
            .triggering(withEarly)
            .withAllowedLateness(allowedLateness)
            .accumulatingFiredPanes())
        .apply("Stats", Combine.perKey(new StatsCombineFn()))
        .apply("ToAggregate", ParDo.of(new ToAggregateFn()))
        .setCoder(Coders.AGGREGATE);
  }

  /** One sample per metric the reading carries. */
  static class ToSamplesFn extends DoFn<Reading, KV<SeriesKey, TimestampedValue<Double>>> {
    @ProcessElement
    public void process(@Element Reading r, OutputReceiver<KV<SeriesKey, TimestampedValue<Double>>> out) {
      for (Metric m : Metric.values()) {
        OptionalDouble v = m.valueOf(r.getTelemetry());
        if (v.isPresent()) {
          SeriesKey key = SeriesKey.newBuilder()
              .setDeviceId(r.getTelemetry().getDeviceId())
              .setMetric(m.id())
              .setDeviceType(r.getDevice().getDeviceType())
              .setSite(r.getDevice().getSite())
              .build();
          out.output(KV.of(key, TimestampedValue.of(v.getAsDouble(),
              new org.joda.time.Instant(r.getTelemetry().getTimestampMs()))));
        }
      }
    }
  }

  static class ToAggregateFn extends DoFn<KV<SeriesKey, RunningStats>, WindowAggregate> {
    private final Counter emitted = TelemetryMetrics.counter(TelemetryMetrics.AGGREGATES);
    private final Counter late = TelemetryMetrics.counter(TelemetryMetrics.LATE_PANES);
    private final Counter early = TelemetryMetrics.counter(TelemetryMetrics.EARLY_PANES);

    @ProcessElement
    public void process(
        @Element KV<SeriesKey, RunningStats> e,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<WindowAggregate> out) {
      SeriesKey k = e.getKey();
      RunningStats s = e.getValue();
      PaneTiming timing = switch (pane.getTiming()) {
        case EARLY -> PaneTiming.EARLY;
        case LATE -> PaneTiming.LATE;
        default -> PaneTiming.ON_TIME;
      };
      emitted.inc();
      if (timing == PaneTiming.LATE) {
        late.inc();
      } else if (timing == PaneTiming.EARLY) {
        early.inc();
      }
      out.output(WindowAggregate.newBuilder()
          .setId(aggregateId(k.getDeviceId(), k.getMetric(), window.start().getMillis()))
          .setDeviceId(k.getDeviceId())
          .setMetric(k.getMetric())
          .setDeviceType(k.getDeviceType())
          .setSite(k.getSite())
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

  /** The id every pane of one window shares, and a replay reproduces. */
  public static String aggregateId(String deviceId, String metric, long windowStartMs) {
    return deviceId + "|" + metric + "|" + windowStartMs;
  }
}
