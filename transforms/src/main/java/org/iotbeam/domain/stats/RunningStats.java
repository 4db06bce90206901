package org.iotbeam.domain.stats;

import java.io.Serializable;
import java.util.Objects;

/**
 * Count, min, max, mean and variance of a stream of timestamped values, mergeable in any order.
 *
 * <p>Mean and variance use Welford's update for one value and Chan, Golub and LeVeque's pairwise
 * formula for merging, so a sum split across any number of workers and merged in any order gives
 * the single-pass result to within rounding (no catastrophic cancellation of sum-of-squares).
 */
public final class RunningStats implements Serializable {
  private long count;
  private double mean;
  private double m2; // sum of squared deviations from the mean
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private long firstTimestampMs = Long.MAX_VALUE;
  private long lastTimestampMs = Long.MIN_VALUE;

  public RunningStats() {}

  /** Restores a value from its parts, as a coder reads it back. */
  public static RunningStats of(
      long count, double mean, double m2, double min, double max, long firstMs, long lastMs) {
    RunningStats s = new RunningStats();
    s.count = count;
    s.mean = mean;
    s.m2 = m2;
    s.min = min;
    s.max = max;
    s.firstTimestampMs = firstMs;
    s.lastTimestampMs = lastMs;
    return s;
  }

  public RunningStats add(double value, long timestampMs) {
    count++;
    double delta = value - mean;
    mean += delta / count;
    m2 += delta * (value - mean);
    min = Math.min(min, value);
    max = Math.max(max, value);
    firstTimestampMs = Math.min(firstTimestampMs, timestampMs);
    lastTimestampMs = Math.max(lastTimestampMs, timestampMs);
    return this;
  }

  /** Folds {@code other} into this one; {@code other} is left unchanged. */
  public RunningStats merge(RunningStats other) {
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      count = other.count;
      mean = other.mean;
      m2 = other.m2;
    } else {
      long n = count + other.count;
      double delta = other.mean - mean;
      // weighted mean instead of mean + delta*nb/n: exact when both means are equal
      mean = (mean * count + other.mean * other.count) / n;
      m2 += other.m2 + delta * delta * ((double) count * other.count / n);
      count = n;
    }
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    firstTimestampMs = Math.min(firstTimestampMs, other.firstTimestampMs);
    lastTimestampMs = Math.max(lastTimestampMs, other.lastTimestampMs);
    return this;
  }

  public long count() {
    return count;
  }

  public double mean() {
    return count == 0 ? Double.NaN : mean;
  }

  public double m2() {
    return m2;
  }

  /** Population variance: the window holds every reading, not a sample of them. */
  public double variance() {
    return count == 0 ? Double.NaN : Math.max(0.0, m2 / count);
  }

  public double stddev() {
    return Math.sqrt(variance());
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  public long firstTimestampMs() {
    return firstTimestampMs;
  }

  public long lastTimestampMs() {
    return lastTimestampMs;
  }

  public RunningStats copy() {
    return of(count, mean, m2, min, max, firstTimestampMs, lastTimestampMs);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RunningStats)) {
      return false;
    }
    RunningStats s = (RunningStats) o;
    return count == s.count
        && Double.compare(mean, s.mean) == 0
        && Double.compare(m2, s.m2) == 0
        && Double.compare(min, s.min) == 0
        && Double.compare(max, s.max) == 0
        && firstTimestampMs == s.firstTimestampMs
        && lastTimestampMs == s.lastTimestampMs;
  }

  @Override
  public int hashCode() {
    return Objects.hash(count, mean, m2, min, max, firstTimestampMs, lastTimestampMs);
  }

  @Override
  public String toString() {
    return String.format(
        "RunningStats{n=%d, mean=%s, sd=%s, min=%s, max=%s}", count, mean(), stddev(), min, max);
  }
}
