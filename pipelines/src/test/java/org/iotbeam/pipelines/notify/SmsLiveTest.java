package org.iotbeam.pipelines.notify;

import static org.junit.Assume.assumeTrue;

import org.iotbeam.domain.notify.LinkFormat;
import org.iotbeam.domain.notify.NotificationText;
import org.iotbeam.proto.Severity;
import org.iotbeam.testing.AlertFixtures;
import org.junit.Test;

/**
 * One real SMS through Azure Communication Services, when the environment has what it needs: {@code
 * ACS_CONNECTION_STRING}, {@code ACS_SMS_FROM} (a number of the resource) and {@code ACS_SMS_TO} (a
 * phone that may receive it). Skipped otherwise (as on CI).
 */
public class SmsLiveTest {
  @Test
  public void sendsARealSms() throws Exception {
    String from = System.getenv("ACS_SMS_FROM");
    String to = System.getenv("ACS_SMS_TO");
    assumeTrue(
        "ACS_CONNECTION_STRING, ACS_SMS_FROM and ACS_SMS_TO are needed",
        System.getenv(SmsSettings.CONNECTION_ENV) != null && from != null && to != null);
    SmsChannel ch =
        new SmsChannel(
            new SmsSettings(from, 20_000), new NotificationText(LinkFormat.none()), System::getenv);
    // throws when the service refuses it
    ch.send(
        SmsChannelTest.sms(
            AlertFixtures.raised(
                "iotbeam-live-test", "sms-check", Severity.INFO, 5, System.currentTimeMillis(), 1),
            to));
  }
}
