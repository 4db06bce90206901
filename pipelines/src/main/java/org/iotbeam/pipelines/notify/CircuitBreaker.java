package org.iotbeam.pipelines.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops trying a destination (an SMTP relay, the SMS service, one webhook URL) for {@link
 * #COOL_OFF} after {@link #OPEN_AFTER} messages in a row failed there: messages then fail at once
 * instead of each waiting through its retries, so a dead destination does not hold up the pipeline.
 * One per destination and JVM, shared by every worker thread sending there: that the relay is down
 * is true for all of them.
 */
final class CircuitBreaker {
  static final int OPEN_AFTER = 5;
  static final Duration COOL_OFF = Duration.ofSeconds(60);
  private static final Map<String, CircuitBreaker> BY_DESTINATION = new ConcurrentHashMap<>();

  private final String destination;
  private int failuresInARow;
  private long openUntilMs = Long.MIN_VALUE;

  private CircuitBreaker(String destination) {
    this.destination = destination;
  }

  static CircuitBreaker of(String destination) {
    return BY_DESTINATION.computeIfAbsent(destination, CircuitBreaker::new);
  }

  /** Why a message is not tried now, or null when it may be. */
  synchronized String refusal(long nowMs) {
    if (nowMs >= openUntilMs) {
      return null;
    }
    return "not tried: "
        + failuresInARow
        + " messages in a row failed at "
        + destination
        + "; it is tried again after "
        + Instant.ofEpochMilli(openUntilMs);
  }

  synchronized void succeeded() {
    failuresInARow = 0;
    openUntilMs = Long.MIN_VALUE;
  }

  synchronized void failed(long nowMs) {
    if (++failuresInARow >= OPEN_AFTER) {
      openUntilMs = nowMs + COOL_OFF.toMillis();
    }
  }
}
