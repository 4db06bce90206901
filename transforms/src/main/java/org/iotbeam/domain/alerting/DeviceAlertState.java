package org.iotbeam.domain.alerting;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.iotbeam.domain.Metric;

/**
 * Everything the alert detector remembers about one device between readings.
 *
 * <p>Conditions are identified by rule id. An {@link AlertEvaluator} addresses them by slot in its
 * own list of rule ids (its layout), so that a reading costs array accesses, not map look-ups; the
 * first reading it evaluates on a state moves the state's conditions into that layout. A condition
 * whose rule the layout does not have (the rules changed since the state was saved) is kept aside,
 * unchanged.
 */
public final class DeviceAlertState implements Serializable {
  String[] layout = new String[0];
  ConditionTracker[] bySlot = new ConditionTracker[0];
  Map<String, ConditionTracker> unbound; // null while empty, as it nearly always is
  final EwmaStats[] baselines = new EwmaStats[Metric.values().length];
  final TrendWindow[] trends = new TrendWindow[Metric.values().length];
  long lastReadingMs = Long.MIN_VALUE;
  String lastTraceparent = "";

  public long lastReadingMs() {
    return lastReadingMs;
  }

  /** The ids of the rules whose alert is currently raised. */
  public Set<String> activeRules() {
    Set<String> out = new TreeSet<>();
    forEachCondition(
        (id, c) -> {
          if (c.active()) {
            out.add(id);
          }
        });
    return out;
  }

  /** Every condition this state tracks, by rule id. */
  public void forEachCondition(BiConsumer<String, ConditionTracker> action) {
    for (int i = 0; i < bySlot.length; i++) {
      if (bySlot[i] != null) {
        action.accept(layout[i], bySlot[i]);
      }
    }
    if (unbound != null) {
      unbound.forEach(action);
    }
  }

  /** Moves every condition into the slots of {@code ids}; a no-op when already there. */
  ConditionTracker[] bind(String[] ids, Map<String, Integer> slotOf) {
    if (layout == ids) {
      return bySlot;
    }
    ConditionTracker[] slots = new ConditionTracker[ids.length];
    Map<String, ConditionTracker> aside = new TreeMap<>();
    forEachCondition(
        (id, c) -> {
          Integer slot = slotOf.get(id);
          if (slot != null) {
            slots[slot] = c;
          } else {
            aside.put(id, c);
          }
        });
    layout = ids;
    bySlot = slots;
    unbound = aside.isEmpty() ? null : aside;
    return slots;
  }

  /** Adds a condition as a coder reads it back; it finds its slot on the next reading. */
  public void restoreCondition(String ruleId, ConditionTracker c) {
    if (unbound == null) {
      unbound = new TreeMap<>();
    }
    unbound.put(ruleId, c);
  }

  /** The anomaly baseline of {@code m}, or null if none was learned yet. */
  public EwmaStats baseline(Metric m) {
    return baselines[m.ordinal()];
  }

  public void restoreBaseline(Metric m, EwmaStats s) {
    baselines[m.ordinal()] = s;
  }

  /** The trend window of {@code m}, or null if none was started yet. */
  public TrendWindow trend(Metric m) {
    return trends[m.ordinal()];
  }

  public void restoreTrend(Metric m, TrendWindow w) {
    trends[m.ordinal()] = w;
  }

  public String lastTraceparent() {
    return lastTraceparent;
  }

  /** The last reading's event time and trace context, as a coder reads them back. */
  public void restoreLastReading(long lastReadingMs, String lastTraceparent) {
    this.lastReadingMs = lastReadingMs;
    this.lastTraceparent = lastTraceparent;
  }
}
