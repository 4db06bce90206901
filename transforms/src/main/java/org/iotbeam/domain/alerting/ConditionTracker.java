package org.iotbeam.domain.alerting;

import java.io.Serializable;

/**
 * The raise/clear lifecycle of one alert condition on one device.
 *
 * <p>A condition must hold for {@code forReadings} consecutive readings spanning at least {@code
 * forMillis} of event time before it is raised; it is raised once and stays active while it holds;
 * the first reading where it no longer holds clears it. After a clear, the condition cannot be
 * raised again until {@code cooldownMillis} have passed: that de-duplicates a flapping sensor into
 * one alert per cooldown instead of one per reading.
 */
public final class ConditionTracker implements Serializable {
  /** What one reading did to the condition. */
  public enum Transition {
    NONE,
    RAISE,
    CLEAR,
    SUPPRESSED
  }

  private int consecutive;
  private long holdingSinceMs;
  private long holdingUntilMs;
  private boolean active;
  private long raisedAtMs;
  private long quietUntilMs = Long.MIN_VALUE;

  public ConditionTracker() {}

  /** A tracker as a coder reads it back; the arguments are what the accessors returned. */
  public static ConditionTracker restore(
      int consecutive, long holdingSinceMs, boolean active, long raisedAtMs, long quietUntilMs) {
    ConditionTracker c = new ConditionTracker();
    c.consecutive = consecutive;
    c.holdingSinceMs = holdingSinceMs;
    c.active = active;
    c.raisedAtMs = raisedAtMs;
    c.quietUntilMs = quietUntilMs;
    return c;
  }

  public Transition step(
      boolean holds, long timestampMs, int forReadings, long forMillis, long cooldownMillis) {
    if (!holds) {
      consecutive = 0;
      if (active) {
        active = false;
        quietUntilMs = timestampMs + cooldownMillis;
        return Transition.CLEAR;
      }
      return Transition.NONE;
    }
    // the streak's span in event time, whatever order its readings arrived in
    if (consecutive++ == 0) {
      holdingSinceMs = timestampMs;
      holdingUntilMs = timestampMs;
    } else {
      holdingSinceMs = Math.min(holdingSinceMs, timestampMs);
      holdingUntilMs = Math.max(holdingUntilMs, timestampMs);
    }
    if (active || consecutive < forReadings || holdingUntilMs - holdingSinceMs < forMillis) {
      return Transition.NONE;
    }
    if (timestampMs < quietUntilMs) {
      return Transition.SUPPRESSED;
    }
    active = true;
    raisedAtMs = timestampMs;
    return Transition.RAISE;
  }

  public boolean active() {
    return active;
  }

  /** Event time of the reading that raised the active (or last) alert. */
  public long raisedAtMs() {
    return raisedAtMs;
  }

  /** Readings in a row for which the condition held. */
  public int consecutive() {
    return consecutive;
  }

  /** Event time of the first of the {@link #consecutive} readings. */
  public long holdingSinceMs() {
    return holdingSinceMs;
  }

  /** No raise before this event time (the cooldown after a clear); MIN_VALUE before any. */
  public long quietUntilMs() {
    return quietUntilMs;
  }
}
