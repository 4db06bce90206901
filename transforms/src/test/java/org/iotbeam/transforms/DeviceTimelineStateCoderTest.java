package org.iotbeam.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import org.apache.beam.sdk.util.CoderUtils;
import org.iotbeam.domain.alerting.AlertEvaluator;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.domain.alerting.DeviceAlertState;
import org.iotbeam.domain.stats.DeviceSample;
import org.iotbeam.domain.stats.DeviceWindows;
import org.iotbeam.domain.stats.TumblingWindows;
import org.iotbeam.testing.Fixtures;
import org.junit.Test;

/** What a checkpoint keeps of a device's timeline comes back the same. */
public class DeviceTimelineStateCoderTest {
  @Test
  public void recentHashesTimersProfileAndAlertStateSurviveACheckpoint() throws Exception {
    DeviceTimelineState s = new DeviceTimelineState();
    for (int i = 0; i < 50; i++) {
      s.recent.add(1000L + i, 60_000L * i);
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
    assertFalse("forgotten", back.recent.contains(1005L, 60_000L * 5));
    assertTrue("remembered", back.recent.contains(1010L, 60_000L * 10));
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
  public void openWindowsAndWhatTheDeviceKnowsOfTheWatermarkSurviveACheckpoint() throws Exception {
    TumblingWindows shape = new TumblingWindows(300_000L, 600_000L);
    DeviceTimelineState s = new DeviceTimelineState();
    for (long ts : new long[] {10_000L, 290_000L, 310_000L}) {
      s.windows.add(
          DeviceSample.of(
              Fixtures.temperatureReading("dev-1", ts, ts / 1000.0).getTelemetry(), "t", "s"),
          shape);
    }
    s.windows.advanceTo(299_999L, shape, w -> {}); // the first window's on-time pane is out
    s.windowsAt = 600_000L + 299_999L;

    DeviceTimelineState back = CoderUtils.clone(DeviceTimelineStateCoder.of(), s);
    assertEquals(s.windowsAt, back.windowsAt);
    assertEquals(299_999L, back.windows.watermarkPast());
    assertEquals(2, back.windows.windows().size());
    for (int i = 0; i < 2; i++) {
      DeviceWindows.Window w = s.windows.windows().get(i);
      DeviceWindows.Window b = back.windows.windows().get(i);
      assertEquals(w.startMs(), b.startMs());
      assertEquals(w.onTimeDone(), b.onTimeDone());
      assertEquals(w.stats(), b.stats());
    }
    assertTrue(back.windows.windows().get(0).onTimeDone());
    assertFalse(back.windows.windows().get(1).onTimeDone());
  }

  @Test
  public void aCheckpointOfTheFormatWithoutWindowsStillRestores() throws Exception {
    // the first format, as written before windows were kept here: no version, hashes first
    DeviceTimelineState s = new DeviceTimelineState();
    s.sweepAt = 55L;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(1);
    out.writeLong(7);
    out.writeLong(8);
    out.writeLong(9_000L);
    out.writeLong(s.sweepAt);
    out.writeLong(DeviceTimelineState.NONE);
    out.writeBoolean(false);
    out.flush();
    DeviceAlertStateCoder.of().encode(s.alerts, bytes);

    DeviceTimelineState back =
        DeviceTimelineStateCoder.of().decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertTrue("the low 64 bits of the hash", back.recent.contains(8, 9_000L));
    assertEquals(55L, back.sweepAt);
    assertTrue(back.windows.isEmpty());
    assertEquals(DeviceTimelineState.NONE, back.windowsAt);
  }

  @Test
  public void aCheckpointWith128BitHashesRestoresWithTheirLow64Bits() throws Exception {
    // the second format: windows, then (high hash, low hash, event time) triples
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(-2);
    out.writeLong(77L); // windows timer
    out.writeLong(66L); // what the device knows of the watermark
    out.writeInt(0); // no open window
    out.writeInt(2);
    for (long[] e : new long[][] {{1, 2, 3_000L}, {4, 5, 6_000L}}) {
      for (long v : e) {
        out.writeLong(v);
      }
    }
    out.writeLong(55L);
    out.writeLong(DeviceTimelineState.NONE);
    out.writeBoolean(false);
    out.flush();
    DeviceAlertStateCoder.of().encode(new DeviceAlertState(), bytes);

    DeviceTimelineState back =
        DeviceTimelineStateCoder.of().decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(2, back.recent.size());
    assertTrue(back.recent.contains(2, 3_000L));
    assertTrue(back.recent.contains(5, 6_000L));
    assertFalse(back.recent.contains(1, 3_000L));
    assertEquals(77L, back.windowsAt);
    assertEquals(66L, back.windows.watermarkPast());
    assertEquals(55L, back.sweepAt);
    // and it goes on in the current format
    DeviceTimelineState again = CoderUtils.clone(DeviceTimelineStateCoder.of(), back);
    assertEquals(back.recent, again.recent);
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
