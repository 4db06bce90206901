package org.iotbeam.pipelines.batch;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.iotbeam.pipelines.bench.DomainBaseline;
import org.iotbeam.pipelines.bench.StreamingBenchmark;
import org.iotbeam.pipelines.common.ProcessingConfigs;
import org.iotbeam.simulator.FileTransport;
import org.iotbeam.simulator.MessageGenerator;
import org.iotbeam.simulator.SimulatedMessage;
import org.iotbeam.simulator.SimulatorConfig;

/**
 * A benchmark command, not a test: generates a raw archive of N messages with the simulator's file
 * transport (two generators in parallel, disjoint devices), then backfills it on Flink embedded in
 * batch mode, and prints messages per second, elapsed time and heap; then runs the same domain work
 * over the same archive in one plain thread ({@link DomainBaseline}) and prints how many times
 * faster that is.
 *
 * <pre>
 * runners/scripts/backfill-benchmark.sh [--messages=5000000] [--devices=1000] [--parallelism=2]
 *     [--dir=DIR] [--managedMemoryMb=3072 (0: Flink's local default)] [--keep]
 *     [--baselineMessages=N (0: no baseline; default: the whole archive)]
 *     [any BackfillPipeline flag, e.g. --objectReuse=true]
 * </pre>
 *
 * Lives in the pipelines' test sources because the simulator is a test dependency of pipelines.
 */
public final class BackfillBenchmark {
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

  private BackfillBenchmark() {}

  public static void main(String[] args) throws Exception {
    long messages = 5_000_000;
    int parallelism = 2;
    int devices = 1000;
    long baselineMessages = Long.MAX_VALUE;
    Path dir = null;
    boolean keep = false;
    int managedMemoryMb = 3072;
    List<String> passThrough = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("--messages=")) {
        messages = Long.parseLong(a.substring(11).replace("_", ""));
      } else if (a.startsWith("--devices=")) {
        devices = Integer.parseInt(a.substring(10).replace("_", ""));
      } else if (a.startsWith("--baselineMessages=")) {
        baselineMessages = Long.parseLong(a.substring(19).replace("_", ""));
      } else if (a.startsWith("--parallelism=")) {
        parallelism = Integer.parseInt(a.substring(14));
      } else if (a.startsWith("--dir=")) {
        dir = Paths.get(a.substring(6));
      } else if (a.startsWith("--managedMemoryMb=")) {
        managedMemoryMb = Integer.parseInt(a.substring(18));
      } else if (a.equals("--keep")) {
        keep = true;
      } else {
        passThrough.add(a);
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("backfill-bench-");
    }
    Path archive = dir.resolve("raw");
    int generators = 2;
    int devicesPerGenerator = Math.max(1, devices / generators);
    long perGenerator = messages / generators;
    long intervalMs = 10_000;

