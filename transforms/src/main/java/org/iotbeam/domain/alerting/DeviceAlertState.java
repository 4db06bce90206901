package org.iotbeam.domain.alerting;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.iotbeam.domain.Metric;

/** Everything the alert detector remembers about one device between readings. */
public final class DeviceAlertState implements Serializable {
  final Map<String, ConditionTracker> conditions = new HashMap<>();
  final Map<Metric, EwmaStats> baselines = new EnumMap<>(Metric.class);
  final Map<Metric, TrendWindow> trends = new EnumMap<>(Metric.class);
  long lastReadingMs = Long.MIN_VALUE;
  String lastTraceparent = "";

  ConditionTracker condition(String ruleId) {
    return conditions.computeIfAbsent(ruleId, k -> new ConditionTracker());
  }

  public long lastReadingMs() {
    return lastReadingMs;
  }

  /** The ids of the rules whose alert is currently raised. */
  public java.util.Set<String> activeRules() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    conditions.forEach((id, c) -> {
      if (c.active()) {
        out.add(id);
      }
    });
    return out;
  }
}
