package org.iotbeam.domain.stats;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.Test;

public class RunningStatsTest {
  private static final double EPS = 1e-9;

  @Test
  public void matchesTextbookValues() {
    RunningStats s = new RunningStats();
    double[] xs = {2, 4, 4, 4, 5, 5, 7, 9};
    for (int i = 0; i < xs.length; i++) {
      s.add(xs[i], 1000 + i);
    }
    assertEquals(8, s.count());
    assertEquals(5.0, s.mean(), EPS);
    assertEquals(2.0, s.stddev(), EPS); // the classic population-sd example
    assertEquals(2.0, s.min(), 0);
    assertEquals(9.0, s.max(), 0);
    assertEquals(1000, s.firstTimestampMs());
    assertEquals(1007, s.lastTimestampMs());
  }

  @Test
  public void emptyStatsHaveNoMeanAndMergeAsIdentity() {
    RunningStats empty = new RunningStats();
    assertEquals(Double.NaN, empty.mean(), 0);
    RunningStats one = new RunningStats().add(3, 5);
    assertEquals(one, one.copy().merge(new RunningStats()));
    assertEquals(one, new RunningStats().merge(one));
  }

  @Test
  public void largeOffsetDoesNotCancelCatastrophically() {
    RunningStats s = new RunningStats();
    for (int i = 0; i < 1000; i++) {
      s.add(1e9 + (i % 2), i);
    }
    assertEquals(0.5, s.stddev(), 1e-6);
  }

  /** Any split of the input, merged in any order, gives the single-pass result within 1e-9. */
  @Test
  public void randomSplitsMergeToTheSinglePassResult() {
    Random rnd = new Random(42);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rnd.nextInt(2000);
      double scale = Math.pow(10, rnd.nextInt(6) - 2);
      double offset = rnd.nextGaussian() * 100;
      List<double[]> data = new ArrayList<>();
      RunningStats single = new RunningStats();
      for (int i = 0; i < n; i++) {
        double x = offset + rnd.nextGaussian() * scale;
        long ts = rnd.nextInt(1_000_000);
        data.add(new double[] {x, ts});
        single.add(x, ts);
      }
      Collections.shuffle(data, rnd);
      int parts = 1 + rnd.nextInt(Math.min(n, 16));
      List<RunningStats> pieces = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        pieces.add(new RunningStats());
      }
      for (double[] d : data) {
        pieces.get(rnd.nextInt(parts)).add(d[0], (long) d[1]);
      }
      Collections.shuffle(pieces, rnd);
      // merge as a tree, like a combiner across workers and then across bundles
      while (pieces.size() > 1) {
        RunningStats a = pieces.remove(rnd.nextInt(pieces.size()));
        RunningStats b = pieces.remove(rnd.nextInt(pieces.size()));
        pieces.add(a.merge(b));
      }
      RunningStats merged = pieces.get(0);
      String ctx = "trial " + trial + " n=" + n + " parts=" + parts;
      assertEquals(ctx, single.count(), merged.count());
      assertEquals(ctx, single.mean(), merged.mean(), EPS * Math.max(1, Math.abs(offset)));
      assertEquals(ctx, single.stddev(), merged.stddev(), EPS * Math.max(1, scale));
      assertEquals(ctx, single.min(), merged.min(), 0);
      assertEquals(ctx, single.max(), merged.max(), 0);
      assertEquals(ctx, single.firstTimestampMs(), merged.firstTimestampMs());
      assertEquals(ctx, single.lastTimestampMs(), merged.lastTimestampMs());
    }
  }
}
