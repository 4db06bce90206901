package org.iotbeam.domain.notify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import org.iotbeam.proto.Alert;
import org.iotbeam.proto.Delivery;
import org.iotbeam.proto.Notice;
import org.iotbeam.proto.NoticeKind;
import org.iotbeam.proto.OutgoingMessage;
import org.iotbeam.proto.Severity;
import org.iotbeam.testing.AlertFixtures;
import org.iotbeam.testing.Fixtures;
import org.junit.Test;

public class NotificationTextTest {
  private static final long T = Fixtures.T0 + 3 * 3_600_000L + 12 * 60_000L + 45_000L;
  private static final NotificationText TEXT =
      new NotificationText(
          LinkFormat.of(
              "https://grafana.example.com/d/iot?var-device={deviceId}&from={raisedAtMs}"));
  private static final Alert RAISED =
      AlertFixtures.raised("sensor-7", "hot", Severity.CRITICAL, 1, T, 47.25);
  private static final Alert CLEARED = AlertFixtures.cleared(RAISED, T + 300_000L, 44.5);

  private static OutgoingMessage one(Alert a, NoticeKind kind) {
    return OutgoingMessages.single(
        Delivery.newBuilder()
            .setChannel("email")
            .setRecipient("oncall@example.com")
            .setRoute("r")
            .setNotice(
                Notice.newBuilder()
                    .setKey(SeriesNotifier.noticeKey(a))
                    .setKind(kind)
                    .setAlert(a)
                    .setTransitions(5)
                    .setWindowMinutes(30))
            .build());
  }

  @Test
  public void aRaisedAlertSaysWhatWhereHowBadAndWhen() {
    OutgoingMessage m = one(RAISED, NoticeKind.ALERT_RAISED);
    assertEquals(
        "[CRITICAL] RAISED: temperature 47.25 (threshold 45, rule hot) on sensor-7 " + "(plant-a)",
        TEXT.subject(m));
    String body = TEXT.body(m);
    assertThat(body, containsString("CRITICAL alert RAISED on device sensor-7"));
    assertThat(body, containsString("Device:     sensor-7 (type cold-room, site plant-a)"));
    assertThat(body, containsString("Rule:       hot (threshold)"));
    assertThat(body, containsString("Metric:     temperature\n"));
    assertThat(body, containsString("Value:      47.25\n"));
    assertThat(body, containsString("Threshold:  45\n"));
    assertThat(body, containsString("Severity:   critical, priority 1"));
    assertThat(body, containsString("Raised at:  2026-01-01 03:12:45 UTC"));
    assertThat(body, containsString("Cleared at: - (still active)"));
    assertThat(body, containsString("temperature above 45 C for 3 readings in a row"));
    assertThat(
        body,
        containsString(
            "Details: https://grafana.example.com/d/iot?" + "var-device=sensor-7&from=" + T));
  }

  @Test
  public void aClearedAlertGivesBothTimesAndTheClearingValue() {
    OutgoingMessage m = one(CLEARED, NoticeKind.ALERT_CLEARED);
    assertThat(TEXT.subject(m), containsString("[CRITICAL] CLEARED: temperature 44.5"));
    String body = TEXT.body(m);
    assertThat(body, containsString("Raised at:  2026-01-01 03:12:45 UTC"));
    assertThat(body, containsString("Cleared at: 2026-01-01 03:17:45 UTC"));
    assertThat(body, containsString("Value:      44.5\n"));
  }

  @Test
  public void flappingAndSettledSayWhatHappensNext() {
    String flapping = TEXT.body(one(RAISED, NoticeKind.FLAPPING));
    assertThat(flapping, containsString("raised and cleared 5 times within 30 minutes"));
    assertThat(TEXT.subject(one(CLEARED, NoticeKind.SETTLED)), containsString("SETTLED (cleared)"));
    assertThat(
        TEXT.body(one(CLEARED, NoticeKind.SETTLED)),
        containsString("It stopped flapping: cleared since 2026-01-01 03:17:45 UTC"));
  }

  @Test
  public void theSmsTextIsShortAndCarriesTheLink() {
    String sms = TEXT.shortText(one(RAISED, NoticeKind.ALERT_RAISED));
    assertEquals(
        "CRITICAL RAISED sensor-7: temperature 47.25 (limit 45) hot at 01-01 03:12 UTC"
            + " https://grafana.example.com/d/iot?var-device=sensor-7&from="
            + T,
        sms);
    Alert longMessage = RAISED.toBuilder().setDeviceId("x".repeat(600)).build();
    assertThat(
        TEXT.shortText(one(longMessage, NoticeKind.ALERT_RAISED)).length(),
        lessThanOrEqualTo(NotificationText.MAX_SMS_CHARS));
  }

  @Test
  public void aDigestListsWhatWasHeldBack() {
    RecipientRateLimiter.Digest d =
        new RecipientRateLimiter.Digest(
            java.util.List.of(
                Delivery.newBuilder()
                    .setRoute("a")
                    .setNotice(
                        Notice.newBuilder().setKind(NoticeKind.ALERT_RAISED).setAlert(RAISED))
                    .build(),
                Delivery.newBuilder()
                    .setRoute("b")
                    .setNotice(
                        Notice.newBuilder().setKind(NoticeKind.ALERT_CLEARED).setAlert(CLEARED))
                    .build()),
            3,
            T,
            T - 1000);
    OutgoingMessage m = OutgoingMessages.digest("email", "oncall@example.com", d, T + 600_000L);
    assertEquals("digest|email|oncall@example.com|" + (T - 1000), m.getKey());
    assertEquals(
        "[iotbeam] 2 (+3 more) notifications held back by the rate limit", TEXT.subject(m));
    String body = TEXT.body(m);
    assertThat(
        body,
        containsString(
            "for oncall@example.com were held back by the rate limit "
                + "between 2026-01-01 03:12:45 UTC and 2026-01-01 03:22:45 UTC"));
    assertThat(
        body,
        containsString(
            "2026-01-01 03:12:45 UTC  CRITICAL RAISED  sensor-7  " + "temperature 47.25"));
    assertThat(body, containsString("2026-01-01 03:17:45 UTC  CRITICAL CLEARED  sensor-7"));
    assertThat(body, containsString("... and 3 more not listed"));
    assertThat(TEXT.shortText(m), containsString("iotbeam: 2 (+3 more) held back"));
    assertThat(TEXT.shortText(m), not(containsString("https://")));
  }
}
