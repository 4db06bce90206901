package org.iotbeam.runners.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.iotbeam.bridge.MqttKafkaBridge;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.local.LocalMqttBroker;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.pipelines.flink.EmbeddedFlink;
import org.iotbeam.pipelines.observability.FlinkBeamMetricsReporter;
import org.iotbeam.pipelines.observability.FlinkReporterConfig;
import org.iotbeam.simulator.MqttTransport;
import org.iotbeam.simulator.Simulator;
import org.iotbeam.simulator.SimulatorConfig;
import org.iotbeam.simulator.SimulatorSummary;

/**
 * The local demo in one JVM: a KRaft Kafka broker with the topics, a Moquette MQTT broker, the MQTT
 * -> Kafka bridge, the streaming pipeline on Flink embedded (started detached, so this thread can
 * watch its Beam counters through {@link FlinkBeamMetricsReporter#counters()}), and the device
 * simulator publishing over MQTT for the given duration. Then it waits for the pipeline to drain,
 * stops everything in reverse order and returns a {@link DemoSummary}.
 *
 * <p>How the end works. The source is unbounded (Kafka), so the job never finishes by itself; the
 * demo cancels it once the results are complete, which it judges in three steps, all bounded by
 * {@code --drainTimeout}:
 *
 * <ol>
 *   <li>the bridge has forwarded what the simulator delivered;
 *   <li>the pipeline's {@code messages_received} equals what the bridge forwarded;
 *   <li>the last aggregate window has closed ({@link #lastWindowClosesAt}: the watermark follows
 *       the data; once the simulator stops, each partition is idle after {@code
 *       --idlePartitionSeconds} and its clock runs on from its last reading; hence 1-minute windows
 *       by default), and the finished files hold exactly what the counters say (raw = valid -
 *       duplicates, aggregates = {@code aggregates_emitted}, alerts = raised + cleared, dead
 *       letters = {@code dead_letters}).
 * </ol>
 *
 * Why wait for the files rather than cancel as soon as the counters settle: the file sinks write
 * panes every {@code --fileFlushSeconds} of processing time and Flink finalizes them on completed
 * checkpoints, so a cancel right after the counters settle would leave the last panes in temporary
 * files and the summary would point at incomplete outputs. With a 5 s flush delay and a 5 s
 * checkpoint interval (StreamingPipeline's 30 s would make the user wait half a minute more for
 * nothing) they land a few seconds after the counters settle.
 */
public final class Demo {
  static final String TELEMETRY_TOPIC = "telemetry";
  static final int MAX_OUT_OF_ORDER_SECONDS = 10;

  /** The pipeline's default (StreamingPipeline.Options#getIdlePartitionSeconds). */
  static final int IDLE_PARTITION_SECONDS = 60;

  /** The bundled rule the scripted excursion must raise and clear. */
  static final String EXCURSION_RULE = "temperature-critical-high";

  private final DemoOptions o;
  private final PrintStream progress;
  private volatile boolean stopRequested;
  private volatile Simulator simulator;
  private final CountDownLatch finished = new CountDownLatch(1);

  public Demo(DemoOptions options, PrintStream progress) {
    this.o = Objects.requireNonNull(options);
    this.progress = options.quiet ? null : progress;
  }

  /** Stops a running demo early (Ctrl-C): the simulator stops, then everything shuts down. */
  public void requestStop() {
    stopRequested = true;
    Simulator s = simulator;
    if (s != null) {
      s.stop();
    }
  }

