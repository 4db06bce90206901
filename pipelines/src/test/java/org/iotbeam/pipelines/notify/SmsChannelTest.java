package org.iotbeam.pipelines.notify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
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
import org.junit.After;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The SMS channel: the request Azure Communication Services' SDK really sends (over HTTPS to a
 * local endpoint, signed with the connection string's key), and how its answers are judged.
 */
public class SmsChannelTest {
  private static final long T = EmailChannelTest.T;
  private static final SmsSettings SETTINGS = new SmsSettings("+14255550199", 5000);

  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();
  private static TestTls tls;
  private LocalSmsEndpoint acs;
  private SmsChannel channel;

  @BeforeClass
  public static void certificate() throws Exception {
    tls = TestTls.create(tmp.getRoot().toPath());
  }

  @Before
  public void start() throws Exception {
    acs = new LocalSmsEndpoint(tls);
    channel =
        new SmsChannel(
            SETTINGS,
            EmailChannelTest.TEXT,
            Map.of(SmsSettings.CONNECTION_ENV, acs.connectionString())::get,
            acs.trustingClient());
  }

  @After
  public void stop() {
    acs.close();
  }

  private static OutgoingMessage sms(Alert a) {
    return sms(a, "+14255550123");
  }

  static OutgoingMessage sms(Alert a, String to) {
    return OutgoingMessages.single(
        Delivery.newBuilder()
            .setRoute("page")
            .setChannel("sms")
            .setRecipient(to)
            .setNotice(
                Notice.newBuilder()
                    .setKey(SeriesNotifier.noticeKey(a))
                    .setKind(NoticeKind.ALERT_RAISED)
                    .setAlert(a))
            .build());
  }

  @Test
  public void sendsOneSignedRequestWithTheShortTextAndTheKeyAsTag() throws Exception {
    Alert a = AlertFixtures.raised("sensor-7", "hot", Severity.CRITICAL, 1, T, 47.25);
    channel.send(sms(a));

    assertEquals(1, acs.requests().size());
    LocalSmsEndpoint.Request r = acs.requests().get(0);
    assertEquals("POST", r.method());
    assertThat(r.pathAndQuery(), startsWith("/sms?api-version="));
    assertTrue("HMAC signature made with the connection string's key", r.signatureValid());
    JsonNode body = new ObjectMapper().readTree(r.body());
    assertEquals("+14255550199", body.path("from").asText());
    assertEquals("+14255550123", body.path("smsRecipients").get(0).path("to").asText());
    assertEquals(
        "CRITICAL RAISED sensor-7: temperature 47.25 (limit 45) hot at 01-01 03:12 UTC "
            + "https://grafana.example.com/d/iot?var-device=sensor-7&from="
            + T,
        body.path("message").asText());
    assertTrue(body.path("smsSendOptions").path("enableDeliveryReport").asBoolean());
    assertEquals(
        "sensor-7|hot|" + T + "|raised|sms|+14255550123",
        body.path("smsSendOptions").path("tag").asText());
  }

  @Test
  public void aRefusedNumberIsFinal() {
    acs.answerRecipient(400);
    DeliveryException e =
        assertThrows(
            DeliveryException.class,
            () ->
                channel.send(sms(AlertFixtures.raised("d1", "hot", Severity.CRITICAL, 1, T, 50))));
    assertFalse(e.retryable());
    assertThat(e.getMessage(), containsString("Invalid To phone number"));
  }

  @Test
  public void serviceTroubleIsRetryableBadCredentialsAreNot() {
    Alert a = AlertFixtures.raised("d1", "hot", Severity.CRITICAL, 1, T, 50);
    acs.answerRequest(503);
    assertTrue(assertThrows(DeliveryException.class, () -> channel.send(sms(a))).retryable());
    acs.answerRequest(401);
    DeliveryException e = assertThrows(DeliveryException.class, () -> channel.send(sms(a)));
    assertFalse(e.retryable());
    assertThat(e.getMessage(), containsString("HTTP 401"));
    // one request each: the SDK's own retries are off, the caller's retries count
    assertEquals(2, acs.requests().size());
  }

  @Test
  public void aWorkerWithoutTheConnectionStringGivesDeadLettersNotACrash() {
    SmsChannel unconfigured = new SmsChannel(SETTINGS, EmailChannelTest.TEXT, name -> null);
    DeliveryException e =
        assertThrows(
            DeliveryException.class,
            () ->
                unconfigured.send(
                    sms(AlertFixtures.raised("d1", "hot", Severity.CRITICAL, 1, T, 50))));
    assertFalse(e.retryable());
    assertThat(e.getMessage(), containsString("ACS_CONNECTION_STRING is not set"));
  }

  @Test
  public void anUnreachableServiceIsRetryable() {
    acs.close();
    DeliveryException e =
        assertThrows(
            DeliveryException.class,
            () ->
                channel.send(sms(AlertFixtures.raised("d1", "hot", Severity.CRITICAL, 1, T, 50))));
    assertTrue(e.getMessage(), e.retryable());
  }
}
