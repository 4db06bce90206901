package org.iotbeam.transforms;

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
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.domain.alerting.AlertEvaluator;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.domain.alerting.DeviceAlertState;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.DeviceProfile;
import org.iotbeam.proto.Reading;
import org.joda.time.Instant;

/**
 * Raises and clears alerts per device: threshold rules, anomalies, trends and silence.
 *
 * <p>Each device's readings are evaluated in event-time order ({@link RequiresTimeSortedInput}:
 * the runner buffers them until the watermark passes), so a "three readings in a row" rule means
 * the same in a stream that arrives out of order as in a sorted batch file, and batch and
 * streaming raise the same alerts. A reading that arrives after the watermark has passed it is
 * not evaluated (the runner drops it from this step only; it still counts in the aggregates).
 */
public class DetectAlerts extends PTransform<PCollection<Reading>, PCollection<Alert>> {
  private final AlertRules rules;

  public DetectAlerts(AlertRules rules) {
    this.rules = rules;
  }

  @Override
  public PCollection<Alert> expand(PCollection<Reading> readings) {
    return readings
        .apply("PerDeviceTimeline", Window.<Reading>into(new GlobalWindows()))
        .apply("KeyByDevice", WithKeys.of((Reading r) -> r.getTelemetry().getDeviceId())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.READING))
        .apply("Evaluate", ParDo.of(new DetectFn(rules)))
        .setCoder(Coders.ALERT);
  }

  static class DetectFn extends DoFn<KV<String, Reading>, Alert> {
    private final AlertEvaluator evaluator;
    private final Counter suppressed = TelemetryMetrics.counter(TelemetryMetrics.ALERTS_SUPPRESSED);

    @StateId("device")
    private final StateSpec<ValueState<DeviceAlertState>> deviceSpec =
        StateSpecs.value(DeviceAlertStateCoder.of());

    @StateId("profile")
    private final StateSpec<ValueState<DeviceProfile>> profileSpec =
        StateSpecs.value(Coders.DEVICE_PROFILE);

    @TimerId("silence")
    private final TimerSpec silenceSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    DetectFn(AlertRules rules) {
      this.evaluator = new AlertEvaluator(rules);
    }

    @RequiresTimeSortedInput
    @ProcessElement
    public void process(
        @Element KV<String, Reading> e,
        @StateId("device") ValueState<DeviceAlertState> deviceState,
        @StateId("profile") ValueState<DeviceProfile> profile,
        @TimerId("silence") Timer silence,
        OutputReceiver<Alert> out) {
      DeviceAlertState state = Optional.ofNullable(deviceState.read())
          .orElseGet(DeviceAlertState::new);
      AlertEvaluator.Outcome outcome = evaluator.onReading(state, e.getValue());
      suppressed.inc(outcome.suppressed());
      for (Alert a : outcome.alerts()) {
        count(a);
        out.outputWithTimestamp(a, new Instant(a.getEventTimeMs()));
      }
      deviceState.write(state);
      profile.write(e.getValue().getDevice());
      Optional<Long> deadline = evaluator.silenceDeadline(state);
      if (deadline.isPresent()) {
        silence.set(new Instant(deadline.get()));
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

    private static void count(Alert a) {
      String prefix = a.getState() == AlertState.RAISED
          ? TelemetryMetrics.ALERTS_RAISED_PREFIX
          : TelemetryMetrics.ALERTS_CLEARED_PREFIX;
      TelemetryMetrics.counter(prefix + a.getSeverity().name().toLowerCase(Locale.ROOT)).inc();
    }
  }
}
