package org.iotbeam.pipelines.notify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.pipelines.FlinkTestOptions;
import org.iotbeam.pipelines.KafkaTestIo;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.pipelines.TestTls;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.Telemetry;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One e-mail per alert id and state across a restart of the job, with what production runs: the
 * streaming pipeline on Flink embedded, telemetry from a Kafka broker, alerts, the notification
 * step, e-mail to a real SMTP server with STARTTLS.
 *
 * <p>How it restarts. Run 1 checkpoints every 2 s and keeps its checkpoints. The test notes the
 * last checkpoint completed before the alerting telemetry exists (after a first reading, so the
 * source has a position in it), then sends telemetry that raises and clears an alert on each of
 * three devices; run 1 e-mails the six events, and is cancelled. Run 2 starts from the noted
 * checkpoint: exactly what a failure right after that checkpoint leads to. Its Kafka offsets and
 * state are from before the telemetry, so it reads the same telemetry again, raises the same alerts
 * again (the alerts topic, an at-least-once sink, shows each twice) and decides the same six
 * notices again: Beam state cannot know they were sent. The send ledger does, and nobody gets a
 * second e-mail. Then new telemetry raises and clears the alert again on the same devices; those
 * six e-mails arrive, which also shows that the replayed events of each device (processed before
 * them, in order) had been dealt with.
 */
