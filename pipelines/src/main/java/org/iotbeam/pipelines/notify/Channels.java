package org.iotbeam.pipelines.notify;

import org.iotbeam.domain.notify.ChannelKind;
import org.iotbeam.domain.notify.NotificationText;
import org.iotbeam.pipelines.sinks.AlertWebhookSink;
import org.iotbeam.proto.OutgoingMessage;

/** The channels of the checked configuration, on a worker, and where they send. */
final class Channels {
  private Channels() {}

  static NotificationChannel open(ChannelKind kind, NotifyConfig config) {
    NotificationText text = new NotificationText(config.routes().linkFormat());
    switch (kind) {
      case EMAIL:
        return new EmailChannel(config.smtp(), text, System::getenv);
      case SMS:
        return new SmsChannel(config.sms(), text, System::getenv);
      case WEBHOOK:
        return new WebhookChannel(text, config.timeoutMs());
      case LOG:
        return new LogChannel(text);
      default:
        throw new AssertionError(kind);
    }
  }

  /** Where a message goes, as its circuit breaker knows it (a webhook URL without its query). */
  static String destination(ChannelKind kind, NotifyConfig config, OutgoingMessage m) {
    switch (kind) {
      case EMAIL:
        return "smtp://" + config.smtp().host() + ":" + config.smtp().port();
      case SMS:
        return "Azure Communication Services";
      case WEBHOOK:
        return AlertWebhookSink.redacted(m.getRecipient());
      default:
        return kind.id();
    }
  }
}
