package org.iotbeam.pipelines.batch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.WindowAggregate;

/**
 * Record-for-record comparison of results, exact to the last bit: a stream and a backfill both
 * build a window's statistics by adding its readings one at a time in the order they arrived
 * ({@code DeviceWindows}), so even means and standard deviations must be identical.
 */
final class SameResults {
  private SameResults() {}

  /** The last pane per id: what an upserting reader ends with. */
  static Map<String, WindowAggregate> finalPanes(List<WindowAggregate> aggregates) {
    Map<String, WindowAggregate> out = new TreeMap<>();
    for (WindowAggregate a : aggregates) {
      out.merge(a.getId(), a, (x, y) -> y.getPaneIndex() > x.getPaneIndex() ? y : x);
    }
    return out;
  }

  static void assertSameAggregates(
      Map<String, WindowAggregate> expected, Map<String, WindowAggregate> actual) {
    List<String> problems = new ArrayList<>();
    diffKeys(expected.keySet(), actual.keySet(), problems);
    for (var e : expected.entrySet()) {
      WindowAggregate x = e.getValue();
      WindowAggregate y = actual.get(e.getKey());
      if (y == null) {
        continue;
      }
      if (!strip(x).equals(strip(y))) {
        problems.add(
            e.getKey()
                + ": "
                + x.toString().replace('\n', ' ')
                + " vs "
                + y.toString().replace('\n', ' '));
      }
    }
    if (!problems.isEmpty()) {
      fail(
          problems.size()
              + " aggregates differ:\n"
              + String.join("\n", problems.subList(0, Math.min(20, problems.size()))));
    }
  }

  /** Alerts by id and state (a raise and its clear share the id). */
  static Map<String, Alert> byIdAndState(List<Alert> alerts) {
    Map<String, Alert> out = new TreeMap<>();
    for (Alert a : alerts) {
      Alert prev = out.put(a.getId() + "/" + a.getState(), a);
      if (prev != null && !prev.equals(a)) {
        fail("two different events for " + a.getId() + "/" + a.getState());
      }
    }
    return out;
  }

  static void assertSameAlerts(List<Alert> expected, List<Alert> actual) {
    assertEquals(expected.size(), actual.size());
    assertEquals(asText(byIdAndState(expected)), asText(byIdAndState(actual)));
  }

  private static Map<String, String> asText(Map<String, Alert> m) {
    Map<String, String> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }

  /** Pane bookkeeping aside, everything must be equal. */
  private static WindowAggregate strip(WindowAggregate a) {
    return a.toBuilder().clearPaneIndex().clearPaneTiming().clearFinalPane().build();
  }

  private static void diffKeys(
      java.util.Set<String> x, java.util.Set<String> y, List<String> problems) {
    for (String k : x) {
      if (!y.contains(k)) {
        problems.add("missing " + k);
      }
    }
    for (String k : y) {
      if (!x.contains(k)) {
        problems.add("unexpected " + k);
      }
    }
  }

  static <T> Map<String, T> index(List<T> items, Function<T, String> id) {
    Map<String, T> out = new TreeMap<>();
    items.forEach(i -> out.put(id.apply(i), i));
    return out;
  }
}
