package org.iotbeam.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.domain.alerting.AlertEvaluator;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.domain.alerting.DeviceAlertState;
import org.iotbeam.domain.alerting.OutOfOrderPolicy;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.DeviceProfile;
import org.iotbeam.proto.Reading;
import org.joda.time.Instant;

/**
 * Raises and clears alerts per device: threshold rules, anomalies, trends and silence.
 *
 * <p><b>On arrival.</b> A stream evaluates each reading the moment it arrives, in the order its
 * device's messages arrive (one Kafka partition per device keeps that order), so an alert leaves
 * within the pipeline's latency of its reading instead of waiting for the watermark. A reading
 * older than the newest one already evaluated for its device follows the {@link
 * OutOfOrderPolicy}, counted either way ({@value TelemetryMetrics#ALERT_READINGS_OUT_OF_ORDER}
 * plus the policy). Silence (no data) still runs on event time: a timer at the last reading plus
 * the silence, fired by the watermark.
 *
 * <p><b>Batch == streaming.</b> A bounded input (a backfill) has no arrival, so it is rebuilt:
 * each device's readings are sorted by {@link ArrivalOrder} (ingest time, partition, offset) and
 * evaluated in that order by the same {@link AlertEvaluator}. Silence between two readings is
 * raised when the later reading's event time has passed the deadline; after the last reading,
 * at the deadline (the backfill drops those after its range).
 */
public class DetectAlerts extends PTransform<PCollection<Reading>, PCollection<Alert>> {
  private final AlertRules rules;
  private final OutOfOrderPolicy outOfOrder;

  public DetectAlerts(AlertRules rules) {
    this(rules, OutOfOrderPolicy.EVALUATE);
  }

  public DetectAlerts(AlertRules rules, OutOfOrderPolicy outOfOrder) {
    this.rules = rules;
    this.outOfOrder = outOfOrder;
  }

  @Override
  public PCollection<Alert> expand(PCollection<Reading> readings) {
    boolean bounded = readings.isBounded() == PCollection.IsBounded.BOUNDED;
    Window<Reading> timeline = Window.into(new GlobalWindows());
    if (bounded) {
      // a device's group is stamped with its first reading, so its alerts (never earlier) may
      // keep their own event times
      timeline = timeline.withTimestampCombiner(TimestampCombiner.EARLIEST);
    }
    PCollection<KV<String, Reading>> byDevice = readings
        .apply("PerDeviceTimeline", timeline)
        .apply("KeyByDevice", WithKeys.of((Reading r) -> r.getTelemetry().getDeviceId())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.READING));
    PCollection<Alert> alerts = bounded
        ? byDevice
            .apply("GroupByDevice", GroupByKey.create())
            .apply("EvaluateInArrivalOrder", ParDo.of(new InArrivalOrderFn(rules, outOfOrder)))
        : byDevice.apply("EvaluateOnArrival", ParDo.of(new OnArrivalFn(rules, outOfOrder)));
    return alerts.setCoder(Coders.ALERT);
  }

  /** What both renditions share: the evaluator, the policy and the counters. */
  abstract static class EvaluateFn<InputT> extends DoFn<InputT, Alert> {
    final AlertEvaluator evaluator;
    final OutOfOrderPolicy outOfOrder;
    private final Counter suppressed = TelemetryMetrics.counter(TelemetryMetrics.ALERTS_SUPPRESSED);
    private final Counter late = TelemetryMetrics.counter(
        TelemetryMetrics.ALERT_READINGS_OUT_OF_ORDER);
    private final Counter latePolicy;

    EvaluateFn(AlertRules rules, OutOfOrderPolicy outOfOrder) {
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
      outcome.alerts().forEach(EvaluateFn::count);
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
  static class OnArrivalFn extends EvaluateFn<KV<String, Reading>> {
    @StateId("device")
    private final StateSpec<ValueState<DeviceAlertState>> deviceSpec =
        StateSpecs.value(DeviceAlertStateCoder.of());

    @StateId("profile")
    private final StateSpec<ValueState<DeviceProfile>> profileSpec =
        StateSpecs.value(Coders.DEVICE_PROFILE);

    @TimerId("silence")
    private final TimerSpec silenceSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    OnArrivalFn(AlertRules rules, OutOfOrderPolicy outOfOrder) {
      super(rules, outOfOrder);
    }

    @ProcessElement
    public void process(
        @Element KV<String, Reading> e,
        @Timestamp Instant timestamp,
        @StateId("device") ValueState<DeviceAlertState> deviceState,
        @StateId("profile") ValueState<DeviceProfile> profile,
        @TimerId("silence") Timer silence,
        OutputReceiver<Alert> out) {
      DeviceAlertState state = Optional.ofNullable(deviceState.read())
          .orElseGet(DeviceAlertState::new);
      long newestBefore = state.lastReadingMs();
      List<Alert> alerts = evaluate(state, e.getValue());
      for (Alert a : alerts) {
        // an alert is stamped with its reading's event time, never before the element's own
        out.outputWithTimestamp(a, new Instant(Math.max(a.getEventTimeMs(),
            timestamp.getMillis())));
      }
      deviceState.write(state);
      if (state.lastReadingMs() != newestBefore) {
        profile.write(e.getValue().getDevice());
        evaluator.silenceDeadline(state).ifPresent(d -> silence.set(new Instant(d)));
      }
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
        c.output(alert.get());
        deviceState.write(state);
      }
    }
  }

  /** A backfill: a device's readings at once, replayed in the order streaming saw them. */
  static class InArrivalOrderFn extends EvaluateFn<KV<String, Iterable<Reading>>> {
    InArrivalOrderFn(AlertRules rules, OutOfOrderPolicy outOfOrder) {
      super(rules, outOfOrder);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Reading>> e, OutputReceiver<Alert> out) {
      List<Reading> readings = new ArrayList<>();
      e.getValue().forEach(readings::add);
      readings.sort(ArrivalOrder.READINGS);
      DeviceAlertState state = new DeviceAlertState();
      DeviceProfile profile = null;
      for (Reading r : readings) {
        long ts = r.getTelemetry().getTimestampMs();
        Optional<Long> deadline = evaluator.silenceDeadline(state);
        if (profile != null && deadline.isPresent() && ts > deadline.get()) {
          emitSilence(state, profile, deadline.get(), out);
        }
        long newestBefore = state.lastReadingMs();
        for (Alert a : evaluate(state, r)) {
          out.outputWithTimestamp(a, new Instant(a.getEventTimeMs()));
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
        OutputReceiver<Alert> out) {
      evaluator.onSilence(state, profile, at).ifPresent(a -> {
        count(a);
        out.outputWithTimestamp(a, new Instant(a.getEventTimeMs()));
      });
    }
  }
}
