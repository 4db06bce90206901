package org.iotbeam.transforms;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.iotbeam.testing.Fixtures.MINUTE;
import static org.iotbeam.testing.Fixtures.T0;
import static org.iotbeam.testing.Fixtures.temperatureReading;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.util.CoderUtils;
import org.iotbeam.domain.alerting.AlertEvaluator;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.domain.alerting.AlertStateSnapshots;
import org.iotbeam.domain.alerting.ConditionTracker;
import org.iotbeam.domain.alerting.DeviceAlertState;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeviceAlertSnapshot;
import org.junit.Test;

public class DeviceAlertStateCoderTest {
  // a threshold that will be active, one that will be cooling down after a clear, anomaly and
  // trend detection on temperature, and silence detection
  private static final AlertRules RULES =
      AlertRules.parse(
          ("{"
                  + "\"thresholds\": ["
                  + " {\"id\": \"hot\", \"metric\": \"temperature\", \"operator\": \">\", \"value\": 30,"
                  + "  \"forReadings\": 2, \"cooldownMinutes\": 5},"
                  + " {\"id\": \"warm\", \"metric\": \"temperature\", \"operator\": \">\", \"value\": 25,"
                  + "  \"forMinutes\": 1, \"cooldownMinutes\": 60}],"
                  + "\"anomaly\": {\"metrics\": [\"temperature\"], \"zThreshold\": 3, \"warmUpReadings\": 10,"
                  + " \"cooldownMinutes\": 0},"
                  + "\"trends\": [{\"metric\": \"temperature\", \"windowMinutes\": 10,"
                  + " \"maxRatePerMinute\": 100, \"minReadings\": 5}],"
                  + "\"noData\": {\"enabled\": true, \"silenceMinutes\": 15}}")
              .getBytes(UTF_8),
          "test");

  private static final Coder<DeviceAlertState> CODER = DeviceAlertStateCoder.of();

  /**
   * 20 calm readings, warm for two minutes, a cool one (clears "warm", which then cools down), then
   * hot, the last one far off the baseline.
   */
  private static DeviceAlertState everyKindOfCondition(AlertEvaluator ev) {
    DeviceAlertState s = new DeviceAlertState();
    long t = T0;
    for (int i = 0; i < 20; i++, t += 30_000) {
      ev.onReading(s, temperatureReading("dev-1", t, 20 + (i % 3) * 0.1));
    }
    for (int i = 0; i < 5; i++, t += 30_000) {
      ev.onReading(s, temperatureReading("dev-1", t, 27));
    }
    ev.onReading(s, temperatureReading("dev-1", t, 20));
    t += 30_000;
    for (int i = 0; i < 3; i++, t += 30_000) {
      ev.onReading(s, temperatureReading("dev-1", t, i < 2 ? 35 : 80));
    }
    // a condition of a rule that was removed since: kept as it was
    s.restoreCondition(
        "retired-rule", ConditionTracker.restore(4, T0, true, T0 + MINUTE, Long.MIN_VALUE));
    return s;
  }

  @Test
  public void roundTripKeepsEveryConditionBaselineTrendAndCooldown() throws Exception {
    AlertEvaluator ev = new AlertEvaluator(RULES);
    DeviceAlertState original = everyKindOfCondition(ev);
    DeviceAlertSnapshot before = AlertStateSnapshots.toSnapshot(original);
    // the state has what the test claims it has
    assertEquals(Set.of("hot", "anomaly:temperature", "retired-rule"), original.activeRules());
    assertTrue(
        before.getConditionsList().stream()
            .anyMatch(c -> c.getRuleId().equals("warm") && c.hasQuietUntilMs() && !c.getActive()));
    assertEquals(1, before.getBaselinesCount());
    assertEquals(21, before.getTrends(0).getTimesMsCount()); // 10 minutes at 30 s, both ends
    assertTrue(before.hasLastReadingMs());

    DeviceAlertState decoded = CoderUtils.clone(CODER, original);
    assertEquals(before, AlertStateSnapshots.toSnapshot(decoded));
    assertEquals(original.activeRules(), decoded.activeRules());

    // and it continues exactly as the original does
    List<Alert> fromOriginal = new ArrayList<>();
    List<Alert> fromDecoded = new ArrayList<>();
    long t = original.lastReadingMs() + 30_000;
    double[] next = {36, 20, 20, 37, 38, 21, 60, 22};
    for (double v : next) {
      fromOriginal.addAll(ev.onReading(original, temperatureReading("dev-1", t, v)).alerts());
      fromDecoded.addAll(ev.onReading(decoded, temperatureReading("dev-1", t, v)).alerts());
      t += 30_000;
    }
    assertFalse(fromOriginal.isEmpty());
    assertEquals(fromOriginal, fromDecoded);
    assertEquals(
        ev.onSilence(original, temperatureReading("dev-1", t, 0).getDevice(), t + 20 * MINUTE),
        ev.onSilence(decoded, temperatureReading("dev-1", t, 0).getDevice(), t + 20 * MINUTE));
    assertEquals(AlertStateSnapshots.toSnapshot(original), AlertStateSnapshots.toSnapshot(decoded));
  }

  @Test
  public void anEmptyStateRoundTrips() throws Exception {
    DeviceAlertState decoded = CoderUtils.clone(CODER, new DeviceAlertState());
    assertEquals(Long.MIN_VALUE, decoded.lastReadingMs());
    assertTrue(decoded.activeRules().isEmpty());
  }

  @Test
  public void nestedInAnotherCoderItReadsBackOnlyItsOwnBytes() throws Exception {
    AlertEvaluator ev = new AlertEvaluator(RULES);
    org.apache.beam.sdk.coders.KvCoder<DeviceAlertState, String> kv =
        org.apache.beam.sdk.coders.KvCoder.of(
            CODER, org.apache.beam.sdk.coders.StringUtf8Coder.of());
    var back =
        CoderUtils.clone(kv, org.apache.beam.sdk.values.KV.of(everyKindOfCondition(ev), "after"));
    assertEquals("after", back.getValue());
    assertEquals(
        AlertStateSnapshots.toSnapshot(everyKindOfCondition(ev)),
        AlertStateSnapshots.toSnapshot(back.getKey()));
  }
}
