package org.iotbeam.domain.alerting;

import java.io.Serializable;
import java.util.ArrayDeque;

/**
 * The readings of one metric over a trailing event-time window, and their least-squares slope.
 * Readings must be added in event-time order (the alert detector sorts them).
 */
public final class TrendWindow implements Serializable {
  private final ArrayDeque<double[]> points = new ArrayDeque<>(); // {minutes since first, value}
  private long originMs = Long.MIN_VALUE;

  public void add(long timestampMs, double value, long windowMs) {
    if (originMs == Long.MIN_VALUE) {
      originMs = timestampMs;
    }
    points.addLast(new double[] {(timestampMs - originMs) / 60_000.0, value});
    double oldest = (timestampMs - windowMs - originMs) / 60_000.0;
    while (!points.isEmpty() && points.peekFirst()[0] < oldest) {
      points.removeFirst();
    }
  }

  public int size() {
    return points.size();
  }

  /** Event time between the oldest and the newest reading in the window, in minutes. */
  public double spanMinutes() {
    return points.isEmpty() ? 0 : points.peekLast()[0] - points.peekFirst()[0];
  }

  /** Change per minute, by least squares; NaN with fewer than two distinct times. */
  public double slopePerMinute() {
    int n = points.size();
    if (n < 2) {
      return Double.NaN;
    }
    double sx = 0, sy = 0;
    for (double[] p : points) {
      sx += p[0];
      sy += p[1];
    }
    double mx = sx / n, my = sy / n, sxx = 0, sxy = 0;
    for (double[] p : points) {
      double dx = p[0] - mx;
      sxx += dx * dx;
      sxy += dx * (p[1] - my);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }
}
