package org.iotbeam.domain.alerting;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import org.iotbeam.domain.Metric;
import org.iotbeam.domain.alerting.ConditionTracker.Transition;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertKind;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.DeviceProfile;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.Severity;
import org.iotbeam.proto.Telemetry;

/**
 * Evaluates one device's readings, in event-time order, against {@link AlertRules}, and says
 * which alerts are raised or cleared. Stateless: the device's memory is the
 * {@link DeviceAlertState} passed in, so the same code runs in a Beam stateful DoFn and in a test.
 */
public final class AlertEvaluator implements Serializable {
  public static final String NO_DATA_RULE = "no-data";

  private final AlertRules rules;

  /** How many raises the cooldown swallowed, for the caller's metrics. */
  public record Outcome(List<Alert> alerts, int suppressed) {}

  public AlertEvaluator(AlertRules rules) {
    this.rules = rules;
  }

  public Outcome onReading(DeviceAlertState state, Reading reading) {
    Telemetry t = reading.getTelemetry();
    long ts = t.getTimestampMs();
    DeviceProfile device = reading.getDevice();
    String trace = reading.getInbound().getTraceparent();
    List<Alert> out = new ArrayList<>();
    int suppressed = 0;

    for (ThresholdRule rule : rules.thresholds()) {
      if (!rule.appliesTo(device.getDeviceType())) {
        continue;
      }
      OptionalDouble v = rule.metricEnum().valueOf(t);
      if (v.isEmpty()) {
        continue;
      }
      double x = v.getAsDouble();
      ConditionTracker c = state.condition(rule.id());
      Transition tr = c.step(rule.operator().test(x, rule.value()), ts, rule.forReadings(),
          rule.forMillis(), rule.cooldownMillis());
      suppressed += emit(out, tr, c, device, rule.id(), AlertKind.THRESHOLD, rule.metric(),
          rule.severityEnum(), rule.priority(), ts, x, rule.value(),
          () -> rule.description() != null && !rule.description().isBlank()
              ? rule.description()
              : rule.metric() + " " + rule.operator().symbol() + " " + rule.value(), trace);
    }

    AnomalySettings a = rules.anomaly();
    if (a.enabled()) {
      for (String metricId : a.metrics()) {
        Metric m = Metric.fromId(metricId);
        OptionalDouble v = m.valueOf(t);
        if (v.isEmpty()) {
          continue;
        }
        double x = v.getAsDouble();
        EwmaStats baseline = state.baselines.computeIfAbsent(m, k -> new EwmaStats());
        double z = baseline.zScore(x);
        boolean holds = baseline.count() >= a.warmUpReadings() && z > a.zThreshold();
        double expected = baseline.mean();
        baseline.update(x, a.alpha());
        String id = "anomaly:" + m.id();
        ConditionTracker c = state.condition(id);
        Transition tr = c.step(holds, ts, 1, 0, Math.round(a.cooldownMinutes() * 60_000));
        suppressed += emit(out, tr, c, device, id, AlertKind.ANOMALY, m.id(),
            AlertRules.severityOf(a.severity(), "anomaly"), a.priority(), ts, x, a.zThreshold(),
            () -> String.format("%s=%.3f is %.1f standard deviations from its recent mean %.3f",
                m.id(), x, Double.isNaN(z) ? 0 : z, expected), trace);
      }
    }

    for (TrendRule rule : rules.trends()) {
      Metric m = Metric.fromId(rule.metric());
      OptionalDouble v = m.valueOf(t);
      if (v.isEmpty()) {
        continue;
      }
      double x = v.getAsDouble();
      TrendWindow w = state.trends.computeIfAbsent(m, k -> new TrendWindow());
      w.add(ts, x, rule.windowMillis());
      double slope = w.slopePerMinute();
      // a slope over a few seconds is noise, not a trend: judge only a window that is at
      // least half full in event time
      boolean holds = w.size() >= rule.minReadings()
          && w.spanMinutes() >= rule.windowMinutes() / 2
          && Math.abs(slope) > rule.maxRatePerMinute();
      ConditionTracker c = state.condition(rule.id());
      Transition tr = c.step(holds, ts, 1, 0, Math.round(rule.cooldownMinutes() * 60_000));
      suppressed += emit(out, tr, c, device, rule.id(), AlertKind.TREND, m.id(),
          AlertRules.severityOf(rule.severity(), rule.id()), rule.priority(), ts, x,
          rule.maxRatePerMinute(),
          () -> String.format("%s changes %.3f per minute over %.0f minutes (limit %.3f)",
              m.id(), Double.isNaN(slope) ? 0 : slope, rule.windowMinutes(),
              rule.maxRatePerMinute()), trace);
    }

    if (rules.noData().enabled()) {
      ConditionTracker c = state.condition(NO_DATA_RULE);
      Transition tr = c.step(false, ts, 1, 0, 0);
      emit(out, tr, c, device, NO_DATA_RULE, AlertKind.NO_DATA, "",
          AlertRules.severityOf(rules.noData().severity(), "noData"), rules.noData().priority(),
          ts, 0, rules.noData().silenceMinutes(), () -> "device reports again", trace);
    }
    state.lastReadingMs = Math.max(state.lastReadingMs, ts);
    state.lastTraceparent = trace;
    return new Outcome(out, suppressed);
  }

