package org.iotbeam.pipelines.notify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.iotbeam.domain.notify.LinkFormat;
import org.iotbeam.domain.notify.NotificationText;
import org.iotbeam.domain.notify.OutgoingMessages;
import org.iotbeam.domain.notify.SeriesNotifier;
import org.iotbeam.pipelines.TestTls;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.Delivery;
import org.iotbeam.proto.Notice;
import org.iotbeam.proto.NoticeKind;
import org.iotbeam.proto.OutgoingMessage;
import org.iotbeam.proto.Severity;
import org.iotbeam.testing.AlertFixtures;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The email channel against a real SMTP server that requires STARTTLS and AUTH: what arrives
 * (sender, recipient, subject, every field of the text, the link, ids that thread a clear under its
 * raise), and what fails how: a relay without STARTTLS, an untrusted certificate, wrong
 * credentials, permanent and temporary refusals.
 */
public class EmailChannelTest {
  static final String USER = "iotbeam-alerts";
  static final String SECRET = "test-only-secret";
  static final Function<String, String> ENV =
      Map.of(SmtpSettings.USERNAME_ENV, USER, SmtpSettings.PASSWORD_ENV, SECRET)::get;
  static final long T = 1_767_237_165_000L; // 2026-01-01T03:12:45Z
  static final NotificationText TEXT =
      new NotificationText(
          LinkFormat.of(
              "https://grafana.example.com/d/iot?var-device={deviceId}&from={raisedAtMs}"));

  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();
  private static TestTls tls;
  private static LocalSmtpServer smtp;

  @BeforeClass
  public static void start() throws Exception {
    tls = TestTls.create(tmp.getRoot().toPath());
    smtp = LocalSmtpServer.start(tls, USER, SECRET);
  }

  @AfterClass
  public static void stop() {
    smtp.close();
  }

  static SmtpSettings settings(int port, String pem) {
    return new SmtpSettings("127.0.0.1", port, "alerts@iotbeam.example", true, pem, 5000);
  }

  static OutgoingMessage message(Alert a, String to) {
    return OutgoingMessages.single(
        Delivery.newBuilder()
            .setRoute("mail")
            .setChannel("email")
            .setRecipient(to)
            .setNotice(
                Notice.newBuilder()
                    .setKey(SeriesNotifier.noticeKey(a))
                    .setKind(
                        a.getState() == org.iotbeam.proto.AlertState.CLEARED
                            ? NoticeKind.ALERT_CLEARED
                            : NoticeKind.ALERT_RAISED)
                    .setAlert(a))
            .build());
  }

  private static List<LocalSmtpServer.Received> to(String address) {
    return smtp.received().stream().filter(r -> r.envelopeTo().equals(address)).toList();
  }

  @Test
  public void aRaiseAndItsClearArriveOverStartTlsWithEverythingAPersonNeeds() throws Exception {
    EmailChannel ch =
        new EmailChannel(settings(smtp.port(), Files.readString(tls.pemFile())), TEXT, ENV);
    Alert raised = AlertFixtures.raised("sensor-7", "hot", Severity.CRITICAL, 1, T, 47.25);
    Alert cleared = AlertFixtures.cleared(raised, T + 300_000L, 44.5);
    ch.send(message(raised, "oncall@example.com"));
    ch.send(message(cleared, "oncall@example.com"));

    List<LocalSmtpServer.Received> got = to("oncall@example.com");
    assertEquals(2, got.size());
    assertEquals("alerts@iotbeam.example", got.get(0).envelopeFrom());
    MimeMessage r = got.get(0).message();
    assertEquals("alerts@iotbeam.example", r.getFrom()[0].toString());
    assertEquals("oncall@example.com", r.getAllRecipients()[0].toString());
    assertEquals(
        "[CRITICAL] RAISED: temperature 47.25 (threshold 45, rule hot) on sensor-7 " + "(plant-a)",
        r.getSubject());
    String body = ((String) r.getContent()).replace("\r\n", "\n");
    for (String expected :
        new String[] {
          "Device:     sensor-7 (type cold-room, site plant-a)",
          "Metric:     temperature",
          "Value:      47.25",
          "Threshold:  45",
          "Severity:   critical, priority 1",
          "Raised at:  2026-01-01 03:12:45 UTC",
          "Cleared at: - (still active)",
          "Details: https://grafana.example.com/d/iot?var-device=sensor-7&from=" + T
        }) {
      assertThat(body, containsString(expected));
    }
    MimeMessage c = got.get(1).message();
    assertThat(c.getSubject(), containsString("[CRITICAL] CLEARED: temperature 44.5"));
    String clearBody = ((String) c.getContent()).replace("\r\n", "\n");
    assertThat(clearBody, containsString("Raised at:  2026-01-01 03:12:45 UTC"));
    assertThat(clearBody, containsString("Cleared at: 2026-01-01 03:17:45 UTC"));
    // stable ids: the key's hash; the clear threads under its raise
    assertEquals(
        EmailChannel.messageId(message(raised, "oncall@example.com").getKey()), r.getMessageID());
    assertEquals(r.getMessageID(), c.getHeader("In-Reply-To")[0]);
    assertEquals(
        "sensor-7|hot|" + T + "|raised|email|oncall@example.com", r.getHeader("X-IoTBeam-Key")[0]);
  }

