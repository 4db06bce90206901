package org.iotbeam.domain.alerting;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.iotbeam.testing.Fixtures.MINUTE;
import static org.iotbeam.testing.Fixtures.T0;
import static org.iotbeam.testing.Fixtures.temperatureReading;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertKind;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.Severity;
import org.junit.Test;

public class AlertEvaluatorTest {
  private static AlertRules rules(String json) {
    return AlertRules.parse(json.getBytes(UTF_8), "test");
  }

  private static final AlertRules HOT =
      rules(
          "{\"thresholds\": [{\"id\": \"hot\","
              + " \"metric\": \"temperature\", \"operator\": \">\", \"value\": 40, \"forReadings\": 3,"
              + " \"severity\": \"critical\", \"priority\": 1, \"cooldownMinutes\": 10}]}");

  private static List<Alert> feed(AlertEvaluator ev, DeviceAlertState st, long[] ts, double[] v) {
    List<Alert> out = new ArrayList<>();
    for (int i = 0; i < ts.length; i++) {
      out.addAll(ev.onReading(st, temperatureReading("dev-1", ts[i], v[i])).alerts());
    }
    return out;
  }

  @Test
  public void raisesOnceAfterTheRequiredReadingsAndClearsWhenTheConditionEnds() {
    AlertEvaluator ev = new AlertEvaluator(HOT);
    DeviceAlertState st = new DeviceAlertState();
    long[] ts = new long[8];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = T0 + i * MINUTE;
    }
    List<Alert> alerts = feed(ev, st, ts, new double[] {41, 42, 43, 44, 45, 46, 30, 30});
    assertEquals(2, alerts.size());
    Alert raised = alerts.get(0);
    assertEquals(AlertState.RAISED, raised.getState());
    assertEquals(T0 + 2 * MINUTE, raised.getRaisedAtMs()); // the third reading
    assertEquals(43.0, raised.getValue(), 0);
    assertEquals(Severity.CRITICAL, raised.getSeverity());
    assertEquals(AlertKind.THRESHOLD, raised.getKind());
    assertEquals("dev-1|hot|" + (T0 + 2 * MINUTE), raised.getId());
    Alert cleared = alerts.get(1);
    assertEquals(AlertState.CLEARED, cleared.getState());
    assertEquals(raised.getId(), cleared.getId());
    assertEquals(T0 + 6 * MINUTE, cleared.getClearedAtMs());
  }

  @Test
  public void aBreakInTheStreakRestartsTheCount() {
    AlertEvaluator ev = new AlertEvaluator(HOT);
    List<Alert> alerts =
        feed(
            ev,
            new DeviceAlertState(),
            new long[] {T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE, T0 + 4 * MINUTE},
            new double[] {41, 42, 39, 41, 42});
    assertEquals(0, alerts.size());
  }

  @Test
  public void cooldownSuppressesARaiseSoonAfterAClearAndAllowsItAfterwards() {
    AlertEvaluator ev = new AlertEvaluator(HOT);
    DeviceAlertState st = new DeviceAlertState();
    // raise at +2, clear at +3, breach again +4..+6 (within 10 min cooldown), +14..+16 after it
    long[] ts = {0, 1, 2, 3, 4, 5, 6, 7, 14, 15, 16};
    double[] v = {41, 41, 41, 20, 41, 41, 41, 41, 41, 41, 41};
    long[] at = new long[ts.length];
    for (int i = 0; i < ts.length; i++) {
      at[i] = T0 + ts[i] * MINUTE;
    }
    List<Alert> alerts = new ArrayList<>();
    int suppressed = 0;
    for (int i = 0; i < at.length; i++) {
      AlertEvaluator.Outcome o = ev.onReading(st, temperatureReading("dev-1", at[i], v[i]));
      alerts.addAll(o.alerts());
      suppressed += o.suppressed();
    }
    assertEquals(3, alerts.size());
    assertEquals(AlertState.RAISED, alerts.get(0).getState());
    assertEquals(AlertState.CLEARED, alerts.get(1).getState());
    assertEquals(AlertState.RAISED, alerts.get(2).getState());
    assertEquals(T0 + 14 * MINUTE, alerts.get(2).getRaisedAtMs()); // first reading after cooldown
    // +4 and +5 only rebuild the 3-reading streak; +6 and +7 complete it inside the cooldown
    assertEquals(2, suppressed);
  }

  @Test
  public void forMinutesNeedsTheConditionToHoldThatLongInEventTime() {
    AlertEvaluator ev =
        new AlertEvaluator(
            rules(
                "{\"thresholds\": [{\"id\": \"h\", \"metric\":"
                    + " \"temperature\", \"operator\": \">=\", \"value\": 8, \"forMinutes\": 10}]}"));
    DeviceAlertState st = new DeviceAlertState();
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i <= 12; i++) {
      alerts.addAll(ev.onReading(st, temperatureReading("d-1", T0 + i * MINUTE, 9)).alerts());
    }
    assertEquals(1, alerts.size());
    assertEquals(T0 + 10 * MINUTE, alerts.get(0).getRaisedAtMs());
  }

  @Test
  public void rulesForAnotherDeviceTypeDoNotApply() {
    AlertEvaluator ev =
        new AlertEvaluator(
            rules(
                "{\"thresholds\": [{\"id\": \"h\","
                    + " \"deviceType\": \"cold-room\", \"metric\": \"temperature\", \"operator\": \">\","
                    + " \"value\": 8}]}"));
    assertTrue(
        ev.onReading(new DeviceAlertState(), temperatureReading("d-1", T0, 30)).alerts().isEmpty());
  }

  @Test
  public void anomalyIsRaisedOnlyAfterWarmUpAndForAFarReading() {
    AlertEvaluator ev =
        new AlertEvaluator(
            rules(
                "{\"anomaly\": {\"metrics\": [\"temperature\"],"
                    + " \"zThreshold\": 4, \"alpha\": 0.1, \"warmUpReadings\": 20}}"));
    DeviceAlertState st = new DeviceAlertState();
    Random rnd = new Random(7);
    List<Alert> alerts = new ArrayList<>();
    // an early outlier, inside the warm-up, teaches but does not alert
    alerts.addAll(ev.onReading(st, temperatureReading("d-1", T0, 20)).alerts());
    alerts.addAll(ev.onReading(st, temperatureReading("d-1", T0 + 1000, 35)).alerts());
    for (int i = 2; i < 200; i++) {
      double x = 20 + rnd.nextGaussian() * 0.5;
      alerts.addAll(ev.onReading(st, temperatureReading("d-1", T0 + i * 1000L, x)).alerts());
    }
    assertEquals("normal noise raises nothing", 0, alerts.size());
    List<Alert> spike = ev.onReading(st, temperatureReading("d-1", T0 + 200_000, 35)).alerts();
    assertEquals(1, spike.size());
    assertEquals(AlertKind.ANOMALY, spike.get(0).getKind());
    assertEquals("anomaly:temperature", spike.get(0).getRuleId());
    List<Alert> back = ev.onReading(st, temperatureReading("d-1", T0 + 201_000, 20)).alerts();
    assertEquals(AlertState.CLEARED, back.get(0).getState());
  }

  @Test
  public void trendDetectsAFastRiseButNotASlowOne() {
    AlertEvaluator ev =
        new AlertEvaluator(
            rules(
                "{\"trends\": [{\"metric\": \"temperature\","
                    + " \"windowMinutes\": 10, \"maxRatePerMinute\": 1.0, \"minReadings\": 5}]}"));
    DeviceAlertState slow = new DeviceAlertState();
    DeviceAlertState fast = new DeviceAlertState();
    List<Alert> slowAlerts = new ArrayList<>();
    List<Alert> fastAlerts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long ts = T0 + i * MINUTE;
      slowAlerts.addAll(ev.onReading(slow, temperatureReading("d-1", ts, 20 + 0.5 * i)).alerts());
      fastAlerts.addAll(ev.onReading(fast, temperatureReading("d-2", ts, 20 + 1.5 * i)).alerts());
    }
    assertEquals(0, slowAlerts.size());
    assertEquals(1, fastAlerts.size());
    assertEquals(AlertKind.TREND, fastAlerts.get(0).getKind());
    // 5 readings are there at minute 4, but the 10-minute window is half full only at minute 5
    assertEquals(T0 + 5 * MINUTE, fastAlerts.get(0).getRaisedAtMs());
  }

  @Test
  public void noiseOverAFewSecondsIsNotATrend() {
    AlertEvaluator ev =
        new AlertEvaluator(
            rules(
                "{\"trends\": [{\"metric\": \"temperature\","
                    + " \"windowMinutes\": 10, \"maxRatePerMinute\": 2.0, \"minReadings\": 5}]}"));
    DeviceAlertState st = new DeviceAlertState();
    Random rnd = new Random(3);
    List<Alert> alerts = new ArrayList<>();
    // one reading a second with 0.3 C of noise: over 5 s that "slope" is many C per minute
    for (int i = 0; i < 900; i++) {
      double x = 20 + rnd.nextGaussian() * 0.3;
      alerts.addAll(ev.onReading(st, temperatureReading("d-1", T0 + i * 1000L, x)).alerts());
    }
    assertEquals(0, alerts.size());
  }

  @Test
  public void silenceRaisesNoDataOnceAndTheNextReadingClearsIt() {
    AlertEvaluator ev =
        new AlertEvaluator(rules("{\"noData\": {\"enabled\": true, \"silenceMinutes\": 15}}"));
    DeviceAlertState st = new DeviceAlertState();
    ev.onReading(st, temperatureReading("d-1", T0, 20));
    assertEquals(T0 + 15 * MINUTE, (long) ev.silenceDeadline(st).get());
    var profile = temperatureReading("d-1", T0, 20).getDevice();
    assertTrue(ev.onSilence(st, profile, T0 + 14 * MINUTE).isEmpty());
    Alert silent = ev.onSilence(st, profile, T0 + 15 * MINUTE).get();
    assertEquals(AlertKind.NO_DATA, silent.getKind());
    assertTrue("raised once", ev.onSilence(st, profile, T0 + 16 * MINUTE).isEmpty());
    List<Alert> back = ev.onReading(st, temperatureReading("d-1", T0 + 20 * MINUTE, 20)).alerts();
    assertEquals(1, back.size());
    assertEquals(AlertState.CLEARED, back.get(0).getState());
    assertEquals(silent.getId(), back.get(0).getId());
  }
}
