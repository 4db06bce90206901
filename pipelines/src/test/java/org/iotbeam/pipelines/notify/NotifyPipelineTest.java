package org.iotbeam.pipelines.notify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.pipelines.TestTls;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.OutgoingMessage;
import org.iotbeam.proto.Severity;
import org.iotbeam.testing.AlertFixtures;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.TelemetryMetrics;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The notification step as a Beam pipeline (DirectRunner, TestStream for event and processing time)
 * sending to a real SMTP server with STARTTLS, a local webhook and the log: routing, one notice per
 * alert id and state when alerts are replayed, the rate limit's digest, flapping, and a failing
 * channel that becomes dead letters without holding up the others.
 */
public class NotifyPipelineTest {
  private static final long T = EmailChannelTest.T;
  private static final long MIN = 60_000L;

  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline p = TestPipeline.create();
  private static TestTls tls;
  private static LocalSmtpServer smtp;

  @BeforeClass
  public static void start() throws Exception {
    tls = TestTls.create(tmp.newFolder("tls").toPath());
    smtp = LocalSmtpServer.start(tls, null, null);
  }

  @AfterClass
  public static void stop() {
    smtp.close();
  }

  /** The step as the streaming pipeline builds it, from flags and a routes file. */
  private NotifyConfig config(String routesJson) throws Exception {
    Path routes = tmp.newFile().toPath();
    Files.writeString(routes, routesJson);
    NotifyOptions o = PipelineOptionsFactory.as(NotifyOptions.class);
    o.setNotificationRoutesFile(routes.toString());
    o.setSmtpHost("127.0.0.1");
    o.setSmtpPort(smtp.port());
    o.setSmtpFrom("alerts@iotbeam.example");
    o.setSmtpTrustedCertificates(tls.pemFile().toString());
    o.setNotificationInitialBackoffMs(10L);
    return NotifyConfig.fromOptions(o, name -> null).orElseThrow();
  }

  private static TimestampedValue<Alert> at(Alert a) {
    return TimestampedValue.of(a, new Instant(a.getEventTimeMs()));
  }

  private static List<String> subjects(String to) throws Exception {
    List<String> out = new ArrayList<>();
    for (LocalSmtpServer.Received r : smtp.received()) {
      if (r.envelopeTo().equals(to)) {
        out.add(r.message().getSubject());
      }
    }
    return out;
  }

