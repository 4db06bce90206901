package org.iotbeam.domain.notify;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertKind;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.Notice;
import org.iotbeam.proto.NoticeKind;
import org.iotbeam.proto.OutgoingMessage;

/**
 * The words of a message: a subject and a body (e-mail, log) and a short text (SMS), for one notice
 * or for a digest. Times are UTC; the link comes from the user's {@link LinkFormat}.
 */
public final class NotificationText implements Serializable {
  /** Longest SMS text: three concatenated segments of 153 GSM characters. */
  public static final int MAX_SMS_CHARS = 459;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SHORT_TIME =
      DateTimeFormatter.ofPattern("MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final int DIGEST_SMS_LINES = 5;

  private final LinkFormat link;

  public NotificationText(LinkFormat link) {
    this.link = link;
  }

  public String subject(OutgoingMessage m) {
    if (m.getDigest()) {
      return "[iotbeam] "
          + m.getNoticesCount()
          + more(m)
          + " notification"
          + (m.getNoticesCount() == 1 ? "" : "s")
          + " held back by the rate limit";
    }
    Notice n = m.getNotices(0);
    Alert a = n.getAlert();
    return "["
        + severity(a)
        + "] "
        + headline(n)
        + ": "
        + what(a)
        + " on "
        + a.getDeviceId()
        + (a.getSite().isEmpty() ? "" : " (" + a.getSite() + ")");
  }

  public String body(OutgoingMessage m) {
    if (m.getDigest()) {
      return digestBody(m);
    }
    Notice n = m.getNotices(0);
    Alert a = n.getAlert();
    StringBuilder b = new StringBuilder();
    b.append(severity(a))
        .append(" alert ")
        .append(headline(n))
        .append(" on device ")
        .append(a.getDeviceId())
        .append("\n\n");
    if (n.getKind() == NoticeKind.FLAPPING) {
      b.append("It was raised and cleared ")
          .append(n.getTransitions())
          .append(" times within ")
          .append(number(n.getWindowMinutes()))
          .append(
              " minutes. Its next raises and clears are"
                  + " not sent one by one: you get one message when it has kept one state for a"
                  + " while.\n\n");
    } else if (n.getKind() == NoticeKind.SETTLED) {
      b.append("It stopped flapping: ")
          .append(a.getState() == AlertState.CLEARED ? "cleared" : "raised")
          .append(" since ")
          .append(time(a.getEventTimeMs()))
          .append(", no change for ")
          .append(number(n.getWindowMinutes()))
          .append(" minutes.\n\n");
    }
    row(b, "Device", a.getDeviceId() + details(a));
    row(b, "Rule", a.getRuleId() + " (" + a.getKind().name().toLowerCase(Locale.ROOT) + ")");
    if (a.getKind() == AlertKind.NO_DATA) {
      row(b, "Metric", "- (no data for " + number(a.getThreshold()) + " minutes)");
    } else {
      row(b, "Metric", a.getMetric());
      row(b, "Value", number(a.getValue()));
      row(b, "Threshold", number(a.getThreshold()));
    }
    row(b, "Severity", severity(a).toLowerCase(Locale.ROOT) + ", priority " + a.getPriority());
    row(b, "Raised at", time(a.getRaisedAtMs()));
    row(
        b,
        "Cleared at",
        a.getState() == AlertState.CLEARED ? time(a.getClearedAtMs()) : "- (still active)");
    row(b, "Alert id", a.getId());
    if (!a.getMessage().isEmpty()) {
      b.append('\n').append(a.getMessage()).append('\n');
    }
    String url = link.render(a);
    if (!url.isEmpty()) {
      b.append("\nDetails: ").append(url).append('\n');
    }
    return b.toString();
  }

  /** One short line per notice, for SMS: the essentials and the link. */
  public String shortText(OutgoingMessage m) {
    if (m.getDigest()) {
      StringBuilder b =
          new StringBuilder(
              "iotbeam: " + m.getNoticesCount() + more(m) + " held back by the rate limit:");
      int shown = 0;
      for (Notice n : m.getNoticesList()) {
        if (shown++ == DIGEST_SMS_LINES) {
          b.append(" ...");
          break;
        }
        Alert a = n.getAlert();
        b.append(' ')
            .append(severity(a))
            .append(' ')
            .append(headline(n))
            .append(' ')
            .append(a.getDeviceId())
            .append(' ')
            .append(a.getRuleId())
            .append(';');
      }
      return cut(b.toString());
    }
    Notice n = m.getNotices(0);
    Alert a = n.getAlert();
    String text =
        severity(a)
            + " "
            + headline(n)
            + " "
            + a.getDeviceId()
            + ": "
            + (a.getKind() == AlertKind.NO_DATA
                ? "no data"
                : a.getMetric()
                    + " "
                    + number(a.getValue())
                    + " (limit "
                    + number(a.getThreshold())
                    + ")")
            + " "
            + a.getRuleId()
            + " at "
            + SHORT_TIME.format(Instant.ofEpochMilli(a.getEventTimeMs()));
    String url = link.render(a);
    return cut(url.isEmpty() ? text : text + " " + url);
  }

  private String digestBody(OutgoingMessage m) {
    StringBuilder b = new StringBuilder();
    b.append(m.getNoticesCount())
        .append(more(m))
        .append(" notifications for ")
        .append(m.getRecipient())
        .append(" were held back by the rate limit between ")
        .append(time(m.getHeldFromMs()))
        .append(" and ")
        .append(time(m.getHeldUntilMs()))
        .append(":\n\n");
    for (Notice n : m.getNoticesList()) {
      Alert a = n.getAlert();
      b.append(time(a.getEventTimeMs()))
          .append("  ")
          .append(severity(a))
          .append(' ')
          .append(headline(n))
          .append("  ")
          .append(a.getDeviceId())
          .append("  ")
          .append(what(a))
          .append("  ")
          .append(a.getId());
      String url = link.render(a);
      if (!url.isEmpty()) {
        b.append("  ").append(url);
      }
      b.append('\n');
    }
    if (m.getUnlisted() > 0) {
      b.append("... and ")
          .append(m.getUnlisted())
          .append(" more not listed here (see the alerts topic or files).\n");
    }
    return b.toString();
  }

  private static String more(OutgoingMessage m) {
    return m.getUnlisted() > 0 ? " (+" + m.getUnlisted() + " more)" : "";
  }

  static String headline(Notice n) {
    switch (n.getKind()) {
      case ALERT_RAISED:
        return "RAISED";
      case ALERT_CLEARED:
        return "CLEARED";
      case FLAPPING:
        return "FLAPPING";
      case SETTLED:
        return "SETTLED "
            + (n.getAlert().getState() == AlertState.CLEARED ? "(cleared)" : "(raised)");
      default:
        return n.getKind().name();
    }
  }

  private static String what(Alert a) {
    if (a.getKind() == AlertKind.NO_DATA) {
      return "no data for " + number(a.getThreshold()) + " min";
    }
    return a.getMetric()
        + " "
        + number(a.getValue())
        + " (threshold "
        + number(a.getThreshold())
        + ", rule "
        + a.getRuleId()
        + ")";
  }

  private static String details(Alert a) {
    if (a.getDeviceType().isEmpty() && a.getSite().isEmpty()) {
      return "";
    }
    return " (type "
        + (a.getDeviceType().isEmpty() ? "-" : a.getDeviceType())
        + ", site "
        + (a.getSite().isEmpty() ? "-" : a.getSite())
        + ")";
  }

  private static String severity(Alert a) {
    return a.getSeverity().name();
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append("  ")
        .append(String.format(Locale.ROOT, "%-12s", name + ":"))
        .append(value)
        .append('\n');
  }

  static String time(long ms) {
    return TIME.format(Instant.ofEpochMilli(ms));
  }

  /** At most three decimals, no trailing zeros: 47.2, -110, 0.005. */
  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    return BigDecimal.valueOf(v)
        .setScale(3, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }

  private static String cut(String s) {
    return s.length() <= MAX_SMS_CHARS ? s : s.substring(0, MAX_SMS_CHARS - 3) + "...";
  }
}
