package org.iotbeam.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.simulator.KafkaTransport;
import org.iotbeam.simulator.Simulator;
import org.iotbeam.simulator.SimulatorConfig;
import org.junit.Test;

/**
 * The failover of docs/failover.md, rehearsed on one machine (runners/scripts/failover-rehearsal.sh
 * runs it): the streaming job with dev's deployed arguments (local endpoints) on standalone cluster
 * A ("region A") while a simulator sends live telemetry; A is killed (SIGKILL, no cancel, no
 * savepoint); the storage it checkpointed to is copied as its geo-replica would be and the original
 * removed; cluster B ("region B", its own home, ports and RocksDB directories) restores the last
 * retained checkpoint from that copy, under the same path as Azure's storage failover keeps the
 * account's name, and continues from the offsets it holds while the telemetry keeps coming.
 * Baseline cluster C runs the same job on the same input without interruption. The outputs of A+B
 * (topics and files) must equal C's: the final aggregate per id, alert ids and states, dead-letter
 * ids, archived messages.
 *
 * <p>Runs only with {@code -Diotbeam.rehearsal.home=DIR -Diotbeam.jobJar=...-shaded.jar}.
 */
public class FailoverRehearsalTest {
  /** What the rehearsal sets over dev's deployed arguments, and why (printed with the report). */
  static final Map<String, String> REHEARSAL_FLAGS = new java.util.LinkedHashMap<>();

  static {
    // checkpoints and file flushes every 5 s, not 60 s: a rehearsal of minutes, not hours
    REHEARSAL_FLAGS.put("--checkpointingInterval", "5000");
    REHEARSAL_FLAGS.put("--fileFlushSeconds", "5");
    // 1-minute windows: the last ones close a minute after the input stops
    REHEARSAL_FLAGS.put("--windowMinutes", "1");
    REHEARSAL_FLAGS.put("--fileWindowMinutes", "1");
    // see StreamingPipelineFlinkClusterTest.SCENARIO_FLAGS
    REHEARSAL_FLAGS.put("--fileShards", "1");
  }

  static final Duration PRODUCE =
      Duration.ofSeconds(Long.getLong("iotbeam.rehearsal.produceSeconds", 150));
  static final Duration KILL_AFTER =
      Duration.ofSeconds(Long.getLong("iotbeam.rehearsal.killAfterSeconds", 50));

