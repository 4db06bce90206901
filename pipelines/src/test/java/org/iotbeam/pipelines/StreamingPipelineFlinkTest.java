package org.iotbeam.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.pipelines.sinks.JsonLinesFileSink;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.proto.WindowAggregate;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming pipeline end to end on the Flink runner (embedded, streaming, checkpointing on)
 * against a real KRaft broker: the exact aggregates (on-time and after late data), alerts on Kafka,
 * in files and on a webhook, dead letters by reason, and a raw archive holding every message that
 * arrived, valid or not, exactly once, under the hour of its ingest time.
 */
public class StreamingPipelineFlinkTest {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingPipelineFlinkTest.class);
  private static final long DEADLINE_MS = 240_000;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 420_000)
  public void endToEndOnFlinkEmbedded() throws Exception {
    scenario("[local]", null, tmp);
  }

  /**
   * Produces the scenario, runs the pipeline on {@code flinkMaster} ({@code [local]} or a cluster's
   * host:port, with {@code jobJar} staged) and checks every output, then cancels it.
   */
  static void scenario(String flinkMaster, String jobJar, TemporaryFolder tmp) throws Exception {
    scenario(flinkMaster, jobJar, tmp, sc -> {});
  }

  /** A check run after every output was checked, while the job still runs. */
  interface WhileRunning {
    void check(TelemetryScenario sc) throws Exception;
  }

  /** The pipeline's options for the scenario's broker, output directory, rules and webhook. */
  interface ScenarioOptions {
    StreamingPipeline.Options of(String bootstrap, Path out, Path rules, String webhook);
  }

  /** {@link #scenario(String, String, TemporaryFolder)}, then {@code whileRunning}, then cancel. */
  static void scenario(
      String flinkMaster, String jobJar, TemporaryFolder tmp, WhileRunning whileRunning)
      throws Exception {
    scenario(flinkMaster, jobJar, tmp, StreamingPipelineFlinkTest::options, whileRunning);
  }

  /** The scenario with the options {@code optionsFor} makes (the deployed ones, on a cluster). */
  static void scenario(
      String flinkMaster,
      String jobJar,
      TemporaryFolder tmp,
      ScenarioOptions optionsFor,
      WhileRunning whileRunning)
      throws Exception {
    List<String> webhookBodies = new CopyOnWriteArrayList<>();
    HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/alerts",
        ex -> {
          webhookBodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    webhook.start();
    try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
      String bs = kafka.bootstrapServers();
      KafkaTestIo.createJobTopics(kafka, TelemetryScenario.PARTITIONS);
      TelemetryScenario sc = new TelemetryScenario(System.currentTimeMillis());
      KafkaTestIo.produce(bs, "telemetry", sc.phase1, Map.of());

      Path out = tmp.newFolder("out").toPath();
      Path rules = tmp.newFile("rules.json").toPath();
      Files.writeString(
          rules,
          "{\"thresholds\": [{\"id\": \"hot\", \"metric\": \"temperature\","
              + " \"operator\": \">\", \"value\": 45.0, \"forReadings\": 3, \"severity\": "
              + "\"critical\", \"priority\": 1, \"cooldownMinutes\": 10}]}");
      StreamingPipeline.Options o =
          optionsFor.of(
              bs, out, rules, "http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts");
      FlinkPipelineOptions flink = o.as(FlinkPipelineOptions.class);
      flink.setFlinkMaster(flinkMaster);
      if (jobJar != null) {
        flink.setFilesToStage(List.of(jobJar));
      }
      PipelineResult result = StreamingPipeline.run(o);
      try {
        // phase 1: the on-time panes of every window
        await(
            "on-time aggregates",
            () -> latestAggregates(bs).keySet().containsAll(sc.onTime.keySet()));
        assertStats(sc.onTime, latestAggregates(bs));

        // phase 2: late data within (last window) and beyond (first window) the lateness
        KafkaTestIo.produce(bs, "telemetry", sc.phase2, Map.of());
        await("late panes", () -> statsEqual(sc.fin, latestAggregates(bs)));
        assertStats(sc.fin, latestAggregates(bs));

        // alerts: raised and cleared once, on Kafka, on the webhook and in files
        await(
            "alerts",
            () ->
                KafkaTestIo.readAll(bs, "alerts", Map.of()).size() >= 2
                    && webhookBodies.size() >= 2);
        List<Alert> alerts =
            KafkaTestIo.values(KafkaTestIo.readAll(bs, "alerts", Map.of())).stream()
                .map(j -> ProtoJson.parse(j, Alert.newBuilder()).build())
                .collect(Collectors.toList());
        assertEquals(alerts.toString(), 2, alerts.size());
        String id = TelemetryScenario.HOT + "|hot|" + sc.hotRaisedAt;
        assertThat(
            alerts.stream().map(a -> a.getId() + " " + a.getState()).collect(Collectors.toList()),
            containsInAnyOrder(id + " " + AlertState.RAISED, id + " " + AlertState.CLEARED));
        assertEquals(
            sc.hotClearedAt,
            alerts.stream()
                .filter(a -> a.getState() == AlertState.CLEARED)
                .findFirst()
                .orElseThrow()
                .getClearedAtMs());
        assertEquals(2, webhookBodies.size());

        // dead letters by reason, with the source offset and the original bytes
        await(
            "dead letters",
            () -> KafkaTestIo.readAll(bs, "dead-letters", Map.of()).size() >= sc.deadLetterCount());
        List<DeadLetter> dead =
            KafkaTestIo.values(KafkaTestIo.readAll(bs, "dead-letters", Map.of())).stream()
                .map(j -> ProtoJson.parse(j, DeadLetter.newBuilder()).build())
                .collect(Collectors.toList());
        assertEquals(sc.deadLetterReasons, countBy(dead));
        assertThat(
            dead.stream()
                .map(d -> d.getInbound().getSource().getTopic())
                .collect(Collectors.toList()),
            everyItem(is("telemetry")));

        // files: the raw archive (every message once), aggregates with late panes,
        // alerts and dead letters; files appear when Flink checkpoints complete
        await("raw archive", () -> archived(out).size() >= sc.archived.size());
        await(
            "files",
            () ->
                fileLines(out.resolve("dead-letters")).size() >= sc.deadLetterCount()
                    && fileLines(out.resolve("alerts")).size() >= 2
                    && statsEqual(sc.fin, latestFromFiles(out)));
        List<InboundMessage> archive = archived(out);
        assertEquals("archive holds every message once", sc.archived.size(), archive.size());
        assertThat(
            archive.stream().map(InboundMessage::getPayload).collect(Collectors.toList()),
            containsInAnyOrder(sc.archived.toArray(new ByteString[0])));
        assertTrue(
            archive.stream()
                .allMatch(
                    m ->
                        m.getSource().getSystem().equals("kafka")
                            && m.getIngestTimeMs() > 0
                            && !m.getKey().isEmpty()));
        assertTrue(
            "traceparent kept", archive.stream().anyMatch(m -> !m.getTraceparent().isEmpty()));
        assertStats(sc.fin, latestFromFiles(out));
        assertEquals(2, fileLines(out.resolve("alerts")).size());
        assertEquals(sc.deadLetterCount(), fileLines(out.resolve("dead-letters")).size());
        // the late pane of the last window went to an additional file, not over the first one
        List<Path> aggFiles =
            KafkaTestIo.files(out.resolve("aggregates"), JsonLinesFileSink.SUFFIX);
        assertThat(
            aggFiles.stream()
                .filter(f -> f.getFileName().toString().contains("-p001-"))
                .collect(Collectors.toList()),
            is(org.hamcrest.Matchers.not(empty())));
        for (Path f : KafkaTestIo.files(out.resolve("raw"), RawArchiveFormat.SUFFIX)) {
          for (InboundMessage m : KafkaTestIo.archive(f)) {
            assertTrue(
                f + " holds one ingested at " + m.getIngestTimeMs(),
                out.resolve("raw")
                    .relativize(f)
                    .toString()
                    .startsWith(RawArchiveFormat.partitionOf(m.getIngestTimeMs())));
          }
        }
        whileRunning.check(sc);
      } finally {
        result.cancel();
      }
    } finally {
      webhook.stop(0);
    }
  }

  static StreamingPipeline.Options options(String bootstrap, Path out, Path rules, String webhook) {
    StreamingPipeline.Options o = FlinkTestOptions.embedded(bootstrap, out, "it");
    o.setRulesFile(rules.toString());
    o.setWindowMinutes(5);
    o.setAllowedLatenessMinutes(15);
    o.setMaxOutOfOrderSeconds(120);
    o.setFileWindowMinutes(5);
    if (webhook != null) {
      o.setAlertWebhookUrl(webhook);
      o.setWebhookInitialBackoffMs(100L);
    }
    return o;
  }

  /** Latest pane (highest pane index) of each aggregate id on the aggregates topic. */
  static Map<String, WindowAggregate> latestAggregates(String bs) {
    return latest(KafkaTestIo.values(KafkaTestIo.readAll(bs, "aggregates", Map.of())));
  }

  static Map<String, WindowAggregate> latestFromFiles(Path out) {
    return latest(fileLines(out.resolve("aggregates")));
  }

  static Map<String, WindowAggregate> latest(List<String> jsonLines) {
    Map<String, WindowAggregate> m = new TreeMap<>();
    for (String j : jsonLines) {
      WindowAggregate a = ProtoJson.parse(j, WindowAggregate.newBuilder()).build();
      m.merge(a.getId(), a, (x, y) -> x.getPaneIndex() >= y.getPaneIndex() ? x : y);
    }
    return m;
  }

  static List<String> fileLines(Path dir) {
    List<String> lines = new ArrayList<>();
    for (Path f : KafkaTestIo.files(dir, JsonLinesFileSink.SUFFIX)) {
      lines.addAll(KafkaTestIo.gzipLines(f));
    }
    return lines;
  }

  static List<InboundMessage> archived(Path out) {
    List<InboundMessage> all = new ArrayList<>();
    for (Path f : KafkaTestIo.files(out.resolve("raw"), RawArchiveFormat.SUFFIX)) {
      all.addAll(KafkaTestIo.archive(f));
    }
    return all;
  }

  static boolean statsEqual(Map<String, double[]> expected, Map<String, WindowAggregate> got) {
    try {
      assertStats(expected, got);
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  static void assertStats(Map<String, double[]> expected, Map<String, WindowAggregate> got) {
    assertEquals(expected.keySet(), got.keySet());
    for (Map.Entry<String, double[]> e : expected.entrySet()) {
      WindowAggregate a = got.get(e.getKey());
      double[] x = e.getValue();
      assertEquals(e.getKey() + " count", (long) x[0], a.getCount());
      assertEquals(e.getKey() + " min", x[1], a.getMin(), 1e-9);
      assertEquals(e.getKey() + " max", x[2], a.getMax(), 1e-9);
      assertEquals(e.getKey() + " mean", x[3], a.getMean(), 1e-9);
    }
  }

  static Map<String, Integer> countBy(List<DeadLetter> dead) {
    Map<String, Integer> m = new TreeMap<>();
    dead.forEach(d -> m.merge(d.getReason(), 1, Integer::sum));
    return m;
  }

  static void await(String what, BooleanSupplier done) throws InterruptedException {
    await(what, done, DEADLINE_MS);
  }

  static void await(String what, BooleanSupplier done, long deadlineMs)
      throws InterruptedException {
    long t0 = System.currentTimeMillis();
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() - t0 > deadlineMs) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(1000);
    }
    LOG.info("{} complete after {} ms", what, System.currentTimeMillis() - t0);
  }
}