  @Test
  public void aRelayWithoutStartTlsGetsNothing() {
    try (LocalSmtpServer plain = LocalSmtpServer.startPlain()) {
      EmailChannel ch = new EmailChannel(settings(plain.port(), ""), TEXT, ENV);
      DeliveryException e =
          assertThrows(
              DeliveryException.class,
              () ->
                  ch.send(
                      message(
                          AlertFixtures.raised("d1", "hot", Severity.CRITICAL, 1, T, 50),
                          "a@example.com")));
      assertThat(e.getMessage(), containsString("STARTTLS"));
      assertThat(plain.received(), empty());
    }
  }

  @Test
  public void anUntrustedCertificateIsRefused() {
    // no trusted certificates given: the JVM's trust store, which does not know this one
    EmailChannel ch = new EmailChannel(settings(smtp.port(), ""), TEXT, ENV);
    DeliveryException e =
        assertThrows(
            DeliveryException.class,
            () ->
                ch.send(
                    message(
                        AlertFixtures.raised("d1", "hot", Severity.CRITICAL, 1, T, 50),
                        "untrusted@example.com")));
    assertThat(e.getMessage(), containsString("PKIX"));
    assertThat(to("untrusted@example.com"), empty());
  }

  @Test
  public void wrongCredentialsAreFinal() throws Exception {
    EmailChannel ch =
        new EmailChannel(
            settings(smtp.port(), Files.readString(tls.pemFile())),
            TEXT,
            Map.of(SmtpSettings.USERNAME_ENV, USER, SmtpSettings.PASSWORD_ENV, "wrong")::get);
    DeliveryException e =
        assertThrows(
            DeliveryException.class,
            () ->
                ch.send(
                    message(
                        AlertFixtures.raised("d1", "hot", Severity.CRITICAL, 1, T, 50),
                        "auth@example.com")));
    assertFalse(e.retryable());
    assertThat(e.getMessage(), containsString(SmtpSettings.USERNAME_ENV));
  }

  @Test
  public void aPermanentRefusalIsFinalATemporaryOneIsRetryable() throws Exception {
    EmailChannel ch =
        new EmailChannel(settings(smtp.port(), Files.readString(tls.pemFile())), TEXT, ENV);
    Alert a = AlertFixtures.raised("d1", "hot", Severity.CRITICAL, 1, T, 50);
    try {
      smtp.rejectWith(550, to -> to.startsWith("refused"));
      DeliveryException permanent =
          assertThrows(DeliveryException.class, () -> ch.send(message(a, "refused@example.com")));
      assertFalse(permanent.getMessage(), permanent.retryable());
      smtp.rejectWith(451, to -> to.startsWith("busy"));
      DeliveryException temporary =
          assertThrows(DeliveryException.class, () -> ch.send(message(a, "busy@example.com")));
      assertTrue(temporary.getMessage(), temporary.retryable());
    } finally {
      smtp.rejectWith(0, to -> false);
    }
  }
}
