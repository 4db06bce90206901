package org.iotbeam.pipelines.azure.cosmos;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import org.junit.Test;

public class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2));

  @Test
  public void backoffDoublesAndIsCapped() {
    assertEquals(Duration.ofMillis(100), policy.delay(1, null));
    assertEquals(Duration.ofMillis(200), policy.delay(2, Duration.ZERO));
    assertEquals(Duration.ofMillis(800), policy.delay(4, null));
    assertEquals(Duration.ofSeconds(2), policy.delay(6, null));
    assertEquals(Duration.ofSeconds(2), policy.delay(60, null)); // no overflow
  }

  @Test
  public void retryAfterIsHonouredEvenAboveTheCap() {
    assertEquals(Duration.ofMillis(1500), policy.delay(1, Duration.ofMillis(1500)));
    assertEquals(Duration.ofSeconds(5), policy.delay(2, Duration.ofSeconds(5)));
    // a shorter retry-after than the backoff: the backoff
    assertEquals(Duration.ofMillis(400), policy.delay(3, Duration.ofMillis(5)));
  }

  @Test
  public void attemptsAreBounded() {
    assertTrue(policy.mayRetry(4));
    assertFalse(policy.mayRetry(5));
  }

  @Test
  public void transientAndConflictStatuses() {
    for (int s : new int[] {0, 408, 410, 424, 429, 449, 500, 503}) {
      assertTrue("transient " + s, RetryPolicy.isTransient(s));
    }
    for (int s : new int[] {400, 401, 403, 404, 409, 412, 413}) {
      assertFalse("not transient " + s, RetryPolicy.isTransient(s));
    }
    assertTrue(RetryPolicy.isConflict(409));
    assertTrue(RetryPolicy.isConflict(412));
    assertFalse(RetryPolicy.isConflict(429));
  }
}
