package org.iotbeam.domain.notify;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ways a notification can travel, each with the form its recipients must have. The name in a
 * routes file is the lower-case one ({@code "channel": "email"}).
 */
public enum ChannelKind {
  /** An e-mail address, over SMTP. */
  EMAIL,
  /** A phone number in E.164 form (+ and 7 to 15 digits), through Azure Communication Services. */
  SMS,
  /** An http(s) URL that gets the message as JSON. */
  WEBHOOK,
  /** A name of the pipeline's log: the message is logged, nothing is sent. */
  LOG;

  // deliberately plain: a typo is what this catches, the relay judges deliverability
  private static final Pattern EMAIL_ADDRESS =
      Pattern.compile(
          "^[^@\\s,;<>\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");
  private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
  private static final Pattern LOG_NAME = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

  /** The name used in routes files and metrics. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ChannelKind> fromId(String id) {
    for (ChannelKind k : values()) {
      if (k.id().equals(id)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /**
   * How a recipient appears in message keys, logs and dead-letter ids: itself, but a webhook URL by
   * a hash, since its query may hold a token.
   */
  public String recipientId(String recipient) {
    if (this != WEBHOOK) {
      return recipient;
    }
    try {
      byte[] h =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(recipient.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "url-" + java.util.HexFormat.of().formatHex(h, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Why {@code recipient} cannot be one of this channel's recipients, or empty when it can. */
  public Optional<String> recipientProblem(String recipient) {
    if (recipient == null || recipient.isBlank()) {
      return Optional.of("an empty recipient");
    }
    switch (this) {
      case EMAIL:
        return EMAIL_ADDRESS.matcher(recipient).matches()
            ? Optional.empty()
            : Optional.of("'" + recipient + "' is not an e-mail address");
      case SMS:
        return E164.matcher(recipient).matches()
            ? Optional.empty()
            : Optional.of(
                "'"
                    + recipient
                    + "' is not a phone number in E.164 form (+ and 7 to "
                    + "15 digits, e.g. +14255550123)");
      case WEBHOOK:
        return webhookProblem(recipient);
      case LOG:
        return LOG_NAME.matcher(recipient).matches()
            ? Optional.empty()
            : Optional.of("'" + recipient + "' is not a log name ([A-Za-z0-9._-], 1-64 chars)");
      default:
        throw new AssertionError(this);
    }
  }

  private static Optional<String> webhookProblem(String url) {
    try {
      URI u = new URI(url);
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
        return Optional.empty();
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    // not echoed: a webhook URL's query may hold a token
    return Optional.of("not an http(s) URL with a host");
  }
}
