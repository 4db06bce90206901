package org.iotbeam.domain.notify;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.iotbeam.proto.Delivery;

/**
 * The per-recipient rate limit: within a period of {@code perMinutes} (processing time, it is
 * about a person's inbox or phone) at most {@code maxPerRecipient} messages go out; the rest is
 * held, and when the period ends everything held goes out as one digest, which opens the next
 * period and counts in it. A period starts with the first message after the previous one ended.
 * Stateless: the recipient's memory is the {@link RecipientState} passed in.
 */
public final class RecipientRateLimiter implements Serializable {
  /** Held notices listed in one digest; more are only counted. */
  public static final int MAX_HELD = 200;

  private final RateLimit limit;

  public enum Verdict { SEND, HOLD }

  /**
   * @param verdict send now, or held for the digest
   * @param flushAtMs when (processing time) the digest is due: set with the first hold of a
   *     period
   */
  public record Outcome(Verdict verdict, Optional<Long> flushAtMs) {}

  /** What a digest holds. */
  public record Digest(List<Delivery> held, int unlisted, long heldFromMs, long periodStartMs) {
    public int total() {
      return held.size() + unlisted;
    }
  }

  public RecipientRateLimiter(RateLimit limit) {
    this.limit = limit;
  }

  public Outcome offer(RecipientState s, Delivery d, long nowMs) {
    boolean holding = s.held() > 0;
    if (!holding && (s.periodStartMs == Long.MIN_VALUE
        || nowMs >= s.periodStartMs + limit.periodMillis())) {
      s.periodStartMs = nowMs;
      s.sentInPeriod = 0;
    }
    // while a digest is pending everything joins it, even if its period is over: the digest is
    // about to go and keeps the order
    if (!holding && s.sentInPeriod < limit.maxPerRecipient()) {
      s.sentInPeriod++;
      return new Outcome(Verdict.SEND, Optional.empty());
    }
    if (s.held.size() < MAX_HELD) {
      s.held.add(d);
    } else {
      s.heldUnlisted++;
    }
    if (holding) {
      return new Outcome(Verdict.HOLD, Optional.empty());
    }
    s.heldFromMs = nowMs;
    return new Outcome(Verdict.HOLD, Optional.of(s.periodStartMs + limit.periodMillis()));
  }

  /** The digest of what was held, if anything; it opens a new period in which it counts. */
  public Optional<Digest> flush(RecipientState s, long nowMs) {
    if (s.held() == 0) {
      return Optional.empty();
    }
    Digest d = new Digest(List.copyOf(s.held), s.heldUnlisted, s.heldFromMs, s.periodStartMs);
    s.held.clear();
    s.heldUnlisted = 0;
    s.periodStartMs = nowMs;
    s.sentInPeriod = 1;
    return Optional.of(d);
  }
}
