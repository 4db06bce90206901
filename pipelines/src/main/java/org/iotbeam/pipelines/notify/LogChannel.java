package org.iotbeam.pipelines.notify;

import org.iotbeam.domain.notify.NotificationText;
import org.iotbeam.proto.OutgoingMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the message instead of sending it (logger {@code org.iotbeam.pipelines.notify.LogChannel},
 * INFO): what the demo shows, and a record of what would go out when trying routes.
 */
public class LogChannel implements NotificationChannel {
  private static final Logger LOG = LoggerFactory.getLogger(LogChannel.class);
  private final NotificationText text;

  public LogChannel(NotificationText text) {
    this.text = text;
  }

  @Override
  public void send(OutgoingMessage m) {
    if (m.getDigest()) {
      LOG.info("notification to log:{}: {}\n{}", m.getRecipient(), text.subject(m), text.body(m));
    } else {
      LOG.info(
          "notification to log:{}: {} | {}", m.getRecipient(), text.subject(m), text.shortText(m));
    }
  }
}
