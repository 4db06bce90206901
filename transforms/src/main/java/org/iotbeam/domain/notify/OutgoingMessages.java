package org.iotbeam.domain.notify;

import java.util.LinkedHashSet;
import java.util.Set;
import org.iotbeam.proto.Delivery;
import org.iotbeam.proto.OutgoingMessage;

/**
 * Builds the messages channels send, with keys that are the same whenever the same thing is sent
 * again (a replay, a restart): the idempotency key of the send ledger, the e-mail Message-ID, the
 * webhook's Idempotency-Key and the SMS tag.
 */
public final class OutgoingMessages {
  private OutgoingMessages() {}

  /** {@code <notice key>|<channel>|<recipient id>}. */
  public static String key(String noticeKey, String channel, String recipient) {
    return noticeKey + "|" + channel + "|" + recipientId(channel, recipient);
  }

  public static OutgoingMessage single(Delivery d) {
    return OutgoingMessage.newBuilder()
        .setKey(key(d.getNotice().getKey(), d.getChannel(), d.getRecipient()))
        .setChannel(d.getChannel())
        .setRecipient(d.getRecipient())
        .addNotices(d.getNotice())
        .addRoutes(d.getRoute())
        .build();
  }

  /** {@code digest|<channel>|<recipient id>|<period start>}. */
  public static OutgoingMessage digest(
      String channel, String recipient, RecipientRateLimiter.Digest digest, long nowMs) {
    OutgoingMessage.Builder b =
        OutgoingMessage.newBuilder()
            .setKey(
                "digest|"
                    + channel
                    + "|"
                    + recipientId(channel, recipient)
                    + "|"
                    + digest.periodStartMs())
            .setChannel(channel)
            .setRecipient(recipient)
            .setDigest(true)
            .setHeldFromMs(digest.heldFromMs())
            .setHeldUntilMs(nowMs)
            .setUnlisted(digest.unlisted());
    Set<String> routes = new LinkedHashSet<>();
    for (Delivery d : digest.held()) {
      b.addNotices(d.getNotice());
      routes.add(d.getRoute());
    }
    return b.addAllRoutes(routes).build();
  }

  private static String recipientId(String channel, String recipient) {
    return ChannelKind.fromId(channel).map(k -> k.recipientId(recipient)).orElse(recipient);
  }
}