  @Test(timeout = 1_800_000)
  public void failoverGivesTheOutputsOfAnUninterruptedRun() throws Exception {
    String homeProp = System.getProperty("iotbeam.rehearsal.home", "");
    String jar = System.getProperty("iotbeam.jobJar", "");
    assumeTrue(
        "no -Diotbeam.rehearsal.home / -Diotbeam.jobJar", !homeProp.isEmpty() && !jar.isEmpty());
    Path w = Path.of(homeProp).toAbsolutePath();
    Path storage = w.resolve("storage"); // "the geo-redundant storage account"
    List<String> report = new ArrayList<>();
    LocalFlinkCluster a =
        new LocalFlinkCluster(
            "A", w.resolve("region-a"), storage.resolve("flink/checkpoints"), 18581, 16523, 19581);
    LocalFlinkCluster b =
        new LocalFlinkCluster(
            "B", w.resolve("region-b"), storage.resolve("flink/checkpoints"), 18582, 16524, 19582);
    LocalFlinkCluster c =
        new LocalFlinkCluster(
            "C",
            w.resolve("baseline"),
            w.resolve("baseline-storage/flink/checkpoints"),
            18583,
            16525,
            19583);
    long t0 = System.nanoTime();
    try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
      String bs = kafka.bootstrapServers();
      KafkaTestIo.createJobTopics(kafka, 2);
      for (String t : KafkaTestIo.OUTPUT_TOPICS) {
        kafka.createTopic("baseline-" + t, 1);
      }
      say(report, t0, "Kafka broker " + bs + "; starting clusters A (region A) and C (baseline)");
      a.start();
      c.start();
      submit(a, jar, bs, storage.resolve("telemetry"), "", null, report, t0);
      submit(c, jar, bs, w.resolve("baseline-storage/telemetry"), "baseline-", null, report, t0);
      String jobA = a.runningJob(Duration.ofMinutes(5));
      c.runningJob(Duration.ofMinutes(5));

      // live telemetry for PRODUCE, event time = now, as devices send it
      AtomicReference<Exception> producerFailure = new AtomicReference<>();
      Instant produceStart = Instant.now();
      Thread producer =
          new Thread(
              () -> {
                try (KafkaTransport t = new KafkaTransport(bs, "telemetry", Map.of())) {
                  new Simulator(
                          new SimulatorConfig()
                              .devices(20)
                              .rate(20)
                              .seed(16)
                              .anomalyRate(0.02)
                              .malformedRatio(0.02)
                              .duration(PRODUCE)
                              .progressInterval(Duration.ZERO),
                          t,
                          new PrintStream(PrintStream.nullOutputStream()))
                      .run();
                } catch (Exception e) {
                  producerFailure.set(e);
                }
              },
              "rehearsal-producer");
      producer.start();
      say(
          report,
          t0,
          "simulator: 20 devices, 20 msg/s for "
              + PRODUCE.toSeconds()
              + " s (2% malformed, 2% anomalies)");

      // region A is lost: after KILL_AFTER of live traffic and at least two checkpoints with it
      Thread.sleep(KILL_AFTER.toMillis());
      long before = a.completedCheckpoints(jobA);
      while (a.completedCheckpoints(jobA) < before + 2) {
        Thread.sleep(500);
      }
      long checkpointsOfA = a.completedCheckpoints(jobA);
      Map<TopicPartition, OffsetAndMetadata> committed =
          kafka
              .admin()
              .listConsumerGroupOffsets("flink-telemetry")
              .partitionsToOffsetAndMetadata()
              .get();
      a.kill();
      say(
          report,
          t0,
          "killed cluster A (SIGKILL to its JobManager and TaskManager) after "
              + checkpointsOfA
              + " completed checkpoints; offsets its checkpoints committed: "
              + offsets(committed));

      // the geo-replica: what storage held at the failure, copied; the primary copy is gone;
      // after the account failover the replica answers under the same name (same paths)
      Path replica = w.resolve("storage-replica");
      copyTree(storage, replica);
      deleteTree(storage);
      Files.move(replica, storage, StandardCopyOption.ATOMIC_MOVE);
      Path checkpoint = lastRetainedCheckpoint(storage.resolve("flink/checkpoints").resolve(jobA));
      say(
          report,
          t0,
          "storage failed over to its geo-replica ("
              + countFiles(storage)
              + " files); last retained checkpoint "
              + storage.relativize(checkpoint));

      b.start();
      submit(b, jar, bs, storage.resolve("telemetry"), "", checkpoint, report, t0);
      String jobB = b.runningJob(Duration.ofMinutes(5));
      // running is not enough: a job that fails after its restore restarts, and runs again
      b.awaitCheckpoint(jobB, Duration.ofMinutes(3));
      say(
          report,
          t0,
          "cluster B (region B, its own home "
              + w.relativize(b.home)
              + ") runs the job restored from "
              + checkpoint.getFileName()
              + " and completed its first checkpoint");

      producer.join();
      if (producerFailure.get() != null) {
        throw producerFailure.get();
      }
      say(
          report,
          t0,
          "simulator done after "
              + Duration.between(produceStart, Instant.now()).toSeconds()
              + " s; waiting for the last windows and files of both runs");
      JobOutputs failover = null;
      JobOutputs baseline = null;
      // the last 1-minute windows close when the idle watermark (now - 60 s) passes them
      Thread.sleep(150_000);
      String previous = "";
      for (int stable = 0; stable < 3; ) {
        failover = JobOutputs.read("A+B", bs, "", storage.resolve("telemetry"));
        baseline = JobOutputs.read("C", bs, "baseline-", w.resolve("baseline-storage/telemetry"));
        String now = failover.counts() + baseline.counts();
        stable = now.equals(previous) ? stable + 1 : 0;
        previous = now;
        Thread.sleep(10_000);
      }
      say(report, t0, "outputs stable; comparing");
      report.add("  " + failover.counts());
      report.add("  " + baseline.counts());
      report.add(
          "  empty aggregates A+B: "
              + failover.emptyAggregates().size()
              + ", C: "
              + baseline.emptyAggregates().size()
              + " (a known streaming bug; not compared)");
      committed =
          kafka
              .admin()
              .listConsumerGroupOffsets("flink-telemetry")
              .partitionsToOffsetAndMetadata()
              .get();
      report.add("  offsets committed by B's checkpoints at the end: " + offsets(committed));
      List<String> differences = failover.differences(baseline);
      report.add(
          "differences between the failed-over run and the uninterrupted one: "
              + differences.size());
      differences.stream().limit(50).forEach(d -> report.add("  " + d));
      write(w, report);
      assertEquals(
          "differences between the failed-over run and the uninterrupted one ("
              + w
              + "/report.txt lists them)",
          0,
          differences.size());
    } catch (Exception | AssertionError e) {
      report.add("FAILED: " + e);
      write(w, report);
      throw e;
    } finally {
      for (LocalFlinkCluster cluster : List.of(b, c, a)) {
        try {
          cluster.stop();
        } catch (RuntimeException | IOException e) {
          // stopping is best effort; the next start of that home stops stale processes
        }
      }
    }
  }

  /** dev's deployed arguments, local endpoints, the rehearsal's flags; restored from a path. */
  static void submit(
      LocalFlinkCluster cluster,
      String jar,
      String bootstrap,
      Path outputBase,
      String topicPrefix,
      Path restoreFrom,
      List<String> report,
      long t0) {
    List<String> args = new ArrayList<>();
    for (String a : DeployedJob.renderLocal("dev", bootstrap, outputBase).localArgs()) {
      String flag = a.substring(0, a.indexOf('='));
      if (!REHEARSAL_FLAGS.containsKey(flag)
          && !(topicPrefix.length() > 0
              && (flag.endsWith("Topic") && !flag.equals("--inputTopic")
                  || flag.equals("--consumerGroup")))) {
        args.add(a);
      }
    }
    REHEARSAL_FLAGS.forEach((f, v) -> args.add(f + "=" + v));
    if (!topicPrefix.isEmpty()) {
      args.addAll(
          List.of(
              "--aggregatesTopic=" + topicPrefix + "aggregates",
              "--alertsTopic=" + topicPrefix + "alerts",
              "--deadLetterTopic=" + topicPrefix + "dead-letters",
              "--consumerGroup=" + topicPrefix + "flink-telemetry"));
    }
    PipelineOptionsFactory.register(StreamingPipeline.Options.class);
    StreamingPipeline.Options o =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(StreamingPipeline.Options.class);
    FlinkPipelineOptions f = o.as(FlinkPipelineOptions.class);
    f.setFlinkMaster(cluster.master());
    f.setFilesToStage(List.of(jar));
    f.setAttachedMode(false);
    f.setJobName("iotbeam-streaming-" + cluster.name.toLowerCase());
    if (restoreFrom != null) {
      f.setSavepointPath(restoreFrom.toUri().toString());
    }
    StreamingPipeline.run(o);
    say(
        report,
        t0,
        "submitted to "
            + cluster.name
            + ": "
            + String.join(" ", args)
            + (restoreFrom == null ? "" : " --savepointPath=" + restoreFrom.toUri()));
  }

  /** The newest chk-N of a job's checkpoint directory that holds its _metadata (completed). */
  static Path lastRetainedCheckpoint(Path jobDir) throws IOException {
    try (Stream<Path> s = Files.list(jobDir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("chk-"))
          .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
          .max(
              Comparator.comparingLong(
                  p -> Long.parseLong(p.getFileName().toString().substring(4))))
          .orElseThrow(() -> new IllegalStateException("no completed checkpoint in " + jobDir));
    }
  }

  static String offsets(Map<TopicPartition, OffsetAndMetadata> committed) {
    return committed.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(TopicPartition::toString)))
        .map(e -> e.getKey() + "=" + e.getValue().offset())
        .collect(Collectors.joining(", "));
  }

  static void say(List<String> report, long t0, String line) {
    String l = String.format("[%4ds] %s", (System.nanoTime() - t0) / 1_000_000_000L, line);
    report.add(l);
    System.out.println(l);
  }

  static void write(Path w, List<String> report) {
    try {
      Files.writeString(
          w.resolve("report.txt"), String.join("\n", report) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  static long countFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }
}
