package org.iotbeam.domain.notify;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
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

  private static Delivery d(int i) {
    return Delivery.newBuilder()
        .setChannel("email")
        .setRecipient("a@example.com")
        .setRoute("r")
        .setNotice(Notice.newBuilder().setKey("k" + i))
        .build();
  }

  @Test
  public void sendsUpToTheLimitThenHoldsForOneDigestAtTheEndOfThePeriod() {
    RecipientRateLimiter l = new RecipientRateLimiter(new RateLimit(3, 10));
    RecipientState s = new RecipientState();
    assertEquals(new Outcome(Verdict.SEND, true), l.offer(s, d(0), NOW));
    assertEquals(new Outcome(Verdict.SEND, false), l.offer(s, d(1), NOW + 1));
    assertEquals(new Outcome(Verdict.SEND, false), l.offer(s, d(2), NOW + 2));
    assertEquals(new Outcome(Verdict.HOLD, false), l.offer(s, d(3), NOW + 5000));
    assertEquals(new Outcome(Verdict.HOLD, false), l.offer(s, d(4), NOW + 6000));

    Digest digest = l.onPeriodEnd(s, NOW + 600_000).orElseThrow();
    assertEquals(2, digest.total());
    assertEquals("k3", digest.held().get(0).getNotice().getKey());
    assertEquals(NOW + 5000, digest.heldFromMs());
    assertEquals(NOW, digest.periodStartMs());
    // the digest started a new period and counts in it: two more go out, then holding again
    assertEquals(new Outcome(Verdict.SEND, false), l.offer(s, d(5), NOW + 600_001));
    assertEquals(new Outcome(Verdict.SEND, false), l.offer(s, d(6), NOW + 600_002));
    assertEquals(Verdict.HOLD, l.offer(s, d(7), NOW + 600_003).verdict());
    assertEquals(1, l.onPeriodEnd(s, NOW + 1_200_000).orElseThrow().total());
    // a period with nothing held frees the recipient: the next message starts a new one
    assertEquals(Optional.empty(), l.onPeriodEnd(s, NOW + 1_800_000));
    assertEquals(new Outcome(Verdict.SEND, true), l.offer(s, d(8), NOW + 1_900_000));
  }

  @Test
  public void aQuietPeriodEndsWithoutADigest() {
    RecipientRateLimiter l = new RecipientRateLimiter(new RateLimit(1, 10));
    RecipientState s = new RecipientState();
    assertTrue(l.offer(s, d(0), NOW).periodStarted());
    assertEquals(Optional.empty(), l.onPeriodEnd(s, NOW + 600_000));
    Outcome next = l.offer(s, d(1), NOW + 600_001);
    assertEquals(Verdict.SEND, next.verdict());
    assertTrue(next.periodStarted());
    assertFalse(l.offer(s, d(2), NOW + 600_002).periodStarted());
  }

  @Test
  public void aStormIsListedUpToTheCapAndCountedBeyondIt() {
    RecipientRateLimiter l = new RecipientRateLimiter(new RateLimit(1, 10));
    RecipientState s = new RecipientState();
    l.offer(s, d(0), NOW);
    for (int i = 1; i <= RecipientRateLimiter.MAX_HELD + 50; i++) {
      l.offer(s, d(i), NOW + i);
    }
    Digest digest = l.onPeriodEnd(s, NOW + 600_000).orElseThrow();
    assertEquals(RecipientRateLimiter.MAX_HELD, digest.held().size());
    assertEquals(50, digest.unlisted());
    assertEquals(0, s.held());
  }
}
