package org.iotbeam.domain.alerting;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.iotbeam.domain.JsonConfig;
import org.iotbeam.proto.Severity;

/**
 * Everything that decides when an alert is raised: threshold rules, anomaly and trend detection,
 * and silence detection. Read from JSON ({@link #parse}); see {@code iotbeam/default-rules.json}.
 */
public record AlertRules(
    List<ThresholdRule> thresholds,
    AnomalySettings anomaly,
    List<TrendRule> trends,
    NoDataSettings noData)
    implements Serializable {

  public AlertRules {
    thresholds = thresholds == null ? List.of() : List.copyOf(thresholds);
    anomaly = anomaly == null ? AnomalySettings.disabled() : anomaly;
    trends = trends == null ? List.of() : List.copyOf(trends);
    noData = noData == null ? NoDataSettings.disabled() : noData;
    Set<String> ids = new HashSet<>();
    for (ThresholdRule r : thresholds) {
      if (!ids.add(r.id())) {
        throw new IllegalArgumentException("threshold rule id '" + r.id() + "' is used twice");
      }
    }
  }

  public static AlertRules none() {
    return new AlertRules(null, null, null, null);
  }

  /**
   * Parses the JSON form.
   *
   * @param source names the document in error messages (a path)
   * @throws IllegalArgumentException saying what is wrong and where
   */
  public static AlertRules parse(byte[] json, String source) {
    return JsonConfig.read(json, AlertRules.class, "alert rules " + source);
  }

  static Severity severityOf(String s, String where) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "critical":
        return Severity.CRITICAL;
      case "warning":
        return Severity.WARNING;
      case "info":
        return Severity.INFO;
      default:
        throw new IllegalArgumentException(
            where + ": unknown severity '" + s + "'; use critical, warning or info");
    }
  }

  static int checkPriority(Integer p, String where) {
    int v = p == null ? 3 : p;
    if (v < 1 || v > 5) {
      throw new IllegalArgumentException(where + ": priority must be 1..5, was " + v);
    }
    return v;
  }

  static double checkCooldown(Double minutes, String where) {
    double v = minutes == null ? 10.0 : minutes;
    if (!(v >= 0)) {
      throw new IllegalArgumentException(where + ": cooldownMinutes must be >= 0, was " + v);
    }
    return v;
  }
}
