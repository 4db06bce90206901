package org.iotbeam.transforms;

import static org.junit.Assert.assertEquals;

import org.apache.beam.sdk.testing.CoderProperties;
import org.iotbeam.domain.Metric;
import org.iotbeam.domain.stats.DeviceSample;
import org.iotbeam.domain.stats.DeviceStats;
import org.iotbeam.proto.Telemetry;
import org.junit.Test;

public class DeviceStatsCodersTest {
  private static final DeviceSample FULL =
      DeviceSample.of(
          Telemetry.newBuilder()
              .setDeviceId("d")
              .setTimestampMs(1_700_000_000_123L)
              .setTemperature(21.5)
              .setHumidity(40)
              .setPressure(1013.2)
              .setBatteryLevel(88)
              .setSignalStrength(-70)
              .build(),
          "sensor",
          "site-é");
  private static final DeviceSample PARTIAL =
      DeviceSample.of(
          Telemetry.newBuilder().setDeviceId("d").setTimestampMs(5L).setPressure(-0.0).build(),
          "",
          "");

  @Test
  public void statisticsRoundTripWithTheirMissingMetrics() throws Exception {
    DeviceStats d = new DeviceStats().add(FULL).add(PARTIAL);
    CoderProperties.coderDecodeEncodeEqual(DeviceStatsCoder.of(), d);
    DeviceStats back =
        org.apache.beam.sdk.util.CoderUtils.clone(
            DeviceStatsCoder.of(), new DeviceStats().add(PARTIAL));
    assertEquals(1, back.of(Metric.PRESSURE).count());
    assertEquals(null, back.of(Metric.TEMPERATURE));
    CoderProperties.coderDecodeEncodeEqual(DeviceStatsCoder.of(), new DeviceStats());
  }
}
