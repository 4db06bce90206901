package org.iotbeam.runners.demo;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.iotbeam.domain.notify.ChannelKind;
import org.iotbeam.domain.notify.NotificationRoutes;
import org.iotbeam.domain.notify.Route;
import org.junit.Test;

/** The demo's routes: the log always, e-mail with --smtpHost; its flags are checked. */
public class DemoNotificationsTest {
  private static NotificationRoutes routes(DemoOptions o) {
    return NotificationRoutes.parse(
        DemoNotifications.routesJson(o).getBytes(StandardCharsets.UTF_8), "demo");
  }

  @Test
  public void everyAlertGoesToTheLogRateLimited() {
    NotificationRoutes r = routes(DemoOptions.parse());
    assertEquals(
        List.of("log:demo"),
        r.routes().stream()
            .map(x -> x.channel().id() + ":" + String.join(",", x.to()))
            .collect(Collectors.toList()));
    assertEquals(20, r.rateLimit().maxPerRecipient());
  }

  @Test
  public void withAnSmtpServerAlsoByEmail() {
    DemoOptions o =
        DemoOptions.parse(
            "--smtpHost",
            "smtp.example.com",
            "--smtpFrom",
            "demo@example.com",
            "--smtpTo",
            "a@example.com,b@example.com",
            "--smtpPort",
            "2525");
    Route email = routes(o).routes().get(1);
    assertEquals(ChannelKind.EMAIL, email.channel());
    assertEquals(List.of("a@example.com", "b@example.com"), email.to());
    assertEquals(2525, o.smtpPort);
  }

  @Test
  public void incompleteOrWrongSmtpFlagsAreRefused() {
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> DemoOptions.parse("--smtpHost", "smtp.example.com"))
            .getMessage(),
        containsString("--smtpHost needs --smtpFrom and --smtpTo"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> DemoOptions.parse("--smtpTo", "a@example.com"))
            .getMessage(),
        containsString("need --smtpHost"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    DemoOptions.parse(
                        "--smtpHost", "h", "--smtpFrom", "demo@example.com", "--smtpTo", "nobody"))
            .getMessage(),
        containsString("'nobody' is not an e-mail address"));
  }
}
