package org.iotbeam.simulator;

import java.util.concurrent.locks.LockSupport;

/**
 * A steady pacing rate limiter: permit {@code k} is due at {@code start + k / rate}. A caller that
 * falls behind (a slow transport) may catch up in a burst of at most {@code maxBurst} seconds'
 * worth of permits; older debt is forgiven so a stall does not turn into a flood. Not thread-safe:
 * one sender thread paces itself.
 */
public final class RateLimiter {
  private final double permitsPerSecond;
  private final double nanosPerPermit;
  private final long maxDebtNanos;
  private long startNanos = Long.MIN_VALUE;
  private double issued;

  public RateLimiter(double permitsPerSecond) {
    this(permitsPerSecond, 1.0);
  }

  public RateLimiter(double permitsPerSecond, double maxBurstSeconds) {
    if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
      throw new IllegalArgumentException("rate must be > 0 and finite, got " + permitsPerSecond);
    }
    this.permitsPerSecond = permitsPerSecond;
    this.nanosPerPermit = 1e9 / permitsPerSecond;
    this.maxDebtNanos = (long) (maxBurstSeconds * 1e9);
  }

  public double rate() {
    return permitsPerSecond;
  }

  /** Blocks until {@code permits} more may go; returns the nanoseconds it waited. */
  public long acquire(int permits) {
    long now = System.nanoTime();
    if (startNanos == Long.MIN_VALUE) {
      startNanos = now;
    }
    long due = startNanos + (long) (issued * nanosPerPermit);
    if (now - due > maxDebtNanos) {
      // far behind: restart the schedule at now instead of bursting the whole backlog
      startNanos = now - maxDebtNanos;
      issued = 0;
      due = startNanos;
    }
    issued += permits;
    long waited = 0;
    while (true) {
      long remaining = due - System.nanoTime();
      if (remaining <= 0) {
        return waited;
      }
      LockSupport.parkNanos(remaining);
      waited = Math.max(waited, remaining);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return waited;
      }
    }
  }

  /** Nanoseconds per permit, for reporting. */
  public long nanosPerPermit() {
    return (long) nanosPerPermit;
  }
}
