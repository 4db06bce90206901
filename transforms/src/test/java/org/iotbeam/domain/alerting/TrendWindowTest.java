package org.iotbeam.domain.alerting;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.Test;

public class TrendWindowTest {
  private static final long T0 = 1_790_000_000_000L;
  private static final long MINUTE = 60_000;

  /** The textbook two-pass least-squares slope over the points, per minute. */
  private static double directSlope(ArrayDeque<double[]> points) {
    int n = points.size();
    if (n < 2) {
      return Double.NaN;
    }
    double t0 = points.peekFirst()[0];
    double sx = 0;
    double sy = 0;
    for (double[] p : points) {
      sx += (p[0] - t0) / MINUTE;
      sy += p[1];
    }
    double mx = sx / n;
    double my = sy / n;
    double sxx = 0;
    double sxy = 0;
    for (double[] p : points) {
      double dx = (p[0] - t0) / MINUTE - mx;
      sxx += dx * dx;
      sxy += dx * (p[1] - my);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }

  @Test
  public void incrementalSlopeMatchesADirectLeastSquaresFitOverRandomSeries() {
    Random rnd = new Random(20261129);
    double worst = 0;
    long compared = 0;
    for (int series = 0; series < 100; series++) {
      // levels from a temperature to a pressure, trends up to 5 units a minute either way,
      // noise from none to loud, windows from a minute to an hour, readings 0..30 s apart
      double level = -50 + rnd.nextDouble() * 1150;
      double rate = (rnd.nextBoolean() ? 1 : -1) * (0.01 + rnd.nextDouble() * 5);
      double noise = rnd.nextInt(4) == 0 ? 0 : rnd.nextDouble() * 2;
      long windowMs = new long[] {1, 5, 10, 60}[rnd.nextInt(4)] * MINUTE;
      TrendWindow w = new TrendWindow();
      ArrayDeque<double[]> points = new ArrayDeque<>();
      long ts = T0;
      for (int i = 0; i < 3000; i++) {
        ts += rnd.nextInt(30_001);
        double y = level + rate * (ts - T0) / MINUTE + noise * rnd.nextGaussian();
        w.add(ts, y, windowMs);
        points.addLast(new double[] {ts, y});
        while (points.peekFirst()[0] < ts - windowMs) {
          points.removeFirst();
        }
        assertEquals(points.size(), w.size());
        double direct = directSlope(points);
        double incremental = w.slopePerMinute();
        if (Double.isNaN(direct)) {
          assertTrue("NaN expected at " + i + ", was " + incremental, Double.isNaN(incremental));
          continue;
        }
        // relative to the slope, or to the noise's own scale when the fit is flat by chance
        double scale = Math.max(Math.abs(direct), noise * 1e-3);
        double error = Math.abs(incremental - direct) / scale;
        worst = Math.max(worst, error);
        compared++;
        if (!(error <= 1e-9)) {
          fail(
              String.format(
                  "series %d reading %d: incremental %.17g, direct %.17g",
                  series, i, incremental, direct));
        }
      }
    }
    assertTrue(compared > 250_000);
    System.out.printf(
        "TrendWindowTest: %,d slopes compared, worst relative error %.2e%n", compared, worst);
  }

  @Test
  public void fewerThanTwoDistinctTimesHaveNoSlope() {
    TrendWindow w = new TrendWindow();
    assertTrue(Double.isNaN(w.slopePerMinute()));
    w.add(T0, 20, 10 * MINUTE);
    assertTrue(Double.isNaN(w.slopePerMinute()));
    w.add(T0, 25, 10 * MINUTE);
    w.add(T0, 30, 10 * MINUTE);
    assertTrue(Double.isNaN(w.slopePerMinute()));
    w.add(T0 + MINUTE, 31, 10 * MINUTE);
    assertEquals(6.0, w.slopePerMinute(), 1e-12); // mean 25 at T0, 31 a minute later
  }

  @Test
  public void oldReadingsLeaveTheWindowAndAGapEmptiesIt() {
    TrendWindow w = new TrendWindow();
    for (int i = 0; i <= 20; i++) {
      w.add(T0 + i * MINUTE, 2.0 * i, 10 * MINUTE);
    }
    assertEquals(11, w.size()); // minutes 10..20
    assertEquals(10.0, w.spanMinutes(), 0);
    assertEquals(2.0, w.slopePerMinute(), 1e-12);
    w.add(T0 + 120 * MINUTE, 7, 10 * MINUTE);
    assertEquals(1, w.size());
    assertEquals(0.0, w.spanMinutes(), 0);
    assertTrue(Double.isNaN(w.slopePerMinute()));
  }

  @Test
  public void aRebuiltWindowContinuesLikeTheOriginal() {
    TrendWindow w = new TrendWindow();
    Random rnd = new Random(5);
    for (int i = 0; i < 100; i++) {
      w.add(T0 + i * 10_000L, rnd.nextGaussian(), 10 * MINUTE);
    }
    long[] times = new long[w.size()];
    double[] values = new double[w.size()];
    for (int k = 0; k < w.size(); k++) {
      times[k] = w.timeMs(k);
      values[k] = w.value(k);
    }
    TrendWindow copy = TrendWindow.of(times, values);
    for (int i = 100; i < 200; i++) {
      double y = rnd.nextGaussian();
      w.add(T0 + i * 10_000L, y, 10 * MINUTE);
      copy.add(T0 + i * 10_000L, y, 10 * MINUTE);
      assertEquals(w.size(), copy.size());
      assertEquals(w.slopePerMinute(), copy.slopePerMinute(), 1e-12);
    }
  }
}
