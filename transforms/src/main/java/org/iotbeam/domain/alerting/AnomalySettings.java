package org.iotbeam.domain.alerting;

import java.io.Serializable;
import java.util.List;
import org.iotbeam.domain.Metric;

/**
 * Per-device anomaly detection: a reading whose z-score against the device's exponentially weighted
 * mean and variance exceeds {@code zThreshold}, once {@code warmUpReadings} have taught the
 * detector what normal is. {@code alpha} is the weight of the newest reading.
 */
public record AnomalySettings(
    Boolean enabled,
    List<String> metrics,
    Double zThreshold,
    Double alpha,
    Integer warmUpReadings,
    String severity,
    Integer priority,
    Double cooldownMinutes)
    implements Serializable {

  public AnomalySettings {
    enabled = enabled == null || enabled;
    metrics =
        metrics == null ? List.of("temperature", "humidity", "pressure") : List.copyOf(metrics);
    metrics.forEach(Metric::fromId);
    zThreshold = zThreshold == null ? 4.0 : zThreshold;
    alpha = alpha == null ? 0.05 : alpha;
    warmUpReadings = warmUpReadings == null ? 30 : warmUpReadings;
    if (!(zThreshold > 0) || !(alpha > 0 && alpha < 1) || warmUpReadings < 2) {
      throw new IllegalArgumentException(
          "anomaly: zThreshold must be > 0, alpha in (0,1), warmUpReadings >= 2");
    }
    severity = severity == null ? "warning" : severity;
    AlertRules.severityOf(severity, "anomaly");
    priority = AlertRules.checkPriority(priority == null ? 3 : priority, "anomaly");
    cooldownMinutes = AlertRules.checkCooldown(cooldownMinutes, "anomaly");
  }

  public static AnomalySettings disabled() {
    return new AnomalySettings(false, null, null, null, null, null, null, null);
  }
}
