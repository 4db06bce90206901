package org.iotbeam.domain.stats;

import java.util.Arrays;
import java.util.Objects;
import org.iotbeam.domain.Metric;

/**
 * The statistics of one device over one window: a {@link RunningStats} per metric it reported, and
 * the device's type and site (so each metric's aggregate describes itself). Mergeable in any order,
 * like its parts.
 */
public final class DeviceStats {
  private static final Metric[] METRICS = Metric.values();

  private final RunningStats[] stats = new RunningStats[METRICS.length]; // null: no value yet
  private String deviceType = "";
  private String site = "";

  public DeviceStats add(DeviceSample s) {
    if (deviceType.isEmpty() && site.isEmpty()) {
      deviceType = s.deviceType();
      site = s.site();
    }
    int present = s.present();
    for (Metric m : METRICS) {
      if ((present & (1 << m.ordinal())) != 0) {
        forMetric(m).add(s.value(m), s.timestampMs());
      }
    }
    return this;
  }

  /** Folds {@code other} into this one; {@code other} is left unchanged. */
  public DeviceStats merge(DeviceStats other) {
    if (deviceType.isEmpty() && site.isEmpty()) {
      deviceType = other.deviceType;
      site = other.site;
    }
    for (Metric m : METRICS) {
      RunningStats o = other.stats[m.ordinal()];
      if (o != null && o.count() > 0) {
        forMetric(m).merge(o);
      }
    }
    return this;
  }

  /** The statistics of {@code m}; null when the window has no value of it. */
  public RunningStats of(Metric m) {
    RunningStats s = stats[m.ordinal()];
    return s == null || s.count() == 0 ? null : s;
  }

  /** Restores a metric's statistics, as a coder reads them back. */
  public DeviceStats set(Metric m, RunningStats s) {
    stats[m.ordinal()] = s;
    return this;
  }

  public DeviceStats describe(String deviceType, String site) {
    this.deviceType = deviceType;
    this.site = site;
    return this;
  }

  public String deviceType() {
    return deviceType;
  }

  public String site() {
    return site;
  }

  /** Whether no metric has a value: a window like that has no aggregate. */
  public boolean isEmpty() {
    for (RunningStats s : stats) {
      if (s != null && s.count() > 0) {
        return false;
      }
    }
    return true;
  }

  /** How many values the statistics hold over all metrics: grows with every sample added. */
  public long size() {
    long n = 0;
    for (RunningStats s : stats) {
      if (s != null) {
        n += s.count();
      }
    }
    return n;
  }

  /** A copy that later samples added to this one leave unchanged. */
  public DeviceStats copy() {
    DeviceStats c = new DeviceStats().describe(deviceType, site);
    for (int i = 0; i < stats.length; i++) {
      c.stats[i] = stats[i] == null ? null : stats[i].copy();
    }
    return c;
  }

  private RunningStats forMetric(Metric m) {
    RunningStats s = stats[m.ordinal()];
    if (s == null) {
      s = new RunningStats();
      stats[m.ordinal()] = s;
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceStats d
        && Arrays.equals(stats, d.stats)
        && deviceType.equals(d.deviceType)
        && site.equals(d.site);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(stats), deviceType, site);
  }

  @Override
  public String toString() {
    return "DeviceStats{" + deviceType + "@" + site + ", " + Arrays.toString(stats) + "}";
  }
}
