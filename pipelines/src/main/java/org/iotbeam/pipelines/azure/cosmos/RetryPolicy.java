package org.iotbeam.pipelines.azure.cosmos;

import java.io.Serializable;
import java.time.Duration;

/**
 * Which failed Cosmos DB item operations are worth another attempt, and how long to wait first.
 *
 * <p>This runs after the SDK's own throttling retries gave up on an item (a bulk response can still
 * carry 429 for single items). The wait honours the server: never shorter than its retry-after;
 * without one, exponential backoff from {@link #baseBackoff()} capped at {@link #maxBackoff()}.
 * Attempts are bounded so a bundle cannot hang forever: after {@link #maxAttempts()} the item is a
 * failure and goes to the sink's failure output.
 */
public final class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int maxAttempts;
  private final Duration baseBackoff;
  private final Duration maxBackoff;

  public RetryPolicy(int maxAttempts, Duration baseBackoff, Duration maxBackoff) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    this.baseBackoff = baseBackoff;
    this.maxBackoff = maxBackoff;
  }

  /** 6 attempts, 100 ms doubling up to 10 s: about 20 s of patience beyond the SDK's own. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(10));
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration baseBackoff() {
    return baseBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * Transient: throttled (429), timeout (408), retry-with (449), gone / partition moved (410),
   * service unavailable (503), failed dependency in a bulk batch (424), and 0 = no response.
   */
  public static boolean isTransient(int statusCode) {
    return switch (statusCode) {
      case 0, 408, 410, 424, 429, 449, 500, 503 -> true;
      default -> false;
    };
  }

  /** The item changed or appeared under us (409 on create, 412 on if-match): read again. */
  public static boolean isConflict(int statusCode) {
    return statusCode == 409 || statusCode == 412;
  }

  /** Whether another attempt may follow attempt number {@code attempt} (1-based). */
  public boolean mayRetry(int attempt) {
    return attempt < maxAttempts;
  }

  /**
   * How long to wait after attempt number {@code attempt} (1-based) failed, given the longest
   * retry-after any throttled item carried (null or zero: none).
   */
  public Duration delay(int attempt, Duration serverRetryAfter) {
    long base = baseBackoff.toMillis();
    int shift = Math.min(Math.max(attempt - 1, 0), 20);
    long backoff = Math.min(maxBackoff.toMillis(), base << shift);
    long server = serverRetryAfter == null ? 0 : Math.max(0, serverRetryAfter.toMillis());
    return Duration.ofMillis(Math.max(backoff, server));
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts="
        + maxAttempts
        + ", base="
        + baseBackoff
        + ", max="
        + maxBackoff
        + "}";
  }
}
