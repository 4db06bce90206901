package org.iotbeam.pipelines.observability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.pipelines.FlinkTestOptions;
import org.iotbeam.pipelines.KafkaTestIo;
import org.iotbeam.pipelines.KafkaTestIo.Out;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.Telemetry;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming pipeline on Flink (embedded) against a real KRaft broker, with the Prometheus
 * endpoint on: the scraped counters equal what was sent (valid + dead letters = input, by reason),
 * each alert carries the traceparent of the reading that raised or cleared it, each dead letter the
 * traceparent of its message, and the dashboard's queries name metrics the endpoint really serves.
 */
public class ObservabilityFlinkTest {
  private static final Logger LOG = LoggerFactory.getLogger(ObservabilityFlinkTest.class);
  private static final long DEADLINE_MS = 150_000;
  private static final String HOT = "hot-1";

  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  private static LocalKafkaBroker kafka;
  private static HttpServer webhook;
  private static PipelineResult result;
  private static String url;
  private static final AtomicInteger webhookCalls = new AtomicInteger();

  /** Per sent message: its traceparent, by device|event time (readings) and by payload. */
  private static final Map<String, String> traceByReading = new HashMap<>();

  private static final Map<String, String> traceByPayload = new HashMap<>();
  private static final Map<String, Integer> expectedReasons = new TreeMap<>();
  private static int sent;
  private static int expectedValid;
  private static Scrape finalScrape;
  private static List<Alert> alerts;
  private static List<DeadLetter> deadLetters;

