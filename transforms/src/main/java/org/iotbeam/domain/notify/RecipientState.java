package org.iotbeam.domain.notify;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.iotbeam.proto.Delivery;

/**
 * What {@link RecipientRateLimiter} remembers of one recipient on one channel: whether a rate-limit
 * period is running and since when, how much was sent in it, and what is held back for the digest.
 * Mutable; kept in Beam state.
 */
public final class RecipientState implements Serializable {
  boolean inPeriod;
  long periodStartMs;
  int sentInPeriod;
  long heldFromMs;
  final List<Delivery> held = new ArrayList<>();

  /** Held beyond {@link RecipientRateLimiter#MAX_HELD}: counted in the digest, not listed. */
  int heldUnlisted;

  public int held() {
    return held.size() + heldUnlisted;
  }
}
