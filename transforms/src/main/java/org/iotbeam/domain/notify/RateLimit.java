package org.iotbeam.domain.notify;

import java.io.Serializable;

/**
 * At most {@code maxPerRecipient} messages to one recipient (on one channel) per {@code
 * perMinutes}; what comes beyond is held back and sent as one digest when the period ends.
 */
public record RateLimit(int maxPerRecipient, double perMinutes) implements Serializable {
  public static RateLimit defaults() {
    return new RateLimit(10, 15);
  }

  public long periodMillis() {
    return Math.round(perMinutes * 60_000);
  }
}
