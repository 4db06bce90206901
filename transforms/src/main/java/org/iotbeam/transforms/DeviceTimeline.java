package org.iotbeam.transforms;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.domain.alerting.AlertEvaluator;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.domain.alerting.DeviceAlertState;
import org.iotbeam.domain.alerting.OutOfOrderPolicy;
import org.iotbeam.domain.stats.DeviceSample;
import org.iotbeam.domain.stats.DeviceStats;
import org.iotbeam.domain.stats.DeviceWindows;
import org.iotbeam.domain.stats.TumblingWindows;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.DeviceProfile;
import org.iotbeam.proto.Reading;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A device's readings in the order they arrived, in one keyed step: redelivered copies dropped,
 * then every first copy evaluated for alerts (threshold rules, anomalies, trends and silence) and
 * added to its window's statistics. Outputs {@link #ALERTS}, {@link #WINDOW_STATS} (for {@link
 * WindowedStatistics}, which turns them into panes) and, when asked for with {@link
 * #withReadings()}, {@link #FIRST_COPIES}; else that output stays empty.
 *
 * <p><b>Why one step.</b> All three need the device's readings on one worker in arrival order; as
 * separate keyed steps every reading crossed another exchange (encoded, sent, decoded, its key
 * hashed again, and for the statistics a runner's window state and timers touched per reading) to
 * reach the same key on another operator.
 *
 * <p><b>Statistics.</b> Each first copy is added to its window's {@link DeviceStats} ({@link
 * DeviceWindows}) in arrival order. A window's statistics are handed on when the watermark passes
 * its end (a timer), then again after each late reading until its allowed lateness runs out, and,
 * with {@code eachReading} (early panes want them), after every reading: one element per window,
 * not one per reading, crosses to {@link WindowedStatistics}. A reading whose window's allowed
 * lateness has run out is not counted ({@value TelemetryMetrics#READINGS_PAST_LATENESS}). A
 * backfill adds every first copy and hands each window on once, at its end; since both add the same
 * readings in the same order, their statistics agree to the last bit.
 *
 * <p><b>Copies.</b> The same device, event time and content ({@link Reading#getContentHash()}) seen
 * again within {@code horizon} of event time: at-least-once transports (MQTT QoS 1, Kafka retries,
 * IoT Hub redelivery) make them normal, and they must not count twice in an average nor advance an
 * alert's streak. A stream keeps the content hashes of the device's recent readings and sweeps out
 * those older than the horizon at most every half horizon, so state stays bounded by the device's
 * rate times one and a half horizons. The first copy to arrive wins, in a stream as in a backfill.
 *
 * <p><b>On arrival.</b> A stream evaluates each reading the moment it arrives (one Kafka partition
 * per device keeps its order), so an alert leaves within the pipeline's latency of its reading
 * instead of waiting for the watermark. A reading older than the newest one already evaluated for
 * its device follows the {@link OutOfOrderPolicy}, counted either way ({@value
 * TelemetryMetrics#ALERT_READINGS_OUT_OF_ORDER} plus the policy). Silence (no data) still runs on
 * event time: a timer at the last reading plus the silence, fired by the watermark.
 *
 * <p><b>Batch == streaming.</b> A bounded input (a backfill) has no arrival, so it is rebuilt: each
 * device's readings are sorted by {@link ArrivalOrder} (ingest time, partition, offset), copies
 * dropped and the rest evaluated in that order by the same {@link AlertEvaluator}. Silence between
 * two readings is raised when the later reading's event time has passed the deadline; after the
 * last reading, at the deadline (the backfill drops those after its range). A backfill remembers
 * every reading of its input (its watermark does not move until the input ends), so it also drops a
 * copy redelivered after the horizon, which a stream would have let through.
 */
public class DeviceTimeline extends PTransform<PCollection<Reading>, PCollectionTuple> {
  /**
   * Each device's readings without their copies, stamped with their event time; empty unless {@link
   * #withReadings()}.
   */
  public static final TupleTag<Reading> FIRST_COPIES = new TupleTag<>("firstCopies") {};

  /** Raised and cleared alerts. */
  public static final TupleTag<Alert> ALERTS = new TupleTag<>("alerts") {};

  /** A device's window statistics so far, stamped inside the window, each time they are due. */
  public static final TupleTag<KV<String, DeviceStats>> WINDOW_STATS =
      new TupleTag<>("windowStats") {};

  private final Duration horizon;
  private final AlertRules rules;
  private final OutOfOrderPolicy outOfOrder;
  private final TumblingWindows windows;
  private final boolean eachReading;
  private final boolean keepReadings;

  /**
   * @param windows the statistics' windows
   * @param eachReading hand a window's statistics on after every reading, not only when due (for
   *     early panes)
   */
  public DeviceTimeline(
      Duration horizon,
      AlertRules rules,
      OutOfOrderPolicy outOfOrder,
      TumblingWindows windows,
      boolean eachReading) {
    this(horizon, rules, outOfOrder, windows, eachReading, false);
  }

  private DeviceTimeline(
      Duration horizon,
      AlertRules rules,
      OutOfOrderPolicy outOfOrder,
      TumblingWindows windows,
      boolean eachReading,
      boolean keepReadings) {
    this.horizon = horizon;
    this.rules = rules;
    this.outOfOrder = outOfOrder;
    this.windows = windows;
    this.eachReading = eachReading;
    this.keepReadings = keepReadings;
  }

  /**
   * Also outputs every first copy ({@link #FIRST_COPIES}). Off by default: no shipped sink needs
   * them, and on Flink's batch runner every element of a step with several outputs is encoded once
   * per consumer of any of them, so unused readings cost a backfill a third of its time.
   */
  public DeviceTimeline withReadings() {
    return new DeviceTimeline(horizon, rules, outOfOrder, windows, eachReading, true);
  }

  @Override
  public PCollectionTuple expand(PCollection<Reading> readings) {
    if (readings.isBounded() == PCollection.IsBounded.BOUNDED) {
      return readings
          .apply("PackByDevice", ParDo.of(new PackByDeviceFn()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
          .apply(fromPacks(PackedReadings.READINGS));
    }
    PCollection<Reading> timeline = readings;
    if (!(readings.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      // a stream from a source is in the global window already: no operator for nothing
      timeline = readings.apply("PerDeviceTimeline", Window.into(new GlobalWindows()));
    }
    return withCoders(
        timeline
            .apply(
                "KeyByDevice",
                WithKeys.of((Reading r) -> r.getTelemetry().getDeviceId())
                    .withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.READING))
            .apply(
                "OnArrival",
                ParDo.of(
                        new OnArrivalFn(
                            horizon, rules, outOfOrder, windows, eachReading, keepReadings))
                    .withOutputTags(FIRST_COPIES, TupleTagList.of(ALERTS).and(WINDOW_STATS))));
  }

  /**
   * The bounded rendition from each device's readings in packs ({@link PackedReadings}, stamped
   * with their earliest reading): grouped by device, then replayed in arrival order. Through the
   * grouping in packs, not one element per reading: Flink's batch GroupByKey sorts on both sides of
   * the exchange and decodes both keys for each comparison.
   *
   * @param unpacker what the packs hold: readings, or the messages to parse them from
   */
  PTransform<PCollection<KV<String, byte[]>>, PCollectionTuple> fromPacks(
      PackedReadings.Unpacker unpacker) {
    return new PTransform<>("DeviceTimeline") {
      @Override
      public PCollectionTuple expand(PCollection<KV<String, byte[]>> packs) {
        return withCoders(
            packs
                // a device's group is stamped with its first reading, so its outputs (never
                // earlier) may keep their own event times
                .apply(
                    "PerDeviceTimeline",
                    Window.<KV<String, byte[]>>into(new GlobalWindows())
                        .withTimestampCombiner(TimestampCombiner.EARLIEST))
                .apply("GroupByDevice", GroupByKey.create())
                .apply(
                    "InArrivalOrder",
                    ParDo.of(
                            new InArrivalOrderFn(
                                rules, outOfOrder, windows, keepReadings, unpacker))
                        .withOutputTags(FIRST_COPIES, TupleTagList.of(ALERTS).and(WINDOW_STATS))));
      }
    };
  }

  private static PCollectionTuple withCoders(PCollectionTuple out) {
    out.get(FIRST_COPIES).setCoder(Coders.READING);
    out.get(ALERTS).setCoder(Coders.ALERT);
    out.get(WINDOW_STATS).setCoder(KvCoder.of(StringUtf8Coder.of(), DeviceStatsCoder.of()));
    return out;
  }

  /** What both renditions share: the evaluator, the policy and the counters. */
  abstract static class TimelineFn<InputT> extends DoFn<InputT, Reading> {
    final AlertEvaluator evaluator;
    final OutOfOrderPolicy outOfOrder;
    final TumblingWindows windows;
    final boolean keepReadings;
    final Counter duplicates = TelemetryMetrics.counter(TelemetryMetrics.DUPLICATES);
    private final Counter suppressed = TelemetryMetrics.counter(TelemetryMetrics.ALERTS_SUPPRESSED);
    private final Counter late =
        TelemetryMetrics.counter(TelemetryMetrics.ALERT_READINGS_OUT_OF_ORDER);
    private final Counter latePolicy;

    TimelineFn(
        AlertRules rules,
        OutOfOrderPolicy outOfOrder,
        TumblingWindows windows,
        boolean keepReadings) {
      this.evaluator = new AlertEvaluator(rules);
      this.keepReadings = keepReadings;
      this.outOfOrder = outOfOrder;
      this.windows = windows;
      this.latePolicy =
          TelemetryMetrics.counter(
              TelemetryMetrics.ALERT_READINGS_OUT_OF_ORDER
                  + "_"
                  + outOfOrder.name().toLowerCase(Locale.ROOT));
    }

    /** Evaluates one reading against the device's state; empty when the policy skips it. */
    List<Alert> evaluate(DeviceAlertState state, Reading r) {
      if (r.getTelemetry().getTimestampMs() < state.lastReadingMs()) {
        late.inc();
        latePolicy.inc();
        if (outOfOrder == OutOfOrderPolicy.SKIP) {
          return List.of();
        }
      }
      AlertEvaluator.Outcome outcome = evaluator.onReading(state, r);
      if (outcome.suppressed() > 0) { // a metric update costs lookups even when it adds 0
        suppressed.inc(outcome.suppressed());
      }
      outcome.alerts().forEach(TimelineFn::count);
      return outcome.alerts();
    }

    /** The reading's metrics for its window; null when it carries none. */
    static DeviceSample sample(Reading r) {
      DeviceSample s =
          DeviceSample.of(r.getTelemetry(), r.getDevice().getDeviceType(), r.getDevice().getSite());
      return s.present() == 0 ? null : s;
    }

    static void count(Alert a) {
      String prefix =
          a.getState() == AlertState.RAISED
              ? TelemetryMetrics.ALERTS_RAISED_PREFIX
              : TelemetryMetrics.ALERTS_CLEARED_PREFIX;
      TelemetryMetrics.counter(prefix + a.getSeverity().name().toLowerCase(Locale.ROOT)).inc();
    }
  }

  /**
   * The stream: one state cell per device ({@link DeviceTimelineState}), one reading at a time as
   * it comes. Timers are moved lazily: a reading only sets one when none is pending or its new due
   * time is earlier, and a timer that fires early re-arms itself, so a steady device costs a timer
   * operation per silence period, per half horizon and per window, not one per reading. Every timer
   * that fires tells the device's windows how far the watermark has come.
   */
  static class OnArrivalFn extends TimelineFn<KV<String, Reading>> {
    private final long horizonMs;
    private final boolean eachReading;
    private final Counter pastLateness =
        TelemetryMetrics.counter(TelemetryMetrics.READINGS_PAST_LATENESS);

    @StateId("timeline")
    private final StateSpec<ValueState<DeviceTimelineState>> timelineSpec =
        StateSpecs.value(DeviceTimelineStateCoder.of());

    @TimerId("sweep")
    private final TimerSpec sweepSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("silence")
    private final TimerSpec silenceSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("windows")
    private final TimerSpec windowsSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    OnArrivalFn(
        Duration horizon,
        AlertRules rules,
        OutOfOrderPolicy outOfOrder,
        TumblingWindows windows,
        boolean eachReading,
        boolean keepReadings) {
      super(rules, outOfOrder, windows, keepReadings);
      this.horizonMs = horizon.getMillis();
      this.eachReading = eachReading;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Reading> e,
        @Timestamp Instant timestamp,
        @StateId("timeline") ValueState<DeviceTimelineState> cell,
        @TimerId("sweep") Timer sweep,
        @TimerId("silence") Timer silence,
        @TimerId("windows") Timer windowsTimer,
        MultiOutputReceiver out) {
      Reading r = e.getValue();
      DeviceTimelineState s = Optional.ofNullable(cell.read()).orElseGet(DeviceTimelineState::new);
      ContentHash.Bits hash = ContentHash.parse(r.getContentHash());
      if (hash != null && !s.recent.add(hash.low(), timestamp.getMillis())) {
        duplicates.inc();
        return;
      }
      if (s.sweepAt == DeviceTimelineState.NONE) {
        // relative to the reading, not to the watermark: the watermark may sit far behind
        s.sweepAt = timestamp.getMillis() + horizonMs;
        sweep.set(new Instant(s.sweepAt));
      }
      if (keepReadings) {
        out.get(FIRST_COPIES).output(r);
      }
      addToWindow(e.getKey(), r, s, windowsTimer, out);

      long newestBefore = s.alerts.lastReadingMs();
      for (Alert a : evaluate(s.alerts, r)) {
        // an alert is stamped with its reading's event time, never before the element's own
        out.get(ALERTS)
            .outputWithTimestamp(
                a, new Instant(Math.max(a.getEventTimeMs(), timestamp.getMillis())));
      }
      if (s.alerts.lastReadingMs() != newestBefore) {
        s.profile = r.getDevice();
        Optional<Long> deadline = evaluator.silenceDeadline(s.alerts);
        if (deadline.isPresent()
            && (s.silenceAt == DeviceTimelineState.NONE || deadline.get() < s.silenceAt)) {
          s.silenceAt = deadline.get();
          silence.set(new Instant(s.silenceAt));
        }
      }
      cell.write(s);
    }

    private void addToWindow(
        String device,
        Reading r,
        DeviceTimelineState s,
        Timer windowsTimer,
        MultiOutputReceiver out) {
      DeviceSample sample = sample(r);
      if (sample == null) {
        return;
      }
      DeviceWindows.Window w = s.windows.add(sample, windows);
      switch (DeviceWindows.admission(w)) {
        case EXPIRED -> pastLateness.inc();
        case LATE -> out.get(WINDOW_STATS).output(KV.of(device, w.stats().copy()));
        case OPEN -> {
          if (eachReading) {
            out.get(WINDOW_STATS).output(KV.of(device, w.stats().copy()));
          }
        }
      }
      long due = s.windows.nextDue(windows);
      if (due != Long.MAX_VALUE && (s.windowsAt == DeviceTimelineState.NONE || due < s.windowsAt)) {
        s.windowsAt = due;
        windowsTimer.set(new Instant(due));
      }
    }

    @OnTimer("windows")
    public void onWindows(
        OnTimerContext c,
        @Key String device,
        @StateId("timeline") ValueState<DeviceTimelineState> cell,
        @TimerId("windows") Timer windowsTimer) {
      DeviceTimelineState s = cell.read();
      if (s == null) {
        return;
      }
      s.windowsAt = DeviceTimelineState.NONE;
      // a window is handed on at its last instant, never before this timer's own (the earliest due)
      s.windows.advanceTo(
          c.timestamp().getMillis(),
          windows,
          w ->
              c.outputWithTimestamp(
                  WINDOW_STATS,
                  KV.of(device, w.stats().copy()),
                  new Instant(windows.lastInstant(w.startMs()))));
      long due = s.windows.nextDue(windows);
      if (due != Long.MAX_VALUE) {
        s.windowsAt = due;
        windowsTimer.set(new Instant(due));
      }
      cell.write(s);
    }

    @OnTimer("sweep")
    public void onSweep(
        OnTimerContext c,
        @StateId("timeline") ValueState<DeviceTimelineState> cell,
        @TimerId("sweep") Timer sweep) {
      DeviceTimelineState s = cell.read();
      if (s == null) {
        return;
      }
      long now = c.timestamp().getMillis();
      s.windows.learnWatermarkPast(now);
      s.recent.forgetUpTo(now - horizonMs);
      if (s.recent.isEmpty()) {
        s.sweepAt = DeviceTimelineState.NONE;
      } else {
        s.sweepAt = Math.max(s.recent.oldestTimestampMs() + horizonMs, now + horizonMs / 2);
        sweep.set(new Instant(s.sweepAt));
      }
      cell.write(s);
    }

    @OnTimer("silence")
    public void onSilence(
        OnTimerContext c,
        @StateId("timeline") ValueState<DeviceTimelineState> cell,
        @TimerId("silence") Timer silence) {
      DeviceTimelineState s = cell.read();
      if (s == null) {
        return;
      }
      long now = c.timestamp().getMillis();
      s.windows.learnWatermarkPast(now);
      s.silenceAt = DeviceTimelineState.NONE;
      Optional<Long> deadline = evaluator.silenceDeadline(s.alerts);
      if (deadline.isPresent() && deadline.get() > now) { // readings came since: not yet
        s.silenceAt = deadline.get();
        silence.set(new Instant(s.silenceAt));
      } else {
        Optional<Alert> alert = evaluator.onSilence(s.alerts, s.profile, now);
        if (alert.isPresent()) {
          count(alert.get());
          c.output(ALERTS, alert.get());
        }
      }
      cell.write(s);
    }
  }

  /**
   * A bounded input's readings in packs per device ({@link PackedReadings}), each stamped with its
   * earliest reading (the grouping's timestamp stays the device's earliest).
   */
  static class PackByDeviceFn extends DoFn<Reading, KV<String, byte[]>> {
    private transient PackedReadings.Packer packer;

    @StartBundle
    public void startBundle() {
      packer = new PackedReadings.Packer();
    }

    @ProcessElement
    public void process(
        @Element Reading r, @Timestamp Instant timestamp, OutputReceiver<KV<String, byte[]>> out) {
      packer.add(r, timestamp.getMillis());
      packer.drain(p -> out.outputWithTimestamp(p.element(), p.timestamp()));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      packer.flush();
      packer.drain(p -> c.output(p.element(), p.timestamp(), GlobalWindow.INSTANCE));
    }

    /** A pack is stamped with its earliest reading, which may precede the current one. */
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }

  /** A backfill: a device's readings at once, replayed in the order streaming saw them. */
  static class InArrivalOrderFn extends TimelineFn<KV<String, Iterable<byte[]>>> {
    private final PackedReadings.Unpacker unpacker;

    InArrivalOrderFn(
        AlertRules rules,
        OutOfOrderPolicy outOfOrder,
        TumblingWindows windows,
        boolean keepReadings,
        PackedReadings.Unpacker unpacker) {
      super(rules, outOfOrder, windows, keepReadings);
      this.unpacker = unpacker;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<byte[]>> e, MultiOutputReceiver out) {
      List<Reading> readings = new ArrayList<>();
      for (byte[] pack : e.getValue()) {
        unpacker.forEach(pack, readings::add);
      }
      readings.sort(ArrivalOrder.READINGS);
      Set<String> seen = new HashSet<>();
      DeviceAlertState state = new DeviceAlertState();
      DeviceWindows deviceWindows = new DeviceWindows(); // a backfill has no watermark: all open
      DeviceProfile profile = null;
      for (Reading r : readings) {
        if (!seen.add(r.getContentHash())) {
          duplicates.inc();
          continue;
        }
        long ts = r.getTelemetry().getTimestampMs();
        if (keepReadings) {
          out.get(FIRST_COPIES).outputWithTimestamp(r, new Instant(ts));
        }
        DeviceSample sample = sample(r);
        if (sample != null) {
          deviceWindows.add(sample, windows);
        }
        Optional<Long> deadline = evaluator.silenceDeadline(state);
        if (profile != null && deadline.isPresent() && ts > deadline.get()) {
          emitSilence(state, profile, deadline.get(), out);
        }
        long newestBefore = state.lastReadingMs();
        for (Alert a : evaluate(state, r)) {
          out.get(ALERTS).outputWithTimestamp(a, new Instant(a.getEventTimeMs()));
        }
        if (state.lastReadingMs() != newestBefore) {
          profile = r.getDevice();
        }
      }
      Optional<Long> last = evaluator.silenceDeadline(state);
      if (profile != null && last.isPresent()) {
        emitSilence(state, profile, last.get(), out);
      }
      for (DeviceWindows.Window w : deviceWindows.windows()) {
        out.get(WINDOW_STATS)
            .outputWithTimestamp(
                KV.of(e.getKey(), w.stats()), new Instant(windows.lastInstant(w.startMs())));
      }
    }

    private void emitSilence(
        DeviceAlertState state, DeviceProfile profile, long at, MultiOutputReceiver out) {
      evaluator
          .onSilence(state, profile, at)
          .ifPresent(
              a -> {
                count(a);
                out.get(ALERTS).outputWithTimestamp(a, new Instant(a.getEventTimeMs()));
              });
    }
  }
}
