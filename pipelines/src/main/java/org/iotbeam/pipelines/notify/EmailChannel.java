package org.iotbeam.pipelines.notify;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import java.util.function.Function;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.iotbeam.domain.notify.NotificationText;
import org.iotbeam.domain.notify.OutgoingMessages;
import org.iotbeam.domain.notify.SeriesNotifier;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.NoticeKind;
import org.iotbeam.proto.OutgoingMessage;
import org.iotbeam.transforms.ContentHash;

/**
 * Sends a plain-text e-mail through an SMTP relay (any: Azure Communication Services'
 * smtp.azurecomm.net, Office 365, a company relay) with Jakarta Mail. STARTTLS is required (the
 * connection fails rather than continue in clear text) and the relay's certificate and host name
 * are checked; credentials, when the environment has them, are sent only after STARTTLS.
 *
 * <p>The Message-ID is derived from the message key, so a second send of the same notification
 * carries the same id; the clear of an alert refers to its raise ({@code In-Reply-To}), so mail
 * clients thread them. A connection is opened per message: alerts are rare, and relays close idle
 * connections.
 */
public class EmailChannel implements NotificationChannel {
  private final SmtpSettings smtp;
  private final NotificationText text;
  private final Session session;
  private final String username;
  private final String secret;

  public EmailChannel(SmtpSettings smtp, NotificationText text, Function<String, String> env) {
    this.smtp = smtp;
    this.text = text;
    this.username = env.apply(SmtpSettings.USERNAME_ENV);
    this.secret = env.apply(SmtpSettings.PASSWORD_ENV);
    Properties p = new Properties();
    String timeout = Long.toString(smtp.timeoutMs());
    p.put("mail.smtp.host", smtp.host());
    p.put("mail.smtp.port", Integer.toString(smtp.port()));
    p.put("mail.smtp.connectiontimeout", timeout);
    p.put("mail.smtp.timeout", timeout);
    p.put("mail.smtp.writetimeout", timeout);
    p.put("mail.smtp.auth", Boolean.toString(username != null && !username.isEmpty()));
    if (smtp.startTls()) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
      p.put("mail.smtp.ssl.checkserveridentity", "true");
      p.put("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
      SSLSocketFactory trusted = smtp.socketFactory();
      if (trusted != null) {
        p.put("mail.smtp.ssl.socketFactory", trusted);
      }
    }
    this.session = Session.getInstance(p);
  }

  @Override
  public void send(OutgoingMessage m) throws DeliveryException {
    MimeMessage mail;
    try {
      mail = new KeyedMimeMessage(session, messageId(m.getKey()));
      mail.setFrom(new InternetAddress(smtp.from(), true));
      mail.setRecipient(Message.RecipientType.TO, new InternetAddress(m.getRecipient(), true));
      mail.setSubject(text.subject(m), StandardCharsets.UTF_8.name());
      mail.setText(text.body(m), StandardCharsets.UTF_8.name());
      mail.setSentDate(new Date());
      mail.setHeader("X-IoTBeam-Key", m.getKey());
      if (!m.getDigest() && m.getNotices(0).getKind() == NoticeKind.ALERT_CLEARED) {
        String raised = messageId(raisedKey(m));
        mail.setHeader("In-Reply-To", raised);
        mail.setHeader("References", raised);
      }
    } catch (MessagingException e) {
      throw new DeliveryException("cannot build the e-mail: " + e.getMessage(), false, e);
    }
    try (Transport t = session.getTransport("smtp")) {
      t.connect(smtp.host(), smtp.port(), username, secret);
      t.sendMessage(mail, mail.getAllRecipients());
    } catch (AuthenticationFailedException e) {
      throw new DeliveryException(
          "the SMTP relay refused the credentials of env "
              + SmtpSettings.USERNAME_ENV
              + ": "
              + e.getMessage(),
          false,
          e);
    } catch (MessagingException e) {
      int code = replyCode(e);
      // 5xx: the relay refuses this message for good (bad address, policy); 4xx and
      // connection trouble may pass on another attempt
      throw new DeliveryException(
          "SMTP " + smtp.host() + ":" + smtp.port() + ": " + describe(e),
          code < 500 || code >= 600,
          e);
    }
  }

  /** The key the raise of this clear's alert had, for the same recipient. */
  private static String raisedKey(OutgoingMessage m) {
    Alert a = m.getNotices(0).getAlert().toBuilder().setState(AlertState.RAISED).build();
    return OutgoingMessages.key(SeriesNotifier.noticeKey(a), m.getChannel(), m.getRecipient());
  }

  static String messageId(String key) {
    return "<" + ContentHash.hex(key.getBytes(StandardCharsets.UTF_8)) + "@iotbeam.notifications>";
  }

  private static int replyCode(MessagingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SMTPSendFailedException s) {
        return s.getReturnCode();
      }
      if (t instanceof SMTPAddressFailedException s) {
        return s.getReturnCode();
      }
      if (t instanceof SMTPSenderFailedException s) {
        return s.getReturnCode();
      }
      if (t instanceof SendFailedException s
          && s.getNextException() instanceof MessagingException n
          && n != t) {
        return replyCode(n);
      }
    }
    return 0;
  }

  private static String describe(MessagingException e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()).trim());
    Throwable c = e.getCause() != null ? e.getCause() : e.getNextException();
    if (c != null && c != e) {
      b.append(" (")
          .append(c.getClass().getSimpleName())
          .append(": ")
          .append(String.valueOf(c.getMessage()).trim())
          .append(')');
    }
    return b.toString();
  }

  /** A MimeMessage whose Message-ID is the one given, not a random one. */
  private static final class KeyedMimeMessage extends MimeMessage {
    private final String id;

    KeyedMimeMessage(Session session, String id) {
      super(session);
      this.id = id;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", id);
    }
  }
}