  /** When the device's next silence deadline falls, if silence detection is on. */
  public Optional<Long> silenceDeadline(DeviceAlertState state) {
    if (!rules.noData().enabled() || state.lastReadingMs == Long.MIN_VALUE) {
      return Optional.empty();
    }
    return Optional.of(state.lastReadingMs + rules.noData().silenceMillis());
  }

  /** Called when event time reaches {@code nowMs} with no reading since the last one. */
  public Optional<Alert> onSilence(DeviceAlertState state, DeviceProfile device, long nowMs) {
    Optional<Long> deadline = silenceDeadline(state);
    if (deadline.isEmpty() || nowMs < deadline.get()) {
      return Optional.empty();
    }
    ConditionTracker c = state.condition(NO_DATA_RULE);
    if (c.step(true, nowMs, 1, 0, 0) != Transition.RAISE) {
      return Optional.empty();
    }
    NoDataSettings nd = rules.noData();
    return Optional.of(alert(device, NO_DATA_RULE, AlertKind.NO_DATA, "",
        AlertRules.severityOf(nd.severity(), "noData"), nd.priority(), AlertState.RAISED,
        c.raisedAtMs(), nowMs, 0, nd.silenceMinutes(),
        "no reading for " + nd.silenceMinutes() + " minutes", state.lastTraceparent));
  }

  private static int emit(List<Alert> out, Transition tr, ConditionTracker c, DeviceProfile d,
      String ruleId, AlertKind kind, String metric, Severity sev, int priority, long ts,
      double value, double threshold, Supplier<String> message, String trace) {
    // the message is built only for the rare reading that raises or clears: formatting it for
    // every reading was most of the alert step's time
    switch (tr) {
      case RAISE:
        out.add(alert(d, ruleId, kind, metric, sev, priority, AlertState.RAISED, c.raisedAtMs(),
            ts, value, threshold, message.get(), trace));
        return 0;
      case CLEAR:
        out.add(alert(d, ruleId, kind, metric, sev, priority, AlertState.CLEARED, c.raisedAtMs(),
            ts, value, threshold, message.get(), trace));
        return 0;
      case SUPPRESSED:
        return 1;
      default:
        return 0;
    }
  }

  /** The id every event of one alert shares: a sink keyed by it keeps the latest state. */
  public static String alertId(String deviceId, String ruleId, long raisedAtMs) {
    return deviceId + "|" + ruleId + "|" + raisedAtMs;
  }

  private static Alert alert(DeviceProfile d, String ruleId, AlertKind kind, String metric,
      Severity sev, int priority, AlertState st, long raisedAt, long eventTime, double value,
      double threshold, String message, String trace) {
    return Alert.newBuilder()
        .setId(alertId(d.getDeviceId(), ruleId, raisedAt))
        .setDeviceId(d.getDeviceId())
        .setRuleId(ruleId)
        .setKind(kind)
        .setMetric(metric)
        .setSeverity(sev)
        .setPriority(priority)
        .setState(st)
        .setRaisedAtMs(raisedAt)
        .setClearedAtMs(st == AlertState.CLEARED ? eventTime : 0)
        .setEventTimeMs(eventTime)
        .setValue(value)
        .setThreshold(threshold)
        .setMessage(message)
        .setTraceparent(trace == null ? "" : trace)
        .setDeviceType(d.getDeviceType())
        .setSite(d.getSite())
        .build();
  }
}
