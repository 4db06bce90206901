package org.iotbeam.domain.stats;

import java.util.Arrays;
import org.iotbeam.domain.Metric;
import org.iotbeam.proto.Telemetry;

/**
 * What the windowed statistics need of one reading: its event time, the value of each metric it
 * carries, and its device's type and site. One sample per reading, not one per metric, crosses the
 * keyed exchange: a fifth of the elements and none of the original message.
 */
public final class DeviceSample {
  private static final Metric[] METRICS = Metric.values();

  private final long timestampMs;
  private final int present; // bit i: METRICS[i] is in the reading
  private final double[] values; // indexed by Metric.ordinal(); 0 where absent
  private final String deviceType;
  private final String site;

  public DeviceSample(
      long timestampMs, int present, double[] values, String deviceType, String site) {
    this.timestampMs = timestampMs;
    this.present = present;
    this.values = values;
    this.deviceType = deviceType;
    this.site = site;
  }

  /** The sample of a reading's telemetry. */
  public static DeviceSample of(Telemetry t, String deviceType, String site) {
    int present = 0;
    double[] values = new double[METRICS.length];
    for (Metric m : METRICS) {
      if (m.isIn(t)) {
        present |= 1 << m.ordinal();
        values[m.ordinal()] = m.valueIn(t);
      }
    }
    return new DeviceSample(t.getTimestampMs(), present, values, deviceType, site);
  }

  public long timestampMs() {
    return timestampMs;
  }

  /** Bit {@code m.ordinal()} set: metric {@code m} is in the sample. */
  public int present() {
    return present;
  }

  public boolean has(Metric m) {
    return (present & (1 << m.ordinal())) != 0;
  }

  public double value(Metric m) {
    return values[m.ordinal()];
  }

  public String deviceType() {
    return deviceType;
  }

  public String site() {
    return site;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceSample s
        && timestampMs == s.timestampMs
        && present == s.present
        && Arrays.equals(values, s.values)
        && deviceType.equals(s.deviceType)
        && site.equals(s.site);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(timestampMs) * 31 + present;
  }

  @Override
  public String toString() {
    return "DeviceSample{t="
        + timestampMs
        + ", present="
        + Integer.toBinaryString(present)
        + ", values="
        + Arrays.toString(values)
        + ", "
        + deviceType
        + "@"
        + site
        + "}";
  }
}