  @BeforeClass
  public static void runPipeline() throws Exception {
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/alerts",
        ex -> {
          ex.getRequestBody().readAllBytes();
          webhookCalls.incrementAndGet();
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    webhook.start();
    kafka = LocalKafkaBroker.start();
    String bs = kafka.bootstrapServers();
    KafkaTestIo.createJobTopics(kafka, 2);
    KafkaTestIo.produce(bs, "telemetry", scenario(System.currentTimeMillis()), Map.of());

    Path out = tmp.newFolder("out").toPath();
    Path rules = tmp.newFile("rules.json").toPath();
    Files.writeString(
        rules,
        "{\"thresholds\": [{\"id\": \"hot\", \"metric\": \"temperature\","
            + " \"operator\": \">\", \"value\": 45.0, \"forReadings\": 3, \"severity\": "
            + "\"critical\", \"priority\": 1, \"cooldownMinutes\": 10}]}");
    // the embedded runner reads its Flink configuration from --flinkConfDir
    Path conf = tmp.newFolder("flink-conf").toPath();
    Files.writeString(conf.resolve("flink-conf.yaml"), "parallelism.default: 2\n");
    StreamingPipeline.Options o = FlinkTestOptions.embedded(bs, out, "obs");
    FlinkPipelineOptions f = o.as(FlinkPipelineOptions.class);
    f.setFlinkConfDir(conf.toString());
    o.setRulesFile(rules.toString());
    o.setMaxOutOfOrderSeconds(60);
    o.setAlertWebhookUrl("http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts");
    // what --prometheusPort does for the embedded runner, on a free port
    FlinkReporterConfig.enableEmbedded(f, "127.0.0.1", 0);
    String confFile = Files.readString(Path.of(f.getFlinkConfDir(), "flink-conf.yaml"));
    assertTrue(
        confFile,
        confFile.startsWith("parallelism.default: 2")
            && confFile.contains(FlinkReporterConfig.FACTORY_KEY));

    result = StreamingPipeline.run(o);
    long t0 = System.currentTimeMillis();
    while (FlinkBeamMetricsReporter.openUrls().isEmpty()) {
      assertTrue("the reporter opened", System.currentTimeMillis() - t0 < 60_000);
      Thread.sleep(200);
    }
    url = FlinkBeamMetricsReporter.openUrls().get(0);
    LOG.info("scraping {}", url);

    while (true) {
      Scrape s = Scrape.of(url);
      alerts =
          parse(
              KafkaTestIo.values(KafkaTestIo.readAll(bs, "alerts", Map.of())), Alert.newBuilder());
      deadLetters =
          parse(
              KafkaTestIo.values(KafkaTestIo.readAll(bs, "dead-letters", Map.of())),
              DeadLetter.newBuilder());
      boolean metricsDone =
          s.get("iotbeam_messages_received_total") >= sent
              && s.get("iotbeam_webhook_delivered_total") >= 2
              // the ticks move the watermark past the scenario's windows: their aggregates follow
              && s.get("iotbeam_aggregates_emitted_total") > 0;
      if (metricsDone && alerts.size() >= 2 && deadLetters.size() >= sumOf(expectedReasons)) {
        finalScrape = s;
        break;
      }
      if (System.currentTimeMillis() - t0 > DEADLINE_MS) {
        throw new AssertionError(
            "timed out: "
                + alerts.size()
                + " alerts, "
                + deadLetters.size()
                + " dead letters, scrape:\n"
                + s.text);
      }
      Thread.sleep(1000);
    }
    LOG.info("all in after {} ms; scrape:\n{}", System.currentTimeMillis() - t0, finalScrape.text);
  }

  @AfterClass
  public static void stop() throws Exception {
    if (result != null) {
      result.cancel();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (webhook != null) {
      webhook.stop(0);
    }
  }

  @Test
  public void countersEqualWhatWasSent() {
    Scrape s = finalScrape;
    assertEquals(sent, (long) s.get("iotbeam_messages_received_total"));
    assertEquals(expectedValid, (long) s.get("iotbeam_messages_valid_total"));
    assertEquals(sumOf(expectedReasons), (long) s.get("iotbeam_dead_letters_total"));
    assertEquals(
        "valid + dead letters = input",
        s.get("iotbeam_messages_received_total"),
        s.get("iotbeam_messages_valid_total") + s.get("iotbeam_dead_letters_total"),
        0);
    Map<String, Long> byReason = s.byLabel("iotbeam_dead_letters_by_reason_total", "reason");
    Map<String, Long> expected = new TreeMap<>();
    expectedReasons.forEach((r, n) -> expected.put(r.toLowerCase(Locale.ROOT), (long) n));
    assertEquals(expected, byReason);
    assertEquals(1, (long) s.get("iotbeam_duplicates_dropped_total"));
    assertEquals(sent, (long) s.get("iotbeam_payload_bytes_count"));
    assertEquals(expectedValid, (long) s.get("iotbeam_event_to_processing_latency_ms_count"));
    // the scenario's readings are about 20 minutes old, its two ticks are of "now"
    assertThat(s.get("iotbeam_event_to_processing_latency_ms_max"), greaterThan(18 * 60_000.0));
    assertThat(
        s.get("iotbeam_event_to_processing_latency_ms_min"),
        both(greaterThanOrEqualTo(0.0)).and(lessThan(60_000.0)));
    Map<String, Long> raised = s.byLabel("iotbeam_alerts_raised_total", "severity");
    Map<String, Long> cleared = s.byLabel("iotbeam_alerts_cleared_total", "severity");
    assertEquals(Map.of("critical", count(AlertState.RAISED)), raised);
    assertEquals(Map.of("critical", count(AlertState.CLEARED)), cleared);
    assertEquals(alerts.size(), (long) s.get("iotbeam_webhook_delivered_total"));
    // the same sums, read in this JVM (what the demo watches)
    Map<String, Long> live = FlinkBeamMetricsReporter.counters();
    assertEquals(sent, (long) live.get("messages_received"));
    assertEquals(expectedValid, (long) live.get("messages_valid"));
    assertEquals(1, (long) live.get("duplicates_dropped"));
  }

  @Test
  public void eachAlertCarriesTheTraceparentOfTheReadingThatCausedIt() {
    assertEquals(alerts.toString(), 2, alerts.size());
    assertThat(
        alerts.stream().map(Alert::getState).collect(Collectors.toList()),
        containsInAnyOrder(AlertState.RAISED, AlertState.CLEARED));
    for (Alert a : alerts) {
      String sentWith = traceByReading.get(a.getDeviceId() + "|" + a.getEventTimeMs());
      assertTrue("a reading at the alert's event time was sent: " + a, sentWith != null);
      assertEquals(a.toString(), sentWith, a.getTraceparent());
      assertTrue(TraceContext.isValid(a.getTraceparent()));
    }
    // distinct readings, distinct traces: the raise and the clear point at different messages
    assertEquals(2, alerts.stream().map(Alert::getTraceparent).distinct().count());
  }

  @Test
  public void eachDeadLetterKeepsItsMessagesTraceparent() {
    assertEquals(sumOf(expectedReasons), deadLetters.size());
    for (DeadLetter d : deadLetters) {
      String key = Base64.getEncoder().encodeToString(d.getInbound().getPayload().toByteArray());
      assertEquals(d.getReason(), traceByPayload.get(key), d.getInbound().getTraceparent());
    }
    Map<String, Integer> reasons = new TreeMap<>();
    deadLetters.forEach(d -> reasons.merge(d.getReason(), 1, Integer::sum));
    assertEquals(expectedReasons, reasons);
  }

  @Test
  public void dashboardQueriesNameMetricsTheEndpointServes() throws Exception {
    Set<String> served = finalScrape.names();
    Set<String> missing = new TreeSet<>();
    for (String name : DashboardQueries.metricNames(DashboardQueries.load())) {
      if (!served.contains(name)) {
        missing.add(name);
      }
    }
    // what this scenario cannot produce: no failures (webhook, Cosmos), no late panes
    missing.removeAll(DashboardQueries.ONLY_ON_FAILURE_OR_LATENESS);
    assertThat("dashboard metrics missing from the real scrape " + served, missing, empty());
    assertThat(served, hasItem("iotbeam_messages_received_total"));
  }

  // ---- the scenario -------------------------------------------------------------------------

  private static List<Out> scenario(long now) {
    long base = now - 20 * 60_000; // old enough that the ticks below close its windows
    List<Out> m = new ArrayList<>();
    double[] hot = {50, 51, 52, 20, 21, 22}; // raised at the 3rd, cleared at the 4th
    for (int i = 0; i < hot.length; i++) {
      m.add(reading(HOT, base + i * 10_000L, hot[i]));
    }
    for (int d = 1; d <= 3; d++) {
      for (int i = 0; i < 5; i++) {
        m.add(reading("ok-" + d, base + i * 10_000L + d, 21 + i * 0.1));
      }
    }
    // the stream goes on: a reading of "now" on each partition moves the watermark past the
    // scenario's windows (the watermark follows the data)
    for (int partition = 0; partition < 2; partition++) {
      m.add(
          new Out(
              "tick",
              Telemetry.newBuilder()
                  .setDeviceId("tick")
                  .setTimestampMs(now + partition)
                  .setTemperature(20)
                  .setSchemaVersion(3)
                  .build()
                  .toByteArray(),
              null,
              partition));
    }
    expectedValid = m.size() + 1;
    // the same reading again (another delivery, another trace): valid, then dropped as duplicate
    Out first = m.get(hot.length);
    m.add(withTrace(first.key(), first.value()));
    dead(m, "MALFORMED_PROTOBUF", "nope", "not a protobuf".getBytes(StandardCharsets.UTF_8));
    dead(m, "EMPTY_PAYLOAD", "empty", new byte[0]);
    dead(
        m,
        "MISSING_DEVICE_ID",
        null,
        Telemetry.newBuilder()
            .setTimestampMs(base)
            .setTemperature(20)
            .setSchemaVersion(3)
            .build()
            .toByteArray());
    dead(
        m,
        "TIMESTAMP_IN_FUTURE",
        "future-1",
        Telemetry.newBuilder()
            .setDeviceId("future-1")
            .setTimestampMs(now + 86_400_000L)
            .setTemperature(20)
            .setSchemaVersion(3)
            .build()
            .toByteArray());
    sent = m.size();
    return m;
  }

  private static Out reading(String device, long ts, double temperature) {
    Out msg =
        withTrace(
            device,
            Telemetry.newBuilder()
                .setDeviceId(device)
                .setTimestampMs(ts)
                .setTemperature(temperature)
                .setHumidity(40)
                .setSchemaVersion(3)
                .build()
                .toByteArray());
    traceByReading.put(device + "|" + ts, msg.traceparent());
    return msg;
  }

  private static void dead(List<Out> m, String reason, String key, byte[] value) {
    m.add(withTrace(key, value));
    expectedReasons.merge(reason, 1, Integer::sum);
  }

  private static Out withTrace(String key, byte[] value) {
    String tp = TraceContext.newRoot().format();
    traceByPayload.put(Base64.getEncoder().encodeToString(value), tp);
    return new Out(key, value, tp);
  }

  private static long count(AlertState s) {
    return alerts.stream().filter(a -> a.getState() == s).count();
  }

  private static int sumOf(Map<String, Integer> m) {
    return m.values().stream().mapToInt(Integer::intValue).sum();
  }

  // ---- Kafka ---------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private static <T extends com.google.protobuf.Message> List<T> parse(
      List<String> json, com.google.protobuf.Message.Builder proto) {
    List<T> out = new ArrayList<>();
    for (String j : json) {
      out.add((T) ProtoJson.parse(j, proto.clone()).build());
    }
    return out;
  }

  @SuppressWarnings("unused")
  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