  /** Waits until {@link #run} has shut everything down (for a shutdown hook). */
  public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
    return finished.await(timeout, unit);
  }

  public DemoSummary run() throws Exception {
    try {
      return doRun();
    } finally {
      finished.countDown();
    }
  }

  private DemoSummary doRun() throws Exception {
    long t0 = System.nanoTime();
    Path out = o.output();
    Files.createDirectories(out);
    log("output under %s", out);
    log("starting Kafka (KRaft) ...");
    try (LocalKafkaBroker kafka =
        LocalKafkaBroker.builder().defaultPartitions(o.partitions).start()) {
      createTopic(kafka, TELEMETRY_TOPIC, o.partitions);
      for (String t : List.of("aggregates", "alerts", "dead-letters")) {
        createTopic(kafka, t, 1);
      }
      log(
          "Kafka at %s, topics telemetry (%d partitions), aggregates, alerts, dead-letters",
          kafka.bootstrapServers(), o.partitions);
      try (LocalMqttBroker mqtt = LocalMqttBroker.start();
          MqttKafkaBridge bridge =
              new MqttKafkaBridge(
                      mqtt.url(),
                      kafka.bootstrapServers(),
                      TELEMETRY_TOPIC,
                      "iotbeam-demo-bridge",
                      Map.of())
                  .start()) {
        log(
            "MQTT broker at %s, bridge devices/+/messages/events/# -> Kafka %s",
            mqtt.url(), TELEMETRY_TOPIC);
        return withPipeline(kafka, mqtt, bridge, out, t0);
      }
    }
  }

  private DemoSummary withPipeline(
      LocalKafkaBroker kafka, LocalMqttBroker mqtt, MqttKafkaBridge bridge, Path out, long t0)
      throws Exception {
    // the embedded cluster's configuration and checkpoints; deleted at the end
    Path confDir = Files.createTempDirectory("iotbeam-demo-flink-");
    writeFlinkConf(confDir);
    StreamingPipeline.Options options = pipelineOptions(kafka.bootstrapServers(), out);
    DemoNotifications.configure(options, o, out);
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    flink.setFlinkConfDir(confDir.toString());
    // the de-duplication and alert state of 200 devices at 1000 msg/s passes the JobManager
    // memory's 5 MB within a minute; checkpoints go under confDir, deleted at the end
    EmbeddedFlink.checkpointToFiles(flink, confDir.resolve("checkpoints"));
    log(
        "starting the streaming pipeline on Flink embedded (parallelism %d, checkpoints every "
            + "%d s) ...",
        o.parallelism, o.checkpointSeconds);
    long tSubmit = System.nanoTime();
    PipelineResult result;
    try {
      result = StreamingPipeline.run(options);
    } catch (RuntimeException e) {
      delete(confDir);
      throw e;
    }
    try {
      awaitRunning(result);
      long pipelineStartMs = millisSince(tSubmit);
      log("pipeline running after %.1f s", pipelineStartMs / 1000.0);
      String prometheusUrl = prometheusUrl();
      if (prometheusUrl != null) {
        log("Beam metrics in Prometheus format on %s", prometheusUrl);
      }

      SimulatorSummary sent = simulate(mqtt);
      long tSimEnd = System.nanoTime();
      long simEndMs = System.currentTimeMillis();
      long deadline = tSimEnd + o.drainTimeout.toNanos();
      log(
          "simulator done: %d sent (%d malformed by construction), %d delivered; draining ...",
          sent.generated(), sent.malformed(), sent.delivered());

      // 1. the bridge forwards what MQTT delivered
      waitUntil(
          deadline,
          () -> bridge.forwarded() + bridge.failed() >= sent.delivered(),
          () -> "bridge forwarded " + bridge.forwarded() + " of " + sent.delivered());
      // 2. the pipeline has received everything the bridge forwarded
      long[] drainMs = {-1};
      Map<String, Long>[] counters = newCounters(result);
      waitUntil(
          deadline,
          () -> {
            counters[0] = PipelineCounters.read(result);
            return counters[0].getOrDefault(DemoSummary.RECEIVED, 0L) >= bridge.forwarded();
          },
          () ->
              "pipeline received "
                  + counters[0].getOrDefault(DemoSummary.RECEIVED, 0L)
                  + " of "
                  + bridge.forwarded());
      if (counters[0].getOrDefault(DemoSummary.RECEIVED, 0L) >= bridge.forwarded()) {
        drainMs[0] = millisSince(tSimEnd);
      }
      // 3. the last window closed, the counters stopped moving and the files agree with them
      long tSettle = System.nanoTime();
      long windowMs = o.windowMinutes * 60_000L;
      long lastWindowEnd = (sent.lastEventTimeMs() / windowMs + 1) * windowMs;
      long windowsClosedAt =
          lastWindowClosesAt(
              simEndMs + Math.max(0, drainMs[0]), sent.lastEventTimeMs(), lastWindowEnd);
      // The watermark passing the window end reaches the aggregation, fires it, and the counter
      // moves when that bundle finishes: "unchanged for a moment" is not enough; unchanged for a
      // flush delay plus a checkpoint (the time files need to follow) is, counted from the
      // later of the window's closing time and the counters' last change.
      long stableNanos = TimeUnit.SECONDS.toNanos(o.flushSeconds + o.checkpointSeconds + 2L);
      long[] lastChange = {
        System.nanoTime()
            + TimeUnit.MILLISECONDS.toNanos(windowsClosedAt - System.currentTimeMillis())
      };
      if (!stopRequested) {
        log(
            "waiting for the last %d-minute window (ends %s) to close and the files to be "
                + "finalized ...",
            o.windowMinutes, Instant.ofEpochMilli(lastWindowEnd));
      }
      Map<String, Long>[] previous = newCounters(result);
      DemoSummary.Outputs[] files = {OutputCounts.count(out)};
      waitUntil(
          deadline,
          () -> {
            previous[0] = counters[0];
            counters[0] = PipelineCounters.read(result);
            files[0] = OutputCounts.count(out);
            if (!counters[0].equals(previous[0])) {
              lastChange[0] = Math.max(lastChange[0], System.nanoTime());
            }
            return System.currentTimeMillis() >= windowsClosedAt
                && System.nanoTime() - lastChange[0] >= stableNanos
                && DemoSummary.fileMismatches(counters[0], files[0]).isEmpty();
          },
          () ->
              System.currentTimeMillis() < windowsClosedAt
                  ? "window closes in "
                      + (windowsClosedAt - System.currentTimeMillis()) / 1000
                      + " s"
                  : DemoSummary.fileMismatches(counters[0], files[0]).isEmpty()
                      ? "files agree with the counters; making sure the counters stay put"
                      : "files: "
                          + String.join("; ", DemoSummary.fileMismatches(counters[0], files[0])));
      long settleMs = millisSince(tSettle);
      counters[0] = PipelineCounters.read(result);

      log("cancelling the pipeline ...");
      cancel(result);
      deleteTemporaryFiles(out);
      DemoSummary.Outputs outputs = OutputCounts.count(out);
      DemoSummary.Semantics semantics =
          OutputSemantics.read(out, simulatorConfig().deviceId(0), EXCURSION_RULE);
      return new DemoSummary(
          new DemoSummary.Run(
              o.duration.toSeconds(),
              o.devices,
              o.rate,
              o.parallelism,
              o.windowMinutes,
              "Flink embedded"),
          sent(sent),
          new DemoSummary.Bridge(bridge.received(), bridge.forwarded(), bridge.failed()),
          counters[0],
          outputs,
          new DemoSummary.Timing(pipelineStartMs, drainMs[0], settleMs, millisSince(t0)),
          prometheusUrl,
          semantics);
    } finally {
      cancel(result);
      delete(confDir);
    }
  }

  /**
   * When the pipeline's watermark passes the last window's end, by the rule of its idle partitions
   * (EventTimePolicy): once a caught-up partition has had no record for {@code
   * --idlePartitionSeconds}, its watermark runs on from its newest event time minus the watermark
   * delay at the pace of the wall clock. So the window closes that delay plus the idle timeout plus
   * the window's distance from the newest reading after the last record arrived, plus a margin for
   * the watermark to reach the aggregation. Counted from the arrival, not from the window's end as
   * a wall-clock instant: a simulator that fell behind its schedule stamps readings older than the
   * wall clock, and the window then closes that much later.
   */
  static long lastWindowClosesAt(long lastArrivalMs, long newestEventTimeMs, long lastWindowEndMs) {
    return lastArrivalMs
        + (lastWindowEndMs - newestEventTimeMs)
        + (MAX_OUT_OF_ORDER_SECONDS + IDLE_PARTITION_SECONDS + 5) * 1000L;
  }

  /**
   * The embedded cluster's Flink configuration: file checkpoints and the observability module's
   * {@link FlinkBeamMetricsReporter}, which gives this thread the live Beam counters and serves
   * them in Prometheus format on 127.0.0.1:{@code --prometheusPort} (0: a free port; -1: it only
   * collects).
   */
  void writeFlinkConf(Path confDir) throws IOException {
    String conf =
        "state.checkpoint-storage: filesystem\nstate.checkpoints.dir: "
            + confDir.resolve("checkpoints").toUri()
            + "\n"
            + FlinkReporterConfig.lines("127.0.0.1", o.prometheusPort);
    Files.writeString(confDir.resolve("flink-conf.yaml"), conf);
  }

  /**
   * Once the job runs: the reporter's endpoint with the port it bound, or null with {@code
   * --prometheusPort -1}. Fails when it is not serving (the port taken, say): without the reporter
   * the demo would see no counters.
   */
  private String prometheusUrl() {
    if (o.prometheusPort < 0) {
      return null;
    }
    List<String> urls = FlinkBeamMetricsReporter.openUrls();
    if (urls.isEmpty()) {
      throw new IllegalStateException(
          "the Beam metrics reporter is not serving on 127.0.0.1:"
              + o.prometheusPort
              + " (port in use? see the Flink log)");
    }
    return urls.get(0);
  }

  /**
   * {@link LocalKafkaBroker#createTopic}, tried up to three times: right after creation the broker
   * may answer its describe call with UnknownTopicOrPartition before the metadata reached it, which
   * that method passes on. Creating an existing topic is a no-op, so a retry is safe.
   */
  private static void createTopic(LocalKafkaBroker kafka, String topic, int partitions)
      throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        kafka.createTopic(topic, partitions);
        return;
      } catch (IllegalStateException e) {
        if (attempt >= 3) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  StreamingPipeline.Options pipelineOptions(String bootstrapServers, Path out) {
    StreamingPipeline.Options opts = PipelineOptionsFactory.as(StreamingPipeline.Options.class);
    opts.setJobName("iotbeam-demo");
    FlinkPipelineOptions flink = EmbeddedFlink.use(opts);
    flink.setParallelism(o.parallelism);
    flink.setCheckpointingInterval(o.checkpointSeconds * 1000L);
    // detached: run() returns at once and this thread polls the job's metrics while it runs
    flink.setAttachedMode(false);
    // the sources must stay up for checkpoints (and so file finalization) to go on
    flink.setShutdownSourcesAfterIdleMs(Long.MAX_VALUE);
    opts.setStreaming(true);
    opts.setBootstrapServers(bootstrapServers);
    opts.setInputTopic(TELEMETRY_TOPIC);
    opts.setConsumerGroup("iotbeam-demo");
    opts.setOutputBase(out.toString());
    opts.setWindowMinutes(o.windowMinutes);
    opts.setMaxOutOfOrderSeconds(MAX_OUT_OF_ORDER_SECONDS);
    opts.setFileFlushSeconds(o.flushSeconds);
    return opts;
  }

  /**
   * The simulator's configuration, with a scripted excursion a sixth into the run: device 0 at 60 C
   * for a sixth of the run (1-20 s), which the bundled rules must raise and then clear. Early in
   * the run, so that a slow machine, which sends less of the planned input within the duration,
   * still sends the excursion and the readings after it.
   */
  SimulatorConfig simulatorConfig() {
    Duration length =
        Duration.ofMillis(Math.max(1_000, Math.min(20_000, o.duration.toMillis() / 6)));
    return new SimulatorConfig()
        .excursion(o.duration.dividedBy(6), length)
        .devices(o.devices)
        .rate(o.rate)
        .duration(o.duration)
        .seed(o.seed)
        .malformedRatio(o.malformedRatio)
        // start time = now (the default): the validator judges event time against ingest time
        .startTime(null)
        .progressInterval(progress == null ? null : Duration.ofSeconds(10));
  }

  private SimulatorSummary simulate(LocalMqttBroker mqtt) throws Exception {
    SimulatorConfig cfg = simulatorConfig();
    cfg.validate();
    log(
        "simulator: %d devices, %s msg/s over MQTT for %d s ...",
        o.devices, o.rate, o.duration.toSeconds());
    try (MqttTransport transport = MqttTransport.local(mqtt.url(), "iotbeam-demo-sim")) {
      Simulator s = new Simulator(cfg, transport, progress);
      simulator = s;
      if (stopRequested) {
        s.stop();
      }
      return s.run();
    } finally {
      simulator = null;
    }
  }

  private static DemoSummary.Sent sent(SimulatorSummary s) {
    Map<String, Long> kinds = new TreeMap<>();
    s.malformedByKind().forEach((k, v) -> kinds.put(k.name().toLowerCase(), v));
    return new DemoSummary.Sent(
        s.generated(), s.valid(), s.malformed(), kinds, s.delivered(), s.failed(), s.elapsedMs());
  }

  private void awaitRunning(PipelineResult result) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      PipelineResult.State s = result.getState();
      if (s == PipelineResult.State.RUNNING) {
        return;
      }
      if (s != null && s.isTerminal()) {
        throw new IllegalStateException("the pipeline ended before it ran: " + s);
      }
      if (System.nanoTime() > deadline || stopRequested) {
        throw new IllegalStateException("the pipeline did not start within 120 s (" + s + ")");
      }
      Thread.sleep(250);
    }
  }

  interface Check {
    boolean done() throws Exception;
  }

  /** Polls {@code done} once a second until it holds, the deadline or a stop request. */
  private void waitUntil(long deadline, Check done, java.util.function.Supplier<String> status)
      throws Exception {
    long lastLog = System.nanoTime();
    while (!done.done()) {
      if (System.nanoTime() > deadline || stopRequested) {
        log("gave up waiting: %s", status.get());
        return;
      }
      if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(10)) {
        log("... %s", status.get());
        lastLog = System.nanoTime();
      }
      Thread.sleep(1000);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Long>[] newCounters(PipelineResult result) {
    return new Map[] {PipelineCounters.read(result)};
  }

  private boolean cancelled;

  /**
   * Cancels the job once. The embedded cluster shuts down with its (only) job, so asking for the
   * state afterwards fails with "MiniCluster is not yet running or has already been shut down":
   * that is the end we want, not an error.
   */
  private void cancel(PipelineResult result) {
    if (cancelled) {
      return;
    }
    cancelled = true;
    try {
      PipelineResult.State s = result.getState();
      if (s != null && s.isTerminal()) {
        return;
      }
      result.cancel();
      result.waitUntilFinish(org.joda.time.Duration.standardSeconds(60));
    } catch (IllegalStateException e) {
      // the MiniCluster is gone with the job
    } catch (IOException | RuntimeException e) {
      log("cancelling the pipeline: %s", e.toString());
    }
  }

  /** Beam's temporary directories of unfinished panes ({@code .temp-beam-*}) are no output. */
  private static void deleteTemporaryFiles(Path out) {
    for (String dir : DemoSummary.OUTPUT_DIRS) {
      Path d = out.resolve(dir);
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (Stream<Path> s = Files.list(d)) {
        s.filter(p -> p.getFileName().toString().startsWith(".temp")).forEach(Demo::delete);
      } catch (IOException e) {
        // leave them
      }
    }
  }

  private static void delete(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // leave it
                }
              });
    } catch (IOException e) {
      // leave it
    }
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  private void log(String format, Object... args) {
    if (progress != null) {
      progress.printf("[demo] " + format + "%n", args);
    }
  }
}
