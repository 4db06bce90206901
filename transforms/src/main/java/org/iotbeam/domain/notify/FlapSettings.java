package org.iotbeam.domain.notify;

import java.io.Serializable;

/**
 * An alert series (one rule on one device) is flapping when it is raised or cleared more than
 * {@code maxTransitions} times within {@code withinMinutes} of event time. It is then notified once
 * as flapping and stays quiet until it has kept one state for {@code settleMinutes}, when one more
 * notice says which state it settled in.
 */
public record FlapSettings(
    boolean enabled, int maxTransitions, double withinMinutes, double settleMinutes)
    implements Serializable {

  public static FlapSettings defaults() {
    return new FlapSettings(true, 4, 30, 30);
  }

  public static FlapSettings disabled() {
    return new FlapSettings(false, Integer.MAX_VALUE, 1, 1);
  }

  public long windowMillis() {
    return Math.round(withinMinutes * 60_000);
  }

  public long settleMillis() {
    return Math.round(settleMinutes * 60_000);
  }
}
