package org.iotbeam.domain.notify;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import org.iotbeam.proto.Alert;

/**
 * What {@link SeriesNotifier} remembers of one alert series (one rule on one device) between its
 * events: the notice keys already decided (with their event times), the event times of recent
 * raises and clears, and whether the series is flapping. Mutable; kept in Beam state.
 */
public final class SeriesState implements Serializable {
  final LinkedHashMap<String, Long> decided = new LinkedHashMap<>();
  final ArrayDeque<Long> transitions = new ArrayDeque<>();
  boolean flapping;
  long lastTransitionMs = Long.MIN_VALUE;

  /** The latest event of the series: what a settled notice reports. */
  Alert latest;

  public boolean flapping() {
    return flapping;
  }

  /** How many notice keys are remembered (bounded by {@link SeriesNotifier}). */
  public int remembered() {
    return decided.size();
  }
}
