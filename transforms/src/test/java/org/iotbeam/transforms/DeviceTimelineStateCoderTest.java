package org.iotbeam.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.apache.beam.sdk.util.CoderUtils;
import org.iotbeam.domain.alerting.AlertEvaluator;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.domain.alerting.DeviceAlertState;
import org.iotbeam.testing.Fixtures;
import org.junit.Test;

/** What a checkpoint keeps of a device's timeline comes back the same. */
public class DeviceTimelineStateCoderTest {
  @Test
  public void recentHashesTimersProfileAndAlertStateSurviveACheckpoint() throws Exception {
    DeviceTimelineState s = new DeviceTimelineState();
    for (int i = 0; i < 50; i++) {
      s.recent.add(i, 1000L + i, 60_000L * i);
    }
    s.recent.forgetUpTo(60_000L * 9); // a ring that has moved on
    s.sweepAt = 123_456L;
    var reading = Fixtures.temperatureReading("dev-1", Fixtures.T0, 41.5);
    s.profile = reading.getDevice();
    AlertEvaluator evaluator =
        new AlertEvaluator(
            AlertRules.parse(
                ("{\"thresholds\": [{\"id\":"
                        + " \"hot\", \"metric\": \"temperature\", \"operator\": \">\", \"value\": 40,"
                        + " \"forReadings\": 3, \"severity\": \"critical\"}]}")
                    .getBytes(),
                "test"));
    evaluator.onReading(s.alerts, reading);

    DeviceTimelineState back = CoderUtils.clone(DeviceTimelineStateCoder.of(), s);
    assertEquals(40, back.recent.size());
    assertFalse("forgotten", back.recent.contains(5, 1005L));
    assertTrue("remembered", back.recent.contains(10, 1010L));
    assertEquals(60_000L * 10, back.recent.oldestTimestampMs());
    assertEquals(123_456L, back.sweepAt);
    assertEquals(DeviceTimelineState.NONE, back.silenceAt);
    assertEquals(s.profile, back.profile);
    assertEquals(s.alerts.lastReadingMs(), back.alerts.lastReadingMs());
    assertEquals(
        CoderUtils.encodeToBase64(DeviceAlertStateCoder.of(), s.alerts),
        CoderUtils.encodeToBase64(DeviceAlertStateCoder.of(), back.alerts));
  }

  @Test
  public void aNewDeviceHasNoProfileYet() throws Exception {
    DeviceTimelineState back =
        CoderUtils.clone(DeviceTimelineStateCoder.of(), new DeviceTimelineState());
    assertNull(back.profile);
    assertTrue(back.recent.isEmpty());
    assertEquals(new DeviceAlertState().lastReadingMs(), back.alerts.lastReadingMs());
  }
}