public class NotifyRestartFlinkTest {
  private static final Logger LOG = LoggerFactory.getLogger(NotifyRestartFlinkTest.class);
  private static final List<String> DEVICES = List.of("restart-a", "restart-b", "restart-c");
  private static final String TO = "oncall@example.com";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 600_000)
  public void aRestartFromACheckpointSendsNothingTwice() throws Exception {
    Path dir = tmp.getRoot().toPath();
    TestTls tls = TestTls.create(Files.createDirectories(dir.resolve("tls")));
    try (LocalKafkaBroker kafka = LocalKafkaBroker.start();
        LocalSmtpServer smtp = LocalSmtpServer.start(tls, null, null)) {
      String bs = kafka.bootstrapServers();
      KafkaTestIo.createJobTopics(kafka, 1);
      Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
      StreamingPipeline.Options o = options(bs, dir, tls, smtp.port(), checkpoints);

      // run 1: a checkpoint before any telemetry, then six alert events and their e-mails
      PipelineResult run1 = StreamingPipeline.run(o);
      Path beforeTelemetry;
      try {
        // a first reading, and a checkpoint that holds the source's position after it (the
        // offset is committed when the checkpoint holding it completes): restoring a checkpoint
        // from before the source had a position would start from the committed offsets
        KafkaTestIo.produce(
            bs, "telemetry", List.of(reading("warm-up", System.currentTimeMillis(), 20)), Map.of());
        await(
            "the first reading's offset committed", () -> committed(bs, o.getConsumerGroup()) >= 1);
        beforeTelemetry = completed(checkpoints).get(completed(checkpoints).size() - 1);
        // readings of now, as devices send them: the idle source's watermark is the wall clock
        // minus --maxOutOfOrderSeconds, and older readings would be late for the alert step
        KafkaTestIo.produce(bs, "telemetry", raiseAndClear(System.currentTimeMillis()), Map.of());
        await("six e-mails from run 1", () -> smtp.received().size() >= 6);
      } finally {
        run1.cancel();
      }
      assertEquals(6, smtp.received().size());
      LOG.info("run 1 sent 6 e-mails; run 2 restores {}", beforeTelemetry);

      // run 2: from the checkpoint before the telemetry (Beam passes --savepointPath to a
      // cluster; Flink embedded takes it from its configuration)
      o.as(FlinkPipelineOptions.class).setSavepointPath(beforeTelemetry.toUri().toString());
      o.as(FlinkPipelineOptions.class)
          .setFlinkConfDir(
              flinkConf(
                      dir.resolve("flink-conf-2"),
                      "execution.savepoint.path: " + beforeTelemetry.toUri() + "\n")
                  .toString());
      PipelineResult run2 = StreamingPipeline.run(o);
      try {
        // restored: its checkpoints go on from the restored one's number
        await(
            "run 2's first checkpoint",
            () ->
                completed(checkpoints).stream()
                    .anyMatch(c -> !c.getParent().equals(beforeTelemetry.getParent())));
        assertThat(
            "run 2 restored " + beforeTelemetry,
            completed(checkpoints).stream()
                .filter(c -> !c.getParent().equals(beforeTelemetry.getParent()))
                .mapToInt(NotifyRestartFlinkTest::n)
                .min()
                .orElseThrow(),
            greaterThanOrEqualTo(n(beforeTelemetry) + 1));
        await(
            "run 2 raised the first alerts again",
            () -> alertEventsOnTopic(bs).values().stream().filter(n -> n >= 2).count() >= 6);
        KafkaTestIo.produce(bs, "telemetry", raiseAndClear(System.currentTimeMillis()), Map.of());
        await("the new alerts' e-mails", () -> keys(smtp).size() >= 12);
        Thread.sleep(5_000); // anything else still on its way
      } finally {
        run2.cancel();
      }

      Map<String, Long> perKey = keys(smtp);
      assertEquals(perKey.toString(), 12, perKey.size());
      assertEquals("one e-mail per alert id and state: " + perKey, 12, smtp.received().size());
      // the replay really happened: each first-run alert event is on the topic twice
      assertThat(
          alertEventsOnTopic(bs).values().stream().filter(n -> n >= 2).count(),
          greaterThanOrEqualTo(6L));
    }
  }

  private static StreamingPipeline.Options options(
      String bs, Path dir, TestTls tls, int port, Path checkpoints) throws IOException {
    StreamingPipeline.Options o =
        FlinkTestOptions.embedded(bs, Files.createDirectories(dir.resolve("out")), "restart");
    Path rules = dir.resolve("rules.json");
    Files.writeString(
        rules,
        "{\"thresholds\": [{\"id\": \"hot\", \"metric\": \"temperature\","
            + " \"operator\": \">\", \"value\": 45.0, \"severity\": \"critical\", \"priority\": 1,"
            + " \"cooldownMinutes\": 0}]}");
    Path routes = dir.resolve("routes.json");
    Files.writeString(
        routes,
        "{\"version\": 1, \"rateLimit\": {\"maxPerRecipient\": 100},"
            + " \"flapping\": {\"enabled\": false},"
            + " \"routes\": [{\"name\": \"all\", \"channel\": \"email\", \"to\": [\""
            + TO
            + "\"]}]}");
    o.setRulesFile(rules.toString());
    o.setMaxOutOfOrderSeconds(20);
    o.setNotificationRoutesFile(routes.toString());
    o.setSmtpHost("127.0.0.1");
    o.setSmtpPort(port);
    o.setSmtpFrom("alerts@iotbeam.example");
    o.setSmtpTrustedCertificates(tls.pemFile().toString());
    o.setNotificationLedger(dir.resolve("ledger").toString());
    FlinkPipelineOptions f = o.as(FlinkPipelineOptions.class);
    f.setJobName("notify-restart");
    f.setStateBackend("filesystem");
    f.setStateBackendStoragePath(checkpoints.toUri().toString());
    f.setExternalizedCheckpointsEnabled(true);
    f.setRetainExternalizedCheckpointsOnCancellation(true);
    f.setFlinkConfDir(flinkConf(dir.resolve("flink-conf"), "").toString());
    return o;
  }

  /** A Flink configuration that keeps the early checkpoints (the default keeps the latest). */
  private static Path flinkConf(Path dir, String more) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("flink-conf.yaml"), "state.checkpoints.num-retained: 1000\n" + more);
    return dir;
  }

  /** Per device: a normal reading, one above 45 C (raise), one below again (clear). */
  private static List<KafkaTestIo.Out> raiseAndClear(long base) {
    List<KafkaTestIo.Out> out = new ArrayList<>();
    double[] temperatures = {21, 50, 22};
    for (String d : DEVICES) {
      for (int i = 0; i < temperatures.length; i++) {
        out.add(reading(d, base + i * 1000L, temperatures[i]));
      }
    }
    return out;
  }

  private static KafkaTestIo.Out reading(String device, long ts, double temperature) {
    return new KafkaTestIo.Out(
        device,
        Telemetry.newBuilder()
            .setDeviceId(device)
            .setTimestampMs(ts)
            .setTemperature(temperature)
            .setHumidity(40)
            .setSchemaVersion(1)
            .build()
            .toByteArray(),
        null);
  }

  /** The offset the job's consumer group committed on the telemetry topic (0: none yet). */
  private static long committed(String bs, String group) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bs))) {
      OffsetAndMetadata o =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS)
              .get(new TopicPartition("telemetry", 0));
      return o == null ? 0 : o.offset();
    } catch (Exception e) {
      return 0;
    }
  }

  /** How many e-mails arrived per message key. */
  private static Map<String, Long> keys(LocalSmtpServer smtp) {
    Map<String, Long> perKey = new TreeMap<>();
    for (LocalSmtpServer.Received r : smtp.received()) {
      try {
        perKey.merge(r.message().getHeader("X-IoTBeam-Key")[0], 1L, Long::sum);
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }
    return perKey;
  }

  /** Completed checkpoints (chk-N with _metadata), oldest first. */
  private static List<Path> completed(Path checkpoints) {
    try (Stream<Path> s = Files.walk(checkpoints)) {
      return s.filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .sorted((a, b) -> Integer.compare(n(a), n(b)))
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int n(Path chk) {
    return Integer.parseInt(chk.getFileName().toString().substring(4));
  }

  /** How often each alert event (id and state) is on the alerts topic. */
  private static Map<String, Long> alertEventsOnTopic(String bs) {
    return KafkaTestIo.values(KafkaTestIo.readAll(bs, "alerts", Map.of())).stream()
        .map(j -> ProtoJson.parse(j, Alert.newBuilder()).build())
        .collect(
            Collectors.groupingBy(
                a -> a.getId() + " " + a.getState(), TreeMap::new, Collectors.counting()));
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + 240_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(500);
    }
    LOG.info("done: {}", what);
  }
}
