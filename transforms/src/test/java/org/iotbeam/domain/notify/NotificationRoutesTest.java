package org.iotbeam.domain.notify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.iotbeam.domain.BundledConfig;
import org.iotbeam.domain.InvalidConfigException;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.Delivery;
import org.iotbeam.proto.Notice;
import org.iotbeam.proto.NoticeKind;
import org.iotbeam.proto.Severity;
import org.iotbeam.testing.AlertFixtures;
import org.iotbeam.testing.Fixtures;
import org.junit.Test;

public class NotificationRoutesTest {
  private static final long T = Fixtures.T0;

  private static NotificationRoutes parse(String json) {
    return NotificationRoutes.parse(json.getBytes(StandardCharsets.UTF_8), "test.json");
  }

  private static Notice notice(Alert a) {
    return Notice.newBuilder()
        .setKey(SeriesNotifier.noticeKey(a))
        .setKind(
            a.getState() == org.iotbeam.proto.AlertState.CLEARED
                ? NoticeKind.ALERT_CLEARED
                : NoticeKind.ALERT_RAISED)
        .setAlert(a)
        .build();
  }

  private static List<String> targets(NotificationRoutes routes, Alert a) {
    return routes.deliveries(notice(a)).stream()
        .map(d -> d.getRoute() + ":" + d.getChannel() + ":" + d.getRecipient())
        .collect(Collectors.toList());
  }

  @Test
  public void theBundledExampleIsValidAndUsesEveryChannel() {
    NotificationRoutes r =
        NotificationRoutes.parse(
            BundledConfig.read("iotbeam/example-notification-routes.json"), "example");
    assertEquals(EnumSet.allOf(ChannelKind.class), r.channels());
    assertEquals(10, r.rateLimit().maxPerRecipient());
    assertEquals(4, r.flapping().maxTransitions());
    assertFalse(r.linkFormat().isEmpty());
  }

  @Test
  public void routesBySeverityPriorityStateSiteAndDeviceType() {
    NotificationRoutes r =
        parse(
            "{\"version\": 1, \"routes\": ["
                + "{\"name\": \"page\", \"severities\": [\"critical\"], \"maxPriority\": 2,"
                + " \"channel\": \"sms\", \"to\": [\"+14255550100\"]},"
                + "{\"name\": \"mail\", \"severities\": [\"critical\", \"warning\"],"
                + " \"channel\": \"email\", \"to\": [\"oncall@example.com\"]},"
                + "{\"name\": \"plant-b\", \"sites\": [\"plant-b\"], \"states\": [\"raised\"],"
                + " \"channel\": \"email\", \"to\": [\"b@example.com\"]},"
                + "{\"name\": \"cold\", \"deviceTypes\": [\"cold-room\"], \"states\": [\"raised\"],"
                + " \"channel\": \"email\", \"to\": [\"oncall@example.com\", \"cold@example.com\"]},"
                + "{\"name\": \"all\", \"channel\": \"log\", \"to\": [\"notifications\"]}]}");
    Alert crit1 = AlertFixtures.raised("d1", "hot", Severity.CRITICAL, 1, T, 50);
    // a cold room in plant-a: page, mail, cold (oncall only once, by the first route), all
    assertThat(
        targets(r, crit1),
        contains(
            "page:sms:+14255550100",
            "mail:email:oncall@example.com",
            "cold:email:cold@example.com",
            "all:log:notifications"));
    // priority 3 is not urgent enough for the page route
    Alert crit3 = AlertFixtures.raised("d1", "hot", Severity.CRITICAL, 3, T, 50);
    assertThat(
        targets(r, crit3),
        contains(
            "mail:email:oncall@example.com",
            "cold:email:cold@example.com",
            "all:log:notifications"));
    // info: only the catch-all; a clear does not go to raised-only routes
    Alert info =
        AlertFixtures.raised("d1", "hot", Severity.INFO, 4, T, 50).toBuilder()
            .setDeviceType("generic")
            .build();
    assertThat(targets(r, info), contains("all:log:notifications"));
    Alert clear = AlertFixtures.cleared(crit1, T + 60_000, 40);
    assertThat(
        targets(r, clear),
        contains(
            "page:sms:+14255550100", "mail:email:oncall@example.com", "all:log:notifications"));
    // site filter
    Alert plantB = crit3.toBuilder().setSite("plant-b").setDeviceType("hvac").build();
    assertThat(
        targets(r, plantB),
        contains(
            "mail:email:oncall@example.com",
            "plant-b:email:b@example.com",
            "all:log:notifications"));
  }

  @Test
  public void flappingAndSettledNoticesIgnoreTheStateFilter() {
    NotificationRoutes r =
        parse(
            "{\"version\": 1, \"routes\": [{\"name\": \"raised-only\","
                + " \"states\": [\"raised\"], \"channel\": \"log\", \"to\": [\"x\"]}]}");
    Alert clear =
        AlertFixtures.cleared(
            AlertFixtures.raised("d1", "hot", Severity.WARNING, 3, T, 50), T + 1, 40);
    assertThat(r.deliveries(notice(clear)), empty());
    for (NoticeKind k : new NoticeKind[] {NoticeKind.FLAPPING, NoticeKind.SETTLED}) {
      List<Delivery> d = r.deliveries(notice(clear).toBuilder().setKind(k).build());
      assertEquals(k.name(), 1, d.size());
    }
  }

