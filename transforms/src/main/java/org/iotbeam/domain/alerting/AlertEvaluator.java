package org.iotbeam.domain.alerting;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.iotbeam.domain.alerting.ConditionTracker.Transition;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertKind;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.DeviceProfile;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.Severity;
import org.iotbeam.proto.Telemetry;

/**
 * Evaluates one device's readings, in event-time order, against {@link AlertRules}, and says which
 * alerts are raised or cleared. Stateless: the device's memory is the {@link DeviceAlertState}
 * passed in, so the same code runs in a Beam stateful DoFn and in a test.
 *
 * <p>A reading costs O(1) in the number of readings seen: the rules are compiled once ({@link
 * CompiledRules}: enums parsed, ids and texts built, thresholds resolved per device type),
 * conditions are array slots, and trends keep running sums ({@link TrendWindow}). Text is built
 * only for a reading that raises or clears an alert.
 */
public final class AlertEvaluator implements Serializable {
  public static final String NO_DATA_RULE = "no-data";

  private static final Outcome NOTHING = new Outcome(List.of(), 0);

  private final AlertRules rules;
  private transient CompiledRules compiled;

  /** How many raises the cooldown swallowed, for the caller's metrics. */
  public record Outcome(List<Alert> alerts, int suppressed) {}

  public AlertEvaluator(AlertRules rules) {
    this.rules = rules;
    this.compiled = new CompiledRules(rules);
  }

  private CompiledRules compiled() {
    if (compiled == null) { // after deserialization
      compiled = new CompiledRules(rules);
    }
    return compiled;
  }

