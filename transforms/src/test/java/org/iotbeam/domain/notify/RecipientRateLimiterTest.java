package org.iotbeam.domain.notify;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Optional;
import org.iotbeam.domain.notify.RecipientRateLimiter.Digest;
import org.iotbeam.domain.notify.RecipientRateLimiter.Outcome;
import org.iotbeam.domain.notify.RecipientRateLimiter.Verdict;
import org.iotbeam.proto.Delivery;
import org.iotbeam.proto.Notice;
import org.junit.Test;

public class RecipientRateLimiterTest {
  private static final long NOW = 1_000_000_000L;
  private static final long MIN = 60_000L;

  private static Delivery d(int i) {
    return Delivery.newBuilder().setChannel("email").setRecipient("a@example.com")
        .setRoute("r").setNotice(Notice.newBuilder().setKey("k" + i)).build();
  }

  @Test
  public void sendsUpToTheLimitThenHoldsForOneDigestAtTheEndOfThePeriod() {
    RecipientRateLimiter l = new RecipientRateLimiter(new RateLimit(3, 10));
    RecipientState s = new RecipientState();
    for (int i = 0; i < 3; i++) {
      assertEquals(Verdict.SEND, l.offer(s, d(i), NOW + i * 1000).verdict());
    }
    Outcome firstHold = l.offer(s, d(3), NOW + 5000);
    assertEquals(Verdict.HOLD, firstHold.verdict());
    assertEquals(Optional.of(NOW + 10 * MIN), firstHold.flushAtMs());
    Outcome nextHold = l.offer(s, d(4), NOW + 6000);
    assertEquals(new Outcome(Verdict.HOLD, Optional.empty()), nextHold);
    // the period is over, but the digest is pending: this one joins it
    assertEquals(Verdict.HOLD, l.offer(s, d(5), NOW + 10 * MIN + 1).verdict());

    Digest digest = l.flush(s, NOW + 10 * MIN + 2).orElseThrow();
    assertEquals(3, digest.total());
    assertEquals("k3", digest.held().get(0).getNotice().getKey());
    assertEquals(NOW + 5000, digest.heldFromMs());
    assertEquals(Optional.empty(), l.flush(s, NOW + 10 * MIN + 3));
    // the digest opened a new period and counts in it: two more go out, then holding again
    assertEquals(Verdict.SEND, l.offer(s, d(6), NOW + 11 * MIN).verdict());
    assertEquals(Verdict.SEND, l.offer(s, d(7), NOW + 11 * MIN).verdict());
    assertEquals(Verdict.HOLD, l.offer(s, d(8), NOW + 11 * MIN).verdict());
  }

  @Test
  public void aQuietRecipientStartsAFreshPeriod() {
    RecipientRateLimiter l = new RecipientRateLimiter(new RateLimit(1, 10));
    RecipientState s = new RecipientState();
    assertEquals(Verdict.SEND, l.offer(s, d(0), NOW).verdict());
    assertEquals(Verdict.SEND, l.offer(s, d(1), NOW + 10 * MIN).verdict());
    assertEquals(Verdict.HOLD, l.offer(s, d(2), NOW + 11 * MIN).verdict());
  }

  @Test
  public void aStormIsListedUpToTheCapAndCountedBeyondIt() {
    RecipientRateLimiter l = new RecipientRateLimiter(new RateLimit(1, 10));
    RecipientState s = new RecipientState();
    l.offer(s, d(0), NOW);
    for (int i = 1; i <= RecipientRateLimiter.MAX_HELD + 50; i++) {
      l.offer(s, d(i), NOW + i);
    }
    Digest digest = l.flush(s, NOW + 10 * MIN).orElseThrow();
    assertEquals(RecipientRateLimiter.MAX_HELD, digest.held().size());
    assertEquals(50, digest.unlisted());
    assertTrue(s.held() == 0);
  }
}