    // 1. the archive: reuse one of the same size, else generate it
    long t0 = System.nanoTime();
    Path marker =
        archive.resolve("_generated-" + messages + "-" + devicesPerGenerator * generators);
    if (!Files.exists(marker)) {
      ExecutorService pool = Executors.newFixedThreadPool(generators);
      List<Future<Long>> done = new ArrayList<>();
      for (int g = 0; g < generators; g++) {
        final int gen = g;
        done.add(
            pool.submit(
                () -> generate(archive, gen, devicesPerGenerator, intervalMs, perGenerator)));
      }
      long written = 0;
      for (Future<Long> f : done) {
        written += f.get();
      }
      pool.shutdown();
      Files.writeString(marker, Long.toString(written));
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "generated %,d messages in %.1f s (%.0f msg/s) under %s%n",
          written,
          s,
          written / s,
          archive);
    } else {
      System.out.println("reusing the archive under " + archive);
    }
    long spanMs = perGenerator / devicesPerGenerator * intervalMs + intervalMs;
    long hours = (spanMs + 3_599_999) / 3_600_000 + 1;

    // 2. the backfill on Flink embedded, batch
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--runner=FlinkRunner",
                "--flinkMaster=[local]",
                "--parallelism=" + parallelism,
                "--archiveBase=" + archive,
                "--outputBase=" + dir.resolve("out"),
                "--from=" + START,
                "--to=" + START.plus(Duration.ofHours(hours)),
                "--progressLogSeconds=10"));
    if (managedMemoryMb > 0) {
      // Flink's local environment gives its sorters 128 MiB of managed memory: the three sorts
      // of millions of readings (de-duplication, alert timelines, file shards) spill GBs to disk
      Path conf = dir.resolve("flink-conf");
      Files.createDirectories(conf);
      // on a busy machine the embedded task manager can starve past the 50 s heartbeat
      // timeout, which fails the job (seen at a load average of 70 on 2 cores)
      Files.writeString(
          conf.resolve("flink-conf.yaml"),
          "taskmanager.memory.managed.size: "
              + managedMemoryMb
              + "m\n"
              + "heartbeat.timeout: 300000\n");
      flags.add("--flinkConfDir=" + conf);
    }
    flags.addAll(passThrough);
    BackfillPipeline.Options o =
        PipelineOptionsFactory.fromArgs(flags.toArray(String[]::new))
            .as(BackfillPipeline.Options.class);
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
    long gcBefore = gcMillis();
    Summary s = BackfillPipeline.run(o);
    long heapPeak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        heapPeak += p.getPeakUsage().getUsed();
      }
    }
    Runtime rt = Runtime.getRuntime();
    System.out.println(s);
    System.out.printf(
        Locale.ROOT,
        "BENCHMARK backfill on Flink embedded (batch, parallelism %d, "
            + "%d cores): %,d messages in %.1f s = %,.0f msg/s; heap peak %d MiB of max %d MiB; "
            + "GC %.1f s%n",
        parallelism,
        rt.availableProcessors(),
        s.messagesRead(),
        s.seconds(),
        s.messagesPerSecond(),
        heapPeak >> 20,
        rt.maxMemory() >> 20,
        (gcMillis() - gcBefore) / 1e3);
    if (!keep) {
      deleteTree(dir.resolve("out"));
    }

    // 3. the same domain work in one plain thread, over the same archive
    if (baselineMessages > 0) {
      long cap = baselineMessages;
      DomainBaseline.stopRecordings();
      DomainBaseline.Result b =
          DomainBaseline.measure(
              ProcessingConfigs.fromOptions(o),
              () -> DomainBaseline.limit(DomainBaseline.archive(archive).get(), cap),
              Math.min(300_000, s.messagesRead()),
              1);
      System.out.print(
          b.report(
              String.format(
                  Locale.ROOT,
                  "the archive's messages from %,d " + "devices, the backfill's configuration",
                  devicesPerGenerator * generators)));
      System.out.printf(
          Locale.ROOT,
          "RATIO baseline/pipeline: %.1f (one plain thread does the "
              + "domain work at %,.0f msg/s, the backfill at parallelism %d reached %,.0f "
              + "msg/s); load average %s%n",
          b.throughput() / s.messagesPerSecond(),
          b.throughput(),
          parallelism,
          s.messagesPerSecond(),
          StreamingBenchmark.loadavg());
    }
  }

  private static long generate(Path archive, int gen, int devices, long intervalMs, long count)
      throws Exception {
    SimulatorConfig c =
        new SimulatorConfig()
            .devices(devices)
            .seed(42 + gen)
            .deviceIdPrefix("bench" + gen + "-")
            .interval(Duration.ofMillis(intervalMs))
            .startTime(START)
            .unthrottled(true)
            .count(count)
            .validate();
    MessageGenerator g = new MessageGenerator(c, START.toEpochMilli());
    try (FileTransport t = new FileTransport(archive, "gen" + gen, 1, 100_000)) {
      List<SimulatedMessage> batch = new ArrayList<>(1000);
      for (long i = 0; i < count; i++) {
        batch.add(g.next());
        if (batch.size() == 1000) {
          t.send(batch);
          batch.clear();
        }
      }
      t.send(batch);
      return g.generated();
    }
  }

  private static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, b.getCollectionTime());
    }
    return sum;
  }

  private static void deleteTree(Path p) throws java.io.IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
