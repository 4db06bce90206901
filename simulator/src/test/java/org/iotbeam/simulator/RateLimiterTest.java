package org.iotbeam.simulator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;

import org.junit.Test;

public class RateLimiterTest {
  /** 500 permits/s for 2 s (measured with nanoTime) gives 1000 +- 5 %. */
  @Test(timeout = 30_000)
  public void paces500PerSecond() {
    RateLimiter limiter = new RateLimiter(500);
    long t0 = System.nanoTime();
    long end = t0 + 2_000_000_000L;
    int permits = 0;
    while (true) {
      limiter.acquire(1);
      if (System.nanoTime() >= end) {
        break;
      }
      permits++;
    }
    System.out.println("rate limiter: " + permits + " permits in 2 s at 500/s");
    assertThat((double) permits, closeTo(1000, 50));
  }

  @Test(timeout = 30_000)
  public void pacesBatches() {
    RateLimiter limiter = new RateLimiter(2000);
    long t0 = System.nanoTime();
    for (int i = 0; i < 40; i++) {
      limiter.acquire(50); // batch k is due at k * 25 ms: the last (k = 39) at 0.975 s
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.println("rate limiter: 40 batches of 50 at 2000/s took " + seconds + " s");
    assertThat(seconds, closeTo(0.975, 0.05));
  }

  @Test(expected = IllegalArgumentException.class)
  public void rejectsZeroRate() {
    new RateLimiter(0);
  }
}