  @Test
  public void everyProblemIsListedAtOnce() {
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () ->
                parse(
                    "{\"version\": 2, \"linkFormat\": \"https://x.example/{device}\","
                        + " \"rateLimit\": {\"maxPerRecipient\": 0, \"perMinutes\": -1},"
                        + " \"flapping\": {\"maxTransitions\": 0, \"withinMinutes\": 0},"
                        + " \"routes\": ["
                        + "{\"name\": \"a\", \"severities\": [\"severe\"], \"maxPriority\": 9,"
                        + " \"channel\": \"pager\", \"to\": [\"x\"]},"
                        + "{\"name\": \"a\", \"states\": [\"open\"], \"channel\": \"email\","
                        + " \"to\": [\"not-an-address\", \"ok@example.com\"]},"
                        + "{\"channel\": \"sms\", \"to\": [\"0123\"]},"
                        + "{\"name\": \"hook\", \"channel\": \"webhook\", \"to\": [\"ftp://x?token=s3cret\"]},"
                        + "{\"name\": \"nobody\", \"channel\": \"log\"}]}"));
    List<String> p = e.problems();
    assertThat(
        p,
        containsInAnyOrder(
            "version 2 is not supported; this build reads version 1",
            "route 'a': unknown severity 'severe'; use critical, warning or info",
            "route 'a': maxPriority must be 1..5 (1 = page someone), was 9",
            "route 'a': unknown channel 'pager'; use email, sms, webhook, log",
            "route 'a': the name is used twice",
            "route 'a': unknown state 'open'; use raised or cleared",
            "route 'a', to[0]: 'not-an-address' is not an e-mail address",
            "routes[2] has no \"name\"",
            "routes[2], to[0]: '0123' is not a phone number in E.164 form (+ and 7 to 15 digits, "
                + "e.g. +14255550123)",
            "route 'hook', to[0]: not an http(s) URL with a host",
            "route 'nobody' has no recipients (\"to\")",
            "linkFormat: unknown placeholder {device}; use {alertId}, {deviceId}, {deviceType}, "
                + "{eventTime}, {eventTimeMs}, {metric}, {raisedAt}, {raisedAtMs}, {ruleId}, "
                + "{severity}, {site}, {state}",
            "rateLimit.maxPerRecipient must be 1 or more, was 0",
            "rateLimit.perMinutes must be a positive number of minutes, was -1.0",
            "flapping.maxTransitions must be 1 or more, was 0",
            "flapping.withinMinutes must be a positive number of minutes, was 0.0",
            "flapping.settleMinutes must be a positive number of minutes, was 0.0"));
    assertThat(
        "a webhook token is not echoed",
        e.getMessage(),
        org.hamcrest.Matchers.not(containsString("s3cret")));
    assertThat(e.getMessage(), containsString("notification routes test.json is not valid"));
  }

  @Test
  public void syntaxErrorsUnknownFieldsAndMissingPartsAreReported() {
    assertThat(
        assertThrows(InvalidConfigException.class, () -> parse("{\"version\": 1,"))
            .problems()
            .get(0),
        containsString("is not valid"));
    assertThat(
        assertThrows(InvalidConfigException.class, () -> parse("{\"version\": 1, \"route\": []}"))
            .problems()
            .get(0),
        containsString("route"));
    assertThat(
        assertThrows(InvalidConfigException.class, () -> parse("{\"routes\": []}")).problems(),
        containsInAnyOrder(
            "\"version\" is missing; this build reads \"version\": 1",
            "\"routes\" is empty: give at least one route (or no routes file at all to turn "
                + "notifications off)"));
  }

  @Test
  public void theLinkFormatFillsInUrlEncodedValues() {
    LinkFormat f =
        LinkFormat.of(
            "https://grafana.example.com/d/x?var-device={deviceId}"
                + "&alert={alertId}&from={raisedAtMs}&at={raisedAt}");
    Alert a = AlertFixtures.raised("dev 1/a", "hot", Severity.CRITICAL, 1, T, 50);
    assertEquals(
        "https://grafana.example.com/d/x?var-device=dev%201%2Fa"
            + "&alert=dev%201%2Fa%7Chot%7C"
            + T
            + "&from="
            + T
            + "&at=2026-01-01T00%3A00%3A00Z",
        f.render(a));
    assertEquals("", LinkFormat.none().render(a));
    assertThat(
        LinkFormat.problems("grafana/{deviceId}"),
        hasItem("linkFormat: must be an http(s) URL, was grafana/{deviceId}"));
    assertThat(
        LinkFormat.problems("https://x.example/{deviceId"),
        hasItem("linkFormat: a '{' or '}' that is not part of a placeholder"));
    assertTrue(LinkFormat.problems("https://x.example/{deviceId}").isEmpty());
  }
}
