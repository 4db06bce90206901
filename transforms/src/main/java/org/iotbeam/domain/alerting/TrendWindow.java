package org.iotbeam.domain.alerting;

import java.io.Serializable;

/**
 * The readings of one metric over a trailing event-time window, and their least-squares slope.
 * Readings must be added in event-time order (a reading is judged against the window that ends at
 * it; one added out of order is kept, but nothing is evicted for it).
 *
 * <p>O(1) amortized per reading: the points sit in a ring, and the slope comes from running sums
 * updated as points enter and leave. For numerical stability the sums are of offsets from a
 * reference point inside the window (times in exact milliseconds, values minus the reference's
 * value), and they are recomputed from the points, with a new reference, once the window has moved
 * on by its own length: the offsets stay small and rounding cannot accumulate.
 */
public final class TrendWindow implements Serializable {
  private static final int MIN_CAPACITY = 16;

  // a ring in event-time order: point k (0 = oldest) is at (head + k) & (capacity - 1)
  private long[] times = new long[MIN_CAPACITY];
  private double[] values = new double[MIN_CAPACITY];
  private int head;
  private int size;

  // sums over the points of dt = time - refMs and dy = value - refValue
  private long refMs;
  private double refValue;
  private double sumDt;
  private double sumDy;
  private double sumDtDt;
  private double sumDtDy;

  public void add(long timestampMs, double value, long windowMs) {
    if (size == times.length) {
      grow();
    }
    if (size == 0) {
      refMs = timestampMs;
      refValue = value;
    }
    int tail = (head + size) & (times.length - 1);
    times[tail] = timestampMs;
    values[tail] = value;
    size++;
    accumulate(timestampMs, value, 1);
    long oldest = timestampMs - windowMs;
    while (size > 0 && times[head] < oldest) {
      accumulate(times[head], values[head], -1);
      head = (head + 1) & (times.length - 1);
      size--;
    }
    if (size == 0 || times[head] - refMs > windowMs || refMs - times[head] > windowMs) {
      rebase();
    }
  }

  public int size() {
    return size;
  }

  /** Event time between the oldest and the newest reading in the window, in minutes. */
  public double spanMinutes() {
    return size == 0 ? 0 : (newestMs() - oldestMs()) / 60_000.0;
  }

  /** Change per minute, by least squares; NaN with fewer than two distinct times. */
  public double slopePerMinute() {
    if (size < 2) {
      return Double.NaN;
    }
    // centred co-moments from the sums: sxx = sum (dt - mean dt)^2, sxy likewise
    double sxx = sumDtDt - sumDt * sumDt / size;
    if (!(sxx > 0)) {
      return Double.NaN;
    }
    double sxy = sumDtDy - sumDt * sumDy / size;
    return sxy / sxx * 60_000.0;
  }

  /** The {@code k}-th point in event-time order (0 = oldest): for a coder. */
  public long timeMs(int k) {
    return times[at(k)];
  }

  public double value(int k) {
    return values[at(k)];
  }

  /**
   * Rebuilds a window from its points, oldest first, as {@link #timeMs}/{@link #value} list them.
   */
  public static TrendWindow of(long[] timesMs, double[] values) {
    if (timesMs.length != values.length) {
      throw new IllegalArgumentException(
          timesMs.length + " times but " + values.length + " values");
    }
    TrendWindow w = new TrendWindow();
    int capacity = MIN_CAPACITY;
    while (capacity < timesMs.length) {
      capacity *= 2;
    }
    w.times = new long[capacity];
    w.values = new double[capacity];
    System.arraycopy(timesMs, 0, w.times, 0, timesMs.length);
    System.arraycopy(values, 0, w.values, 0, values.length);
    w.size = timesMs.length;
    w.rebase();
    return w;
  }

  private long oldestMs() {
    return times[head];
  }

  private long newestMs() {
    return times[(head + size - 1) & (times.length - 1)];
  }

  private int at(int k) {
    if (k < 0 || k >= size) {
      throw new IndexOutOfBoundsException(k + " of " + size);
    }
    return (head + k) & (times.length - 1);
  }

  private void accumulate(long timeMs, double value, int sign) {
    double dt = timeMs - refMs;
    double dy = value - refValue;
    sumDt += sign * dt;
    sumDy += sign * dy;
    sumDtDt += sign * dt * dt;
    sumDtDy += sign * dt * dy;
  }

  /** New reference at the oldest point, sums recomputed from the points. */
  private void rebase() {
    sumDt = sumDy = sumDtDt = sumDtDy = 0;
    if (size == 0) {
      return;
    }
    refMs = times[head];
    refValue = values[head];
    for (int k = 0; k < size; k++) {
      int i = (head + k) & (times.length - 1);
      accumulate(times[i], values[i], 1);
    }
  }

  private void grow() {
    int capacity = times.length * 2;
    long[] t = new long[capacity];
    double[] v = new double[capacity];
    for (int k = 0; k < size; k++) {
      int i = (head + k) & (times.length - 1);
      t[k] = times[i];
      v[k] = values[i];
    }
    times = t;
    values = v;
    head = 0;
  }
}
