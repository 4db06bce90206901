package org.iotbeam.domain.notify;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.iotbeam.proto.Delivery;

/**
 * The per-recipient rate limit. A period of {@code perMinutes} starts with a message to a recipient
 * who has none running; within it at most {@code maxPerRecipient} messages go out and the rest is
 * held. When the period ends ({@link #onPeriodEnd}, a processing-time timer: it is about a person's
 * inbox or phone) everything held goes out as one digest, which starts the next period and counts
 * in it; with nothing held the recipient is free again. Stateless: the recipient's memory is the
 * {@link RecipientState} passed in.
 */
public final class RecipientRateLimiter implements Serializable {
  /** Held notices listed in one digest; more are only counted. */
  public static final int MAX_HELD = 200;

  private final RateLimit limit;

  public enum Verdict {
    SEND,
    HOLD
  }

  /**
   * @param verdict send now, or hold for the digest
   * @param periodStarted a period started: call {@link #onPeriodEnd} after {@link
   *     RateLimit#periodMillis()}
   */
  public record Outcome(Verdict verdict, boolean periodStarted) {}

  /** What a digest holds; {@code periodStartMs} makes its key. */
  public record Digest(List<Delivery> held, int unlisted, long heldFromMs, long periodStartMs) {
    public int total() {
      return held.size() + unlisted;
    }
  }

  public RecipientRateLimiter(RateLimit limit) {
    this.limit = limit;
  }

  public RateLimit limit() {
    return limit;
  }

  /**
   * @param nowMs wall-clock time, for the digest's key and text
   */
  public Outcome offer(RecipientState s, Delivery d, long nowMs) {
    if (!s.inPeriod) {
      s.inPeriod = true;
      s.periodStartMs = nowMs;
      s.sentInPeriod = 1;
      return new Outcome(Verdict.SEND, true);
    }
    if (s.held() == 0 && s.sentInPeriod < limit.maxPerRecipient()) {
      s.sentInPeriod++;
      return new Outcome(Verdict.SEND, false);
    }
    if (s.held() == 0) {
      s.heldFromMs = nowMs;
    }
    if (s.held.size() < MAX_HELD) {
      s.held.add(d);
    } else {
      s.heldUnlisted++;
    }
    return new Outcome(Verdict.HOLD, false);
  }

  /**
   * The end of a period: the digest of what was held, which starts the next period (call again
   * after it), or empty when nothing was held and the recipient is free.
   */
  public Optional<Digest> onPeriodEnd(RecipientState s, long nowMs) {
    if (s.held() == 0) {
      s.inPeriod = false;
      s.sentInPeriod = 0;
      return Optional.empty();
    }
    Digest d = new Digest(List.copyOf(s.held), s.heldUnlisted, s.heldFromMs, s.periodStartMs);
    s.held.clear();
    s.heldUnlisted = 0;
    s.inPeriod = true;
    s.periodStartMs = nowMs;
    s.sentInPeriod = 1;
    return Optional.of(d);
  }
}
