package org.iotbeam.runners.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.iotbeam.pipelines.notify.NotifyOptions;

/**
 * The demo's notifications: every alert goes to the log channel (the demo prints what it would
 * send: lines of logger LogChannel), and with {@code --smtpHost} also by e-mail to {@code
 * --smtpTo}. The routes file is written next to the outputs ({@value #ROUTES_FILE}), so a user sees
 * what the demo used and can start from it.
 */
final class DemoNotifications {
  static final String ROUTES_FILE = "notification-routes.json";

  private DemoNotifications() {}

  /** Writes the routes file into {@code out} and points the pipeline's flags at it. */
  static void configure(NotifyOptions pipeline, DemoOptions o, Path out) throws IOException {
    Path routes = out.resolve(ROUTES_FILE);
    Files.writeString(routes, routesJson(o));
    pipeline.setNotificationRoutesFile(routes.toString());
    if (o.smtpHost != null) {
      pipeline.setSmtpHost(o.smtpHost);
      pipeline.setSmtpPort(o.smtpPort);
      pipeline.setSmtpFrom(o.smtpFrom);
      pipeline.setSmtpStartTls(!o.smtpInsecure);
    }
  }

  /**
   * A route to the log for every alert and, with an SMTP server, one to the given addresses; at
   * most 20 messages a minute per recipient (the rest in a digest), so a minute of 200 simulated
   * devices shows the rate limit at work.
   */
  static String routesJson(DemoOptions o) {
    StringBuilder routes =
        new StringBuilder("    {\"name\": \"demo-log\", \"channel\": \"log\", \"to\": [\"demo\"]}");
    if (o.smtpHost != null) {
      routes
          .append(",\n    {\"name\": \"demo-email\", \"channel\": \"email\", \"to\": [")
          .append(quoted(o.smtpTo))
          .append("]}");
    }
    return "{\n  \"version\": 1,\n"
        + "  \"description\": \"written by the demo (docs/notifications.md)\",\n"
        + "  \"rateLimit\": {\"maxPerRecipient\": 20, \"perMinutes\": 1},\n"
        + "  \"routes\": [\n"
        + routes
        + "\n  ]\n}\n";
  }

  private static String quoted(List<String> addresses) {
    return addresses.stream()
        .map(a -> "\"" + a.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(", "));
  }
}