  public Outcome onReading(DeviceAlertState state, Reading reading) {
    CompiledRules c = compiled();
    ConditionTracker[] conditions = state.bind(c.conditionIds, c.slotOf);
    Telemetry t = reading.getTelemetry();
    long ts = t.getTimestampMs();
    DeviceProfile device = reading.getDevice();
    String trace = reading.getInbound().getTraceparent();
    List<Alert> out = null;
    int suppressed = 0;

    for (CompiledRules.Threshold r : c.thresholdsFor(device.getDeviceType())) {
      if (!r.metric().isIn(t)) {
        continue;
      }
      double x = r.metric().valueIn(t);
      ConditionTracker cond = tracker(conditions, r.slot());
      Transition tr =
          cond.step(
              r.operator().test(x, r.value()),
              ts,
              r.forReadings(),
              r.forMillis(),
              r.cooldownMillis());
      if (tr == Transition.SUPPRESSED) {
        suppressed++;
      } else if (tr != Transition.NONE) {
        out =
            add(
                out,
                alert(
                    device,
                    r.id(),
                    AlertKind.THRESHOLD,
                    r.metricName(),
                    r.severity(),
                    r.priority(),
                    tr,
                    cond.raisedAtMs(),
                    ts,
                    x,
                    r.value(),
                    r.message(),
                    trace));
      }
    }

    CompiledRules.Anomaly a = c.anomaly;
    if (a != null) {
      for (int i = 0; i < a.metrics().length; i++) {
        var m = a.metrics()[i];
        if (!m.isIn(t)) {
          continue;
        }
        double x = m.valueIn(t);
        EwmaStats baseline = state.baselines[m.ordinal()];
        if (baseline == null) {
          baseline = state.baselines[m.ordinal()] = new EwmaStats();
        }
        double z = baseline.zScore(x);
        boolean holds = baseline.count() >= a.warmUpReadings() && z > a.zThreshold();
        double expected = baseline.mean();
        baseline.update(x, a.alpha());
        ConditionTracker cond = tracker(conditions, a.slots()[i]);
        Transition tr = cond.step(holds, ts, 1, 0, a.cooldownMillis());
        if (tr == Transition.SUPPRESSED) {
          suppressed++;
        } else if (tr != Transition.NONE) {
          out =
              add(
                  out,
                  alert(
                      device,
                      a.ids()[i],
                      AlertKind.ANOMALY,
                      m.id(),
                      a.severity(),
                      a.priority(),
                      tr,
                      cond.raisedAtMs(),
                      ts,
                      x,
                      a.zThreshold(),
                      String.format(
                          "%s=%.3f is %.1f standard deviations from its recent mean %.3f",
                          m.id(), x, Double.isNaN(z) ? 0 : z, expected),
                      trace));
        }
      }
    }

    for (CompiledRules.Trend r : c.trends) {
      var m = r.metric();
      if (!m.isIn(t)) {
        continue;
      }
      double x = m.valueIn(t);
      TrendWindow w = state.trends[m.ordinal()];
      if (w == null) {
        w = state.trends[m.ordinal()] = new TrendWindow();
      }
      w.add(ts, x, r.windowMillis());
      double slope = w.slopePerMinute();
      // a slope over a few seconds is noise, not a trend: judge only a window that is at
      // least half full in event time
      boolean holds =
          w.size() >= r.minReadings()
              && w.spanMinutes() >= r.windowMinutes() / 2
              && Math.abs(slope) > r.maxRatePerMinute();
      ConditionTracker cond = tracker(conditions, r.slot());
      Transition tr = cond.step(holds, ts, 1, 0, r.cooldownMillis());
      if (tr == Transition.SUPPRESSED) {
        suppressed++;
      } else if (tr != Transition.NONE) {
        out =
            add(
                out,
                alert(
                    device,
                    r.id(),
                    AlertKind.TREND,
                    m.id(),
                    r.severity(),
                    r.priority(),
                    tr,
                    cond.raisedAtMs(),
                    ts,
                    x,
                    r.maxRatePerMinute(),
                    String.format(
                        "%s changes %.3f per minute over %.0f minutes (limit %.3f)",
                        m.id(),
                        Double.isNaN(slope) ? 0 : slope,
                        r.windowMinutes(),
                        r.maxRatePerMinute()),
                    trace));
      }
    }

    CompiledRules.NoData nd = c.noData;
    if (nd != null) {
      ConditionTracker cond = tracker(conditions, nd.slot());
      Transition tr = cond.step(false, ts, 1, 0, 0);
      if (tr == Transition.CLEAR) {
        out =
            add(
                out,
                alert(
                    device,
                    NO_DATA_RULE,
                    AlertKind.NO_DATA,
                    "",
                    nd.severity(),
                    nd.priority(),
                    tr,
                    cond.raisedAtMs(),
                    ts,
                    0,
                    nd.silenceMinutes(),
                    "device reports again",
                    trace));
      }
    }
    state.lastReadingMs = Math.max(state.lastReadingMs, ts);
    state.lastTraceparent = trace;
    return out == null && suppressed == 0
        ? NOTHING
        : new Outcome(out == null ? List.of() : out, suppressed);
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
    CompiledRules c = compiled();
    CompiledRules.NoData nd = c.noData;
    ConditionTracker cond = tracker(state.bind(c.conditionIds, c.slotOf), nd.slot());
    if (cond.step(true, nowMs, 1, 0, 0) != Transition.RAISE) {
      return Optional.empty();
    }
    return Optional.of(
        alert(
            device,
            NO_DATA_RULE,
            AlertKind.NO_DATA,
            "",
            nd.severity(),
            nd.priority(),
            Transition.RAISE,
            cond.raisedAtMs(),
            nowMs,
            0,
            nd.silenceMinutes(),
            "no reading for " + nd.silenceMinutes() + " minutes",
            state.lastTraceparent));
  }

  private static ConditionTracker tracker(ConditionTracker[] conditions, int slot) {
    ConditionTracker c = conditions[slot];
    if (c == null) {
      c = conditions[slot] = new ConditionTracker();
    }
    return c;
  }

  private static List<Alert> add(List<Alert> out, Alert a) {
    List<Alert> list = out == null ? new ArrayList<>(2) : out;
    list.add(a);
    return list;
  }

  /** The id every event of one alert shares: a sink keyed by it keeps the latest state. */
  public static String alertId(String deviceId, String ruleId, long raisedAtMs) {
    return deviceId + "|" + ruleId + "|" + raisedAtMs;
  }

  private static Alert alert(
      DeviceProfile d,
      String ruleId,
      AlertKind kind,
      String metric,
      Severity sev,
      int priority,
      Transition tr,
      long raisedAt,
      long eventTime,
      double value,
      double threshold,
      String message,
      String trace) {
    AlertState st = tr == Transition.RAISE ? AlertState.RAISED : AlertState.CLEARED;
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
