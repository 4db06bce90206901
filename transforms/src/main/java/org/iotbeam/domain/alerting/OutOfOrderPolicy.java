package org.iotbeam.domain.alerting;

/**
 * What alert detection does with a reading whose event time is older than the newest reading
 * already evaluated for its device (a gateway that resends, a device that uploads a buffer after
 * newer readings got through). Alerts are evaluated on arrival, so such a reading cannot be put
 * back in its place; either way it is counted by the policy's name.
 */
public enum OutOfOrderPolicy {
  /** Evaluate it where it arrives, as if it were the newest (a streak rule may count it). */
  EVALUATE,
  /** Leave it out of alerting; it still counts in the aggregates. */
  SKIP;

  public static OutOfOrderPolicy parse(String s) {
    for (OutOfOrderPolicy p : values()) {
      if (p.name().equalsIgnoreCase(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown out-of-order policy '" + s + "': EVALUATE or SKIP");
  }
}
