package org.iotbeam.domain.alerting;

import java.io.Serializable;
import org.iotbeam.domain.Metric;

/**
 * "Raise when {@code metric} changes faster than {@code maxRatePerMinute} (either direction),
 * measured as the least-squares slope over the last {@code windowMinutes} of event time, with at
 * least {@code minReadings} readings in that window".
 */
public record TrendRule(
    String metric,
    Double windowMinutes,
    double maxRatePerMinute,
    Integer minReadings,
    String severity,
    Integer priority,
    Double cooldownMinutes)
    implements Serializable {

  public TrendRule {
    if (metric == null) {
      throw new IllegalArgumentException("a trend rule has no metric");
    }
    Metric.fromId(metric);
    windowMinutes = windowMinutes == null ? 10.0 : windowMinutes;
    minReadings = minReadings == null ? 5 : minReadings;
    if (!(windowMinutes > 0) || !(maxRatePerMinute > 0) || minReadings < 2) {
      throw new IllegalArgumentException(
          "trend rule for "
              + metric
              + ": windowMinutes and maxRatePerMinute must be > 0, minReadings >= 2");
    }
    severity = severity == null ? "warning" : severity;
    AlertRules.severityOf(severity, "trend rule for " + metric);
    priority = AlertRules.checkPriority(priority == null ? 3 : priority, "trend " + metric);
    cooldownMinutes = AlertRules.checkCooldown(cooldownMinutes, "trend " + metric);
  }

  public String id() {
    return "trend:" + metric;
  }

  public long windowMillis() {
    return Math.round(windowMinutes * 60_000);
  }
}
