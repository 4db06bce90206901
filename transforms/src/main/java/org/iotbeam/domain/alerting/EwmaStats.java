package org.iotbeam.domain.alerting;

import java.io.Serializable;

/**
 * Exponentially weighted mean and variance (West, 1979 / Finch, 2009): what "normal" has looked
 * like lately for one metric of one device, forgetting the past at rate {@code alpha}.
 */
public final class EwmaStats implements Serializable {
  private long count;
  private double mean;
  private double variance;

  public EwmaStats() {}

  /** Statistics as a coder reads them back. */
  public static EwmaStats restore(long count, double mean, double variance) {
    EwmaStats s = new EwmaStats();
    s.count = count;
    s.mean = mean;
    s.variance = variance;
    return s;
  }

  /** The z-score of {@code x} before it is learned; NaN until two readings were seen. */
  public double zScore(double x) {
    if (count < 2) {
      return Double.NaN;
    }
    double sd = Math.sqrt(variance);
    if (sd == 0) {
      return x == mean ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.abs(x - mean) / sd;
  }

  public void update(double x, double alpha) {
    if (count == 0) {
      mean = x;
      variance = 0;
    } else {
      double diff = x - mean;
      double incr = alpha * diff;
      mean += incr;
      variance = (1 - alpha) * (variance + diff * incr);
    }
    count++;
  }

  public long count() {
    return count;
  }

  public double mean() {
    return mean;
  }

  public double variance() {
    return variance;
  }
}
