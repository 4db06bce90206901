package org.iotbeam.domain.stats;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.iotbeam.domain.Metric;
import org.iotbeam.proto.Telemetry;
import org.junit.Test;

public class DeviceStatsTest {
  private static DeviceSample sample(long ts, Double temperature, Double humidity) {
    Telemetry.Builder t = Telemetry.newBuilder().setDeviceId("d").setTimestampMs(ts);
    if (temperature != null) {
      t.setTemperature(temperature);
    }
    if (humidity != null) {
      t.setHumidity(humidity);
    }
    return DeviceSample.of(t.build(), "sensor", "plant-1");
  }

  @Test
  public void eachMetricGetsTheStatisticsOfItsOwnValuesOnly() {
    DeviceStats d =
        new DeviceStats()
            .add(sample(1_000, 20.0, 50.0))
            .add(sample(2_000, 22.0, null))
            .add(sample(3_000, null, 70.0));
    RunningStats expectedTemperature = new RunningStats().add(20.0, 1_000).add(22.0, 2_000);
    RunningStats expectedHumidity = new RunningStats().add(50.0, 1_000).add(70.0, 3_000);
    assertEquals(expectedTemperature, d.of(Metric.TEMPERATURE));
    assertEquals(expectedHumidity, d.of(Metric.HUMIDITY));
    assertNull("no value of pressure: no statistics", d.of(Metric.PRESSURE));
    assertEquals("sensor", d.deviceType());
    assertEquals("plant-1", d.site());
  }

  @Test
  public void mergingPartsGivesTheSameAsOnePass() {
    DeviceStats whole = new DeviceStats();
    DeviceStats a = new DeviceStats();
    DeviceStats b = new DeviceStats();
    for (int i = 0; i < 100; i++) {
      DeviceSample s = sample(i * 1_000L, 20.0 + i % 7, i % 3 == 0 ? null : 40.0 + i % 11);
      whole.add(s);
      (i % 2 == 0 ? a : b).add(s);
    }
    DeviceStats merged = new DeviceStats().merge(b).merge(a);
    for (Metric m : new Metric[] {Metric.TEMPERATURE, Metric.HUMIDITY}) {
      assertEquals(whole.of(m).count(), merged.of(m).count());
      assertEquals(whole.of(m).mean(), merged.of(m).mean(), 1e-9);
      assertEquals(whole.of(m).stddev(), merged.of(m).stddev(), 1e-9);
      assertEquals(whole.of(m).min(), merged.of(m).min(), 0.0);
      assertEquals(whole.of(m).max(), merged.of(m).max(), 0.0);
      assertEquals(whole.of(m).firstTimestampMs(), merged.of(m).firstTimestampMs());
      assertEquals(whole.of(m).lastTimestampMs(), merged.of(m).lastTimestampMs());
    }
    assertEquals("sensor", merged.deviceType());
  }

  @Test
  public void anEmptyAccumulatorIsEmpty() {
    assertTrue(new DeviceStats().isEmpty());
    assertTrue(new DeviceStats().merge(new DeviceStats()).isEmpty());
  }
}
