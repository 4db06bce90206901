package org.iotbeam.domain.alerting;

import java.util.Map;
import java.util.TreeMap;
import org.iotbeam.domain.Metric;
import org.iotbeam.proto.ConditionSnapshot;
import org.iotbeam.proto.DeviceAlertSnapshot;
import org.iotbeam.proto.EwmaSnapshot;
import org.iotbeam.proto.TrendSnapshot;

/**
 * {@link DeviceAlertState} to and from its protobuf form ({@code iotbeam/state.proto}), the form
 * checkpoints and savepoints keep: conditions by rule id and metrics by id, so that a state saved
 * under other rules or by another build of the code reads back.
 */
public final class AlertStateSnapshots {
  private AlertStateSnapshots() {}

  public static DeviceAlertSnapshot toSnapshot(DeviceAlertState s) {
    DeviceAlertSnapshot.Builder b = DeviceAlertSnapshot.newBuilder();
    // by rule id: the same state has the same bytes, however its conditions are laid out
    Map<String, ConditionTracker> conditions = new TreeMap<>();
    s.forEachCondition(conditions::put);
    conditions.forEach(
        (id, c) -> {
          ConditionSnapshot.Builder cb =
              ConditionSnapshot.newBuilder()
                  .setRuleId(id)
                  .setConsecutive(c.consecutive())
                  .setHoldingSinceMs(c.holdingSinceMs())
                  .setActive(c.active())
                  .setRaisedAtMs(c.raisedAtMs());
          if (c.quietUntilMs() != Long.MIN_VALUE) {
            cb.setQuietUntilMs(c.quietUntilMs());
          }
          b.addConditions(cb);
        });
    for (Metric m : Metric.values()) {
      EwmaStats e = s.baseline(m);
      if (e != null) {
        b.addBaselines(
            EwmaSnapshot.newBuilder()
                .setMetric(m.id())
                .setCount(e.count())
                .setMean(e.mean())
                .setVariance(e.variance()));
      }
      TrendWindow w = s.trend(m);
      if (w != null) {
        TrendSnapshot.Builder tb = TrendSnapshot.newBuilder().setMetric(m.id());
        for (int k = 0; k < w.size(); k++) {
          tb.addTimesMs(w.timeMs(k)).addValues(w.value(k));
        }
        b.addTrends(tb);
      }
    }
    if (s.lastReadingMs() != Long.MIN_VALUE) {
      b.setLastReadingMs(s.lastReadingMs());
    }
    return b.setLastTraceparent(s.lastTraceparent()).build();
  }

  /**
   * @throws IllegalArgumentException for a metric this build does not know, or a trend whose times
   *     and values do not pair up: a state this code cannot continue
   */
  public static DeviceAlertState fromSnapshot(DeviceAlertSnapshot p) {
    DeviceAlertState s = new DeviceAlertState();
    for (ConditionSnapshot c : p.getConditionsList()) {
      s.restoreCondition(
          c.getRuleId(),
          ConditionTracker.restore(
              c.getConsecutive(),
              c.getHoldingSinceMs(),
              c.getActive(),
              c.getRaisedAtMs(),
              c.hasQuietUntilMs() ? c.getQuietUntilMs() : Long.MIN_VALUE));
    }
    for (EwmaSnapshot e : p.getBaselinesList()) {
      s.restoreBaseline(
          Metric.fromId(e.getMetric()),
          EwmaStats.restore(e.getCount(), e.getMean(), e.getVariance()));
    }
    for (TrendSnapshot t : p.getTrendsList()) {
      s.restoreTrend(
          Metric.fromId(t.getMetric()),
          TrendWindow.of(
              t.getTimesMsList().stream().mapToLong(Long::longValue).toArray(),
              t.getValuesList().stream().mapToDouble(Double::doubleValue).toArray()));
    }
    s.restoreLastReading(
        p.hasLastReadingMs() ? p.getLastReadingMs() : Long.MIN_VALUE, p.getLastTraceparent());
    return s;
  }
}
