package org.iotbeam.domain.alerting;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.iotbeam.domain.Metric;
import org.iotbeam.proto.Severity;

/**
 * {@link AlertRules} made ready for evaluation, once: metrics, operators and severities parsed,
 * durations in milliseconds, ids and fixed messages built, every condition given a slot, and the
 * threshold rules that apply to a device type resolved the first time that type is seen. The
 * evaluator then does no parsing, case folding or string building per reading.
 */
final class CompiledRules {
  /** More device types than this are resolved per reading instead of cached (a bad registry). */
  private static final int MAX_CACHED_TYPES = 10_000;

  record Threshold(
      int slot,
      String id,
      String deviceType,
      Metric metric,
      String metricName,
      Operator operator,
      double value,
      int forReadings,
      long forMillis,
      long cooldownMillis,
      Severity severity,
      int priority,
      String message) {
    boolean appliesTo(String type) {
      return "*".equals(deviceType) || deviceType.equals(type);
    }
  }

  record Anomaly(
      Metric[] metrics,
      int[] slots,
      String[] ids,
      double zThreshold,
      double alpha,
      int warmUpReadings,
      long cooldownMillis,
      Severity severity,
      int priority) {}

  record Trend(
      int slot,
      String id,
      Metric metric,
      long windowMillis,
      double windowMinutes,
      int minReadings,
      double maxRatePerMinute,
      long cooldownMillis,
      Severity severity,
      int priority) {}

  record NoData(int slot, double silenceMinutes, Severity severity, int priority) {}

  /** Rule id of every condition, by slot. */
  final String[] conditionIds;

  final Map<String, Integer> slotOf;
  final Threshold[] thresholds;
  final Anomaly anomaly; // null when disabled
  final Trend[] trends;
  final NoData noData; // null when disabled
  private final Map<String, Threshold[]> thresholdsByType = new ConcurrentHashMap<>();

  CompiledRules(AlertRules rules) {
    Map<String, Integer> slots = new HashMap<>();
    List<String> ids = new ArrayList<>();
    List<ThresholdRule> tr = rules.thresholds();
    thresholds = new Threshold[tr.size()];
    for (int i = 0; i < thresholds.length; i++) {
      ThresholdRule r = tr.get(i);
      String message =
          r.description() != null && !r.description().isBlank()
              ? r.description()
              : r.metric() + " " + r.operator().symbol() + " " + r.value();
      thresholds[i] =
          new Threshold(
              slot(r.id(), slots, ids),
              r.id(),
              r.deviceType(),
              r.metricEnum(),
              r.metric(),
              r.operator(),
              r.value(),
              r.forReadings(),
              r.forMillis(),
              r.cooldownMillis(),
              r.severityEnum(),
              r.priority(),
              message);
    }

    AnomalySettings a = rules.anomaly();
    if (a.enabled()) {
      Metric[] metrics = new Metric[a.metrics().size()];
      int[] anomalySlots = new int[metrics.length];
      String[] anomalyIds = new String[metrics.length];
      for (int i = 0; i < metrics.length; i++) {
        metrics[i] = Metric.fromId(a.metrics().get(i));
        anomalyIds[i] = "anomaly:" + metrics[i].id();
        anomalySlots[i] = slot(anomalyIds[i], slots, ids);
      }
      anomaly =
          new Anomaly(
              metrics,
              anomalySlots,
              anomalyIds,
              a.zThreshold(),
              a.alpha(),
              a.warmUpReadings(),
              Math.round(a.cooldownMinutes() * 60_000),
              AlertRules.severityOf(a.severity(), "anomaly"),
              a.priority());
    } else {
      anomaly = null;
    }

    trends = new Trend[rules.trends().size()];
    for (int i = 0; i < trends.length; i++) {
      TrendRule r = rules.trends().get(i);
      trends[i] =
          new Trend(
              slot(r.id(), slots, ids),
              r.id(),
              Metric.fromId(r.metric()),
              r.windowMillis(),
              r.windowMinutes(),
              r.minReadings(),
              r.maxRatePerMinute(),
              Math.round(r.cooldownMinutes() * 60_000),
              AlertRules.severityOf(r.severity(), r.id()),
              r.priority());
    }

    NoDataSettings nd = rules.noData();
    noData =
        nd.enabled()
            ? new NoData(
                slot(AlertEvaluator.NO_DATA_RULE, slots, ids),
                nd.silenceMinutes(),
                AlertRules.severityOf(nd.severity(), "noData"),
                nd.priority())
            : null;

    conditionIds = ids.toArray(String[]::new);
    slotOf = Map.copyOf(slots);
  }

  /** The threshold rules for devices of {@code deviceType}, in rule order. */
  Threshold[] thresholdsFor(String deviceType) {
    Threshold[] resolved = thresholdsByType.get(deviceType);
    if (resolved == null) {
      List<Threshold> applicable = new ArrayList<>();
      for (Threshold t : thresholds) {
        if (t.appliesTo(deviceType)) {
          applicable.add(t);
        }
      }
      resolved = applicable.toArray(Threshold[]::new);
      if (thresholdsByType.size() < MAX_CACHED_TYPES) {
        thresholdsByType.put(deviceType, resolved);
      }
    }
    return resolved;
  }

  /** Rules that share an id share a condition, as they always did. */
  private static int slot(String id, Map<String, Integer> slots, List<String> ids) {
    return slots.computeIfAbsent(
        id,
        k -> {
          ids.add(k);
          return ids.size() - 1;
        });
  }
}