  private static long counter(PipelineResult r, String name) {
    MetricQueryResults q =
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(TelemetryMetrics.NAMESPACE, name))
                    .build());
    long sum = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  @Test
  public void routesEachAlertEventOnceEvenWhenTheAlertsAreReplayed() throws Exception {
    try (LocalWebhook hook = new LocalWebhook()) {
      NotifyConfig c =
          config(
              "{\"version\": 1, \"routes\": ["
                  + "{\"name\": \"page\", \"severities\": [\"critical\"], \"maxPriority\": 2,"
                  + " \"channel\": \"email\", \"to\": [\"route-page@example.com\"]},"
                  + "{\"name\": \"team\", \"severities\": [\"critical\", \"warning\"],"
                  + " \"states\": [\"raised\"], \"channel\": \"email\","
                  + " \"to\": [\"route-team@example.com\"]},"
                  + "{\"name\": \"systems\", \"channel\": \"webhook\", \"to\": [\""
                  + hook.url("/hook")
                  + "\"]},"
                  + "{\"name\": \"log\", \"channel\": \"log\", \"to\": [\"notifications\"]}]}");
      Alert crit = AlertFixtures.raised("route-1", "hot", Severity.CRITICAL, 1, T, 50);
      Alert warn = AlertFixtures.raised("route-2", "hot", Severity.WARNING, 3, T + MIN, 46);
      Alert info = AlertFixtures.raised("route-3", "hot", Severity.INFO, 4, T + 2 * MIN, 46);
      Alert critCleared = AlertFixtures.cleared(crit, T + 5 * MIN, 40);
      TestStream<Alert> alerts =
          TestStream.create(Coders.ALERT)
              .addElements(at(crit), at(warn), at(info))
              .advanceWatermarkTo(new Instant(T + 3 * MIN))
              // a replay of what came before (a redelivered topic, a second source), then the clear
              .addElements(at(crit), at(warn), at(info), at(critCleared))
              .addElements(at(critCleared))
              .advanceWatermarkToInfinity();
      PCollection<DeadLetter> dead = p.apply(alerts).apply(new Notify(c));
      PAssert.that(dead).empty();
      PipelineResult r = p.run();
      r.waitUntilFinish();

      assertThat(
          subjects("route-page@example.com"),
          containsInAnyOrder(
              "[CRITICAL] RAISED: temperature 50 (threshold 45, rule hot) on route-1 (plant-a)",
              "[CRITICAL] CLEARED: temperature 40 (threshold 45, rule hot) on route-1 (plant-a)"));
      assertThat(
          subjects("route-team@example.com"),
          containsInAnyOrder(
              "[CRITICAL] RAISED: temperature 50 (threshold 45, rule hot) on route-1 (plant-a)",
              "[WARNING] RAISED: temperature 46 (threshold 45, rule hot) on route-2 (plant-a)"));
      List<String> keys =
          hook.posts().stream().map(LocalWebhook.Post::idempotencyKey).collect(Collectors.toList());
      assertEquals(4, keys.size());
      assertThat(keys, everyItem(not(containsString("hook-secret"))));
      JsonNode body = new ObjectMapper().readTree(hook.posts().get(0).body());
      assertThat(body.path("text").asText(), startsWith("["));
      assertEquals(body.path("key").asText(), body.path("notification").path("key").asText());
      assertEquals(4, counter(r, NotifyMetrics.REPLAYS_DROPPED)); // 3 replays, the clear's copy
      assertEquals(2 + 2 + 4 + 4, counter(r, NotifyMetrics.SENT));
    }
  }

  @Test
  public void beyondTheRateLimitARecipientGetsOneDigest() throws Exception {
    NotifyConfig c =
        config(
            "{\"version\": 1,"
                + " \"rateLimit\": {\"maxPerRecipient\": 2, \"perMinutes\": 10},"
                + " \"routes\": [{\"name\": \"mail\", \"channel\": \"email\","
                + " \"to\": [\"rate@example.com\"]}]}");
    TestStream.Builder<Alert> b = TestStream.create(Coders.ALERT);
    for (int i = 0; i < 5; i++) {
      b =
          b.addElements(
              at(
                  AlertFixtures.raised(
                      "rate-" + i, "hot", Severity.CRITICAL, 1, T + i * 1000, 50 + i)));
    }
    TestStream<Alert> alerts =
        b.advanceProcessingTime(Duration.standardMinutes(11)).advanceWatermarkToInfinity();
    PAssert.that(p.apply(alerts).apply(new Notify(c))).empty();
    PipelineResult r = p.run();
    r.waitUntilFinish();

    List<LocalSmtpServer.Received> got =
        smtp.received().stream()
            .filter(m -> m.envelopeTo().equals("rate@example.com"))
            .collect(Collectors.toList());
    assertEquals(3, got.size());
    String digestSubject = got.get(2).message().getSubject();
    assertEquals("[iotbeam] 3 notifications held back by the rate limit", digestSubject);
    String digest = ((String) got.get(2).message().getContent()).replace("\r\n", "\n");
    for (int i = 2; i < 5; i++) {
      assertThat(
          digest, containsString("CRITICAL RAISED  rate-" + i + "  temperature " + (50 + i)));
    }
    assertEquals(3, counter(r, NotifyMetrics.HELD));
    assertEquals(1, counter(r, NotifyMetrics.DIGESTS));
  }

  @Test
  public void aFlappingAlertIsToldOnceThenWhenItSettles() throws Exception {
    NotifyConfig c =
        config(
            "{\"version\": 1,"
                + " \"flapping\": {\"maxTransitions\": 4, \"withinMinutes\": 30, \"settleMinutes\": 15},"
                + " \"routes\": [{\"name\": \"mail\", \"channel\": \"email\","
                + " \"to\": [\"flap@example.com\"]}]}");
    TestStream.Builder<Alert> b = TestStream.create(Coders.ALERT);
    for (int i = 0; i < 4; i++) { // 8 transitions within 12 minutes
      Alert raised =
          AlertFixtures.raised("flappy", "hot", Severity.WARNING, 3, T + 3 * i * MIN, 46);
      b = b.addElements(at(raised), at(AlertFixtures.cleared(raised, T + (3 * i + 1) * MIN, 44)));
    }
    TestStream<Alert> alerts =
        b.advanceWatermarkTo(new Instant(T + 20 * MIN))
            .advanceWatermarkTo(new Instant(T + 30 * MIN))
            .advanceWatermarkToInfinity();
    PAssert.that(p.apply(alerts).apply(new Notify(c))).empty();
    PipelineResult r = p.run();
    r.waitUntilFinish();

    List<String> s = subjects("flap@example.com");
    assertEquals(s.toString(), 6, s.size());
    assertEquals(
        4, s.stream().filter(x -> x.contains("RAISED:") || x.contains("CLEARED:")).count());
    assertEquals(1, s.stream().filter(x -> x.startsWith("[WARNING] FLAPPING: ")).count());
    assertEquals(1, s.stream().filter(x -> x.startsWith("[WARNING] SETTLED (cleared): ")).count());
    assertEquals(1, counter(r, NotifyMetrics.FLAPPING));
    assertEquals(3, counter(r, NotifyMetrics.HELD_FLAPPING));
  }

  @Test
  public void aFailingChannelGivesDeadLettersAndTheOthersStillDeliver() throws Exception {
    try (LocalWebhook hook = new LocalWebhook()) {
      hook.answer(500);
      smtp.rejectWith(550, to -> to.equals("refused@example.com"));
      NotifyConfig c =
          config(
              "{\"version\": 1, \"routes\": ["
                  + "{\"name\": \"systems\", \"channel\": \"webhook\", \"to\": [\""
                  + hook.url("/down")
                  + "\"]},"
                  + "{\"name\": \"mail\", \"channel\": \"email\","
                  + " \"to\": [\"refused@example.com\", \"fine@example.com\"]},"
                  + "{\"name\": \"log\", \"channel\": \"log\", \"to\": [\"notifications\"]}]}");
      TestStream.Builder<Alert> b = TestStream.create(Coders.ALERT);
      for (int i = 0; i < 7; i++) {
        b =
            b.addElements(
                at(
                    AlertFixtures.raised(
                        "fail-" + i, "hot", Severity.CRITICAL, 1, T + i * 1000, 50)));
      }
      PCollection<DeadLetter> dead = p.apply(b.advanceWatermarkToInfinity()).apply(new Notify(c));
      PAssert.that(
              dead.apply(
                  "Reasons",
                  MapElements.into(TypeDescriptors.strings())
                      .via(
                          d ->
                              d.getReason()
                                  + " "
                                  + d.getInbound().getSource().getTopic()
                                  + " "
                                  + d.getDetail().replaceAll(":.*", ""))))
          .satisfies(
              lines -> {
                List<String> l = new ArrayList<>();
                lines.forEach(l::add);
                assertEquals(l.toString(), 14, l.size());
                assertEquals(
                    7,
                    l.stream()
                        .filter(
                            x ->
                                x.startsWith("NOTIFICATION_FAILED notify/email after 1 attempt(s)"))
                        .count());
                // the webhook: each tried 3 times until its circuit opened after 5 failures in a
                // row (more may have been under way then), the rest not tried
                long tried =
                    l.stream()
                        .filter(
                            x ->
                                x.startsWith(
                                    "NOTIFICATION_FAILED notify/webhook after 3 attempt(s)"))
                        .count();
                long notTried =
                    l.stream()
                        .filter(x -> x.startsWith("NOTIFICATION_FAILED notify/webhook not tried"))
                        .count();
                assertEquals(7, tried + notTried);
                assertThat(
                    tried,
                    org.hamcrest.Matchers.greaterThanOrEqualTo((long) CircuitBreaker.OPEN_AFTER));
                return null;
              });
      PAssert.that(
              dead.apply(
                  "Recipients",
                  MapElements.into(TypeDescriptors.strings())
                      .via(
                          d ->
                              ProtoJson.parse(
                                      d.getInbound().getPayload().toStringUtf8(),
                                      OutgoingMessage.newBuilder())
                                  .build()
                                  .getRecipient())))
          .satisfies(
              rs -> {
                rs.forEach(
                    x ->
                        assertThat(
                            x,
                            org.hamcrest.Matchers.anyOf(
                                org.hamcrest.Matchers.equalTo("refused@example.com"),
                                startsWith("http://"))));
                return null;
              });
      PipelineResult r = p.run();
      r.waitUntilFinish();

      assertEquals(7, subjects("fine@example.com").size());
      assertThat(subjects("refused@example.com"), empty());
      long tried = hook.posts().size() / 3;
      assertEquals(3 * tried, hook.posts().size());
      assertEquals(14, counter(r, NotifyMetrics.FAILED));
      assertEquals(7 + 7, counter(r, NotifyMetrics.SENT)); // fine@ and the log
      assertEquals(2 * tried, counter(r, NotifyMetrics.RETRIES));
    } finally {
      smtp.rejectWith(0, to -> false);
    }
  }
}
