package org.iotbeam.transforms;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.MapState;
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
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.DeviceProfile;
import org.iotbeam.proto.Reading;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A device's readings in the order they arrived, in one keyed step: redelivered copies dropped,
 * then every first copy evaluated for alerts (threshold rules, anomalies, trends and silence).
 * Outputs {@link #FIRST_COPIES} (for the windowed statistics) and {@link #ALERTS}.
 *
 * <p><b>Why one step.</b> Both need the device's readings on one worker in arrival order; as
 * two keyed steps every reading crossed a second exchange (encoded, sent, decoded, its key
 * hashed again) to reach the same key on another operator.
 *
 * <p><b>Copies.</b> The same device, event time and content ({@link Reading#getContentHash()})
 * seen again within {@code horizon} of event time: at-least-once transports (MQTT QoS 1, Kafka
 * retries, IoT Hub redelivery) make them normal, and they must not count twice in an average nor
 * advance an alert's streak. A stream keeps the content hashes of the device's recent readings and
 * sweeps out those older than the horizon at most every half horizon, so state stays bounded by
 * the device's rate times one and a half horizons. The first copy to arrive wins, in a stream as in
 * a backfill.
 *
 * <p><b>On arrival.</b> A stream evaluates each reading the moment it arrives (one Kafka
 * partition per device keeps its order), so an alert leaves within the pipeline's latency of its
 * reading instead of waiting for the watermark. A reading older than the newest one already
 * evaluated for its device follows the {@link OutOfOrderPolicy}, counted either way ({@value
 * TelemetryMetrics#ALERT_READINGS_OUT_OF_ORDER} plus the policy). Silence (no data) still runs on
 * event time: a timer at the last reading plus the silence, fired by the watermark.
 *
 * <p><b>Batch == streaming.</b> A bounded input (a backfill) has no arrival, so it is rebuilt:
 * each device's readings are sorted by {@link ArrivalOrder} (ingest time, partition, offset),
 * copies dropped and the rest evaluated in that order by the same {@link AlertEvaluator}. Silence
 * between two readings is raised when the later reading's event time has passed the deadline;
 * after the last reading, at the deadline (the backfill drops those after its range). A backfill
 * remembers every reading of its input (its watermark does not move until the input ends), so it
 * also drops a copy redelivered after the horizon, which a stream would have let through.
 */
public class DeviceTimeline extends PTransform<PCollection<Reading>, PCollectionTuple> {
  /** Each device's readings without their copies, stamped with their event time. */
  public static final TupleTag<Reading> FIRST_COPIES = new TupleTag<>("firstCopies") {};
  /** Raised and cleared alerts. */
  public static final TupleTag<Alert> ALERTS = new TupleTag<>("alerts") {};

  private final Duration horizon;
  private final AlertRules rules;
  private final OutOfOrderPolicy outOfOrder;

  public DeviceTimeline(Duration horizon, AlertRules rules, OutOfOrderPolicy outOfOrder) {
    this.horizon = horizon;
    this.rules = rules;
    this.outOfOrder = outOfOrder;
  }

  @Override
  public PCollectionTuple expand(PCollection<Reading> readings) {
    boolean bounded = readings.isBounded() == PCollection.IsBounded.BOUNDED;
    Window<Reading> timeline = Window.into(new GlobalWindows());
    if (bounded) {
      // a device's group is stamped with its first reading, so its outputs (never earlier) may
      // keep their own event times
      timeline = timeline.withTimestampCombiner(TimestampCombiner.EARLIEST);
    }
    PCollection<KV<String, Reading>> byDevice = readings
        .apply("PerDeviceTimeline", timeline)
        .apply("KeyByDevice", WithKeys.of((Reading r) -> r.getTelemetry().getDeviceId())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.READING));
    TupleTagList alertsTag = TupleTagList.of(ALERTS);
    PCollectionTuple out = bounded
        ? byDevice
            .apply("GroupByDevice", GroupByKey.create())
            .apply("InArrivalOrder", ParDo.of(new InArrivalOrderFn(rules, outOfOrder))
                .withOutputTags(FIRST_COPIES, alertsTag))
        : byDevice.apply("OnArrival", ParDo.of(new OnArrivalFn(horizon, rules, outOfOrder))
            .withOutputTags(FIRST_COPIES, alertsTag));
    out.get(FIRST_COPIES).setCoder(Coders.READING);
    out.get(ALERTS).setCoder(Coders.ALERT);
    return out;
  }

  /** What both renditions share: the evaluator, the policy and the counters. */
  abstract static class TimelineFn<InputT> extends DoFn<InputT, Reading> {
    final AlertEvaluator evaluator;
    final OutOfOrderPolicy outOfOrder;
    final Counter duplicates = TelemetryMetrics.counter(TelemetryMetrics.DUPLICATES);
    private final Counter suppressed = TelemetryMetrics.counter(TelemetryMetrics.ALERTS_SUPPRESSED);
    private final Counter late = TelemetryMetrics.counter(
        TelemetryMetrics.ALERT_READINGS_OUT_OF_ORDER);
    private final Counter latePolicy;

    TimelineFn(AlertRules rules, OutOfOrderPolicy outOfOrder) {
      this.evaluator = new AlertEvaluator(rules);
      this.outOfOrder = outOfOrder;
      this.latePolicy = TelemetryMetrics.counter(TelemetryMetrics.ALERT_READINGS_OUT_OF_ORDER
          + "_" + outOfOrder.name().toLowerCase(Locale.ROOT));
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
      suppressed.inc(outcome.suppressed());
      outcome.alerts().forEach(TimelineFn::count);
      return outcome.alerts();
    }

    static void count(Alert a) {
      String prefix = a.getState() == AlertState.RAISED
          ? TelemetryMetrics.ALERTS_RAISED_PREFIX
          : TelemetryMetrics.ALERTS_CLEARED_PREFIX;
      TelemetryMetrics.counter(prefix + a.getSeverity().name().toLowerCase(Locale.ROOT)).inc();
    }
  }

  /** The stream: state per device, one reading at a time as it comes. */
  static class OnArrivalFn extends TimelineFn<KV<String, Reading>> {
    private final long horizonMs;

    /** Content hash -> event time, of the device's recent readings. */
    @StateId("seen")
    private final StateSpec<MapState<String, Long>> seenSpec =
        StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

    /** When the sweep timer is due, or null when none is set. */
    @StateId("sweepAt")
    private final StateSpec<ValueState<Long>> sweepAtSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("sweep")
    private final TimerSpec sweepSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @StateId("device")
    private final StateSpec<ValueState<DeviceAlertState>> deviceSpec =
        StateSpecs.value(DeviceAlertStateCoder.of());

    @StateId("profile")
    private final StateSpec<ValueState<DeviceProfile>> profileSpec =
        StateSpecs.value(Coders.DEVICE_PROFILE);

    @TimerId("silence")
    private final TimerSpec silenceSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    OnArrivalFn(Duration horizon, AlertRules rules, OutOfOrderPolicy outOfOrder) {
      super(rules, outOfOrder);
      this.horizonMs = horizon.getMillis();
    }

    @ProcessElement
    public void process(
        @Element KV<String, Reading> e,
        @Timestamp Instant timestamp,
        @StateId("seen") MapState<String, Long> seen,
        @StateId("sweepAt") ValueState<Long> sweepAt,
        @TimerId("sweep") Timer sweep,
        @StateId("device") ValueState<DeviceAlertState> deviceState,
        @StateId("profile") ValueState<DeviceProfile> profile,
        @TimerId("silence") Timer silence,
        MultiOutputReceiver out) {
      Reading r = e.getValue();
      String hash = r.getContentHash();
      if (seen.get(hash).read() != null) {
        duplicates.inc();
        return;
      }
      seen.put(hash, timestamp.getMillis());
      if (sweepAt.read() == null) {
        // relative to the reading, not to the watermark: the watermark may sit far behind
        long at = timestamp.getMillis() + horizonMs;
        sweep.set(new Instant(at));
        sweepAt.write(at);
      }
      out.get(FIRST_COPIES).output(r);

      DeviceAlertState state = Optional.ofNullable(deviceState.read())
          .orElseGet(DeviceAlertState::new);
      long newestBefore = state.lastReadingMs();
      for (Alert a : evaluate(state, r)) {
        // an alert is stamped with its reading's event time, never before the element's own
        out.get(ALERTS).outputWithTimestamp(a, new Instant(Math.max(a.getEventTimeMs(),
            timestamp.getMillis())));
      }
      deviceState.write(state);
      if (state.lastReadingMs() != newestBefore) {
        profile.write(r.getDevice());
        evaluator.silenceDeadline(state).ifPresent(d -> silence.set(new Instant(d)));
      }
    }

    @OnTimer("sweep")
    public void onSweep(
        OnTimerContext c,
        @StateId("seen") MapState<String, Long> seen,
        @StateId("sweepAt") ValueState<Long> sweepAt,
        @TimerId("sweep") Timer sweep) {
      long now = c.timestamp().getMillis();
      long oldestKept = Long.MAX_VALUE;
      List<String> expired = new ArrayList<>();
      for (Map.Entry<String, Long> entry : seen.entries().read()) {
        long ts = entry.getValue();
        if (ts + horizonMs <= now) {
          expired.add(entry.getKey());
        } else {
          oldestKept = Math.min(oldestKept, ts);
        }
      }
      expired.forEach(seen::remove); // not while iterating: the state's own iterator
      if (oldestKept == Long.MAX_VALUE) {
        sweepAt.clear();
        return;
      }
      long next = Math.max(oldestKept + horizonMs, now + horizonMs / 2);
      sweep.set(new Instant(next));
      sweepAt.write(next);
    }

    @OnTimer("silence")
    public void onSilence(
        OnTimerContext c,
        @StateId("device") ValueState<DeviceAlertState> deviceState,
        @StateId("profile") ValueState<DeviceProfile> profile) {
      DeviceAlertState state = deviceState.read();
      if (state == null) {
        return;
      }
      Optional<Alert> alert =
          evaluator.onSilence(state, profile.read(), c.timestamp().getMillis());
      if (alert.isPresent()) {
        count(alert.get());
        c.output(ALERTS, alert.get());
        deviceState.write(state);
      }
    }
  }

  /** A backfill: a device's readings at once, replayed in the order streaming saw them. */
  static class InArrivalOrderFn extends TimelineFn<KV<String, Iterable<Reading>>> {
    InArrivalOrderFn(AlertRules rules, OutOfOrderPolicy outOfOrder) {
      super(rules, outOfOrder);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Reading>> e, MultiOutputReceiver out) {
      List<Reading> readings = new ArrayList<>();
      e.getValue().forEach(readings::add);
      readings.sort(ArrivalOrder.READINGS);
      Set<String> seen = new HashSet<>();
      DeviceAlertState state = new DeviceAlertState();
      DeviceProfile profile = null;
      for (Reading r : readings) {
        if (!seen.add(r.getContentHash())) {
          duplicates.inc();
          continue;
        }
        long ts = r.getTelemetry().getTimestampMs();
        out.get(FIRST_COPIES).outputWithTimestamp(r, new Instant(ts));
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
    }

    private void emitSilence(DeviceAlertState state, DeviceProfile profile, long at,
        MultiOutputReceiver out) {
      evaluator.onSilence(state, profile, at).ifPresent(a -> {
        count(a);
        out.get(ALERTS).outputWithTimestamp(a, new Instant(a.getEventTimeMs()));
      });
    }
  }
}
