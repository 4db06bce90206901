package org.iotbeam.domain.alerting;

import java.io.Serializable;
import org.iotbeam.domain.Metric;
import org.iotbeam.proto.Severity;

/**
 * "Raise {@code severity} when {@code metric operator value} holds for at least {@code forReadings}
 * consecutive readings and {@code forMinutes} of event time", for devices of {@code deviceType}
 * ({@code *} for all).
 */
public record ThresholdRule(
    String id,
    String deviceType,
    String metric,
    Operator operator,
    double value,
    Integer forReadings,
    Double forMinutes,
    String severity,
    Integer priority,
    Double cooldownMinutes,
    String description)
    implements Serializable {

  public ThresholdRule {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a threshold rule has no id");
    }
    if (metric == null) {
      throw new IllegalArgumentException("rule " + id + " has no metric");
    }
    Metric.fromId(metric);
    if (operator == null) {
      throw new IllegalArgumentException("rule " + id + " has no operator");
    }
    deviceType = deviceType == null || deviceType.isBlank() ? "*" : deviceType;
    forReadings = forReadings == null ? 1 : forReadings;
    forMinutes = forMinutes == null ? 0.0 : forMinutes;
    if (forReadings < 1 || forMinutes < 0) {
      throw new IllegalArgumentException(
          "rule " + id + ": forReadings must be >= 1 and forMinutes >= 0");
    }
    AlertRules.severityOf(severity == null ? "warning" : severity, "rule " + id);
    severity = severity == null ? "warning" : severity;
    priority = AlertRules.checkPriority(priority, "rule " + id);
    cooldownMinutes = AlertRules.checkCooldown(cooldownMinutes, "rule " + id);
  }

  public Metric metricEnum() {
    return Metric.fromId(metric);
  }

  public Severity severityEnum() {
    return AlertRules.severityOf(severity, "rule " + id);
  }

  public boolean appliesTo(String type) {
    return "*".equals(deviceType) || deviceType.equals(type);
  }

  public long forMillis() {
    return Math.round(forMinutes * 60_000);
  }

  public long cooldownMillis() {
    return Math.round(cooldownMinutes * 60_000);
  }
}
