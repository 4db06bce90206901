package org.iotbeam.pipelines.bench;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.iotbeam.local.FreePorts;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.pipelines.common.ProcessingConfigs;
import org.iotbeam.pipelines.observability.ObservabilityOptions;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.SourcePosition;
import org.iotbeam.proto.Telemetry;
import org.iotbeam.transforms.ProcessingConfig;

/**
 * Throughput and latency of the streaming pipeline on Flink embedded against an in-process KRaft
 * broker, read as production reads: an unbounded KafkaIO source (no bounded read, which would wrap
 * the read in an Impulse/Reshuffle with sleeps). Not a test: prints figures.
 *
 * <ol>
 *   <li>throughput: pre-fill {@code -Dn} messages (default 1,000,000) from {@code -Ddevices}
 *       devices, start the pipeline asynchronously (parallelism {@code -Dparallelism}, 2) and
 *       scrape its Beam-metrics reporter's {@code iotbeam_messages_received_total} over HTTP every
 *       500 ms until it reaches n, then cancel; msg/s over the steady part, from 10% to 90% of n
 *       (start-up excluded), interpolated between scrapes;
 *   <li>latency: produce at {@code -Drate} msg/s (default 10,000) for {@link #WARM_UP_SECONDS}
 *       (unmeasured), then for {@code -Dseconds} (60: two checkpoints and a file flush), each
 *       record's timestamp and event time = its produce time; 10 probe devices alternate hot/cold
 *       readings so each probe raises or clears an alert; latency = time the alert is read from the
 *       alerts topic - the reading's event time;
 *   <li>baseline: the same domain work in one plain thread ({@link DomainBaseline}) over the
 *       throughput phase's messages with the pipeline's configuration, and the ratio of the two.
 * </ol>
 *
 * Prints the machine's load average (/proc/loadavg) with each figure: on a shared machine the
 * figures mean little without it. Bounded: the throughput phase gives up after {@code
 * -DmaxWaitSeconds} (300) and prints what it has.
 */
public final class StreamingBenchmark {
  private static final AtomicLong maxHeap = new AtomicLong();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern RECEIVED =
      Pattern.compile("(?m)^iotbeam_messages_received_total\\s+(\\S+)");

  public static void main(String[] args) throws Exception {
    long n = Long.getLong("n", 1_000_000L);
    int devices = Integer.getInteger("devices", 1000);
    int rate = Integer.getInteger("rate", 10_000);
    int seconds = Integer.getInteger("seconds", 60);
    int parallelism = Integer.getInteger("parallelism", 2);
    int maxWaitSeconds = Integer.getInteger("maxWaitSeconds", 300);
    Thread heap =
        new Thread(
            () -> {
              while (true) {
                maxHeap.accumulateAndGet(heapUsed(), Math::max);
                try {
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    heap.setDaemon(true);
    heap.start();
    Path work = Files.createTempDirectory("iotbeam-bench-");
    Path rules = work.resolve("rules.json");
    Files.writeString(
        rules,
        "{\"thresholds\": [{\"id\": \"probe-hot\", \"metric\": "
            + "\"temperature\", \"operator\": \">\", \"value\": 45.0, \"forReadings\": 1, "
            + "\"severity\": \"critical\", \"priority\": 1, \"cooldownMinutes\": 0}]}");
    System.out.printf(
        "machine: %d cores, max heap %,d MB, load average %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        loadavg());
    try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
      String bs = kafka.bootstrapServers();
      for (String t : List.of("bench-in", "lat-in")) {
        kafka.createTopic(t, parallelism);
      }
      for (String t :
          List.of(
              "aggregates",
              "alerts",
              "dead-letters",
              "lat-aggregates",
              "lat-alerts",
              "lat-dead-letters")) {
        kafka.createTopic(t, 1);
      }
      Prefill prefill = new Prefill(n, devices, System.currentTimeMillis());
      double steady = throughput(bs, work, rules, prefill, parallelism, maxWaitSeconds);
      latency(bs, work, rules, rate, seconds, devices, parallelism);
      baseline(options(bs, work.resolve("out-baseline"), rules, parallelism, ""), prefill, steady);
    }
    System.exit(0);
  }

  /**
   * The domain work of the pipeline in one plain thread ({@link DomainBaseline}), over the
   * throughput phase's messages and with the pipeline's configuration, and how many times faster
   * that is than the pipeline.
   */
  static void baseline(StreamingPipeline.Options o, Prefill prefill, double pipelineMsgPerSec) {
    ProcessingConfig config = ProcessingConfigs.fromOptions(o);
    DomainBaseline.stopRecordings();
    DomainBaseline.Result b =
        DomainBaseline.measure(config, prefill::inbound, Math.min(prefill.n, 300_000), 1);
    System.out.print(
        b.report(
            String.format(
                Locale.ROOT,
                "the throughput phase's %,d messages from %,d devices, the pipeline's configuration",
                prefill.n,
                prefill.devices)));
    System.out.printf(
        Locale.ROOT,
        "RATIO baseline/pipeline: %.1f (one plain thread does the "
            + "domain work at %,.0f msg/s, the pipeline at parallelism %d reaches %,.0f msg/s); "
            + "load average %s%n",
        b.throughput() / pipelineMsgPerSec,
        b.throughput(),
        o.as(FlinkPipelineOptions.class).getParallelism(),
        pipelineMsgPerSec,
        loadavg());
  }

  /**
   * The throughput phase's messages: n readings from {@code devices} devices, event times spread
   * over the 20 minutes before {@code nowMs}, in order per device.
   */
  record Prefill(long n, int devices, long nowMs) {
    long startMs() {
      return nowMs - 20 * 60_000L;
    }

    String device(long i) {
      return "bench-" + (i % devices);
    }

    byte[] payload(long i) {
      double step = (20 * 60_000.0) / n;
      return reading(device(i), startMs() + (long) (i * step), 20 + (i % 10));
    }

    /** As the Kafka source delivers them (its ingest time: the produce time, about now). */
    Iterator<InboundMessage> inbound() {
      return new Iterator<>() {
        long i;

        @Override
        public boolean hasNext() {
          return i < n;
        }

        @Override
        public InboundMessage next() {
          long k = i++;
          return InboundMessage.newBuilder()
              .setPayload(ByteString.copyFrom(payload(k)))
              .setIngestTimeMs(nowMs)
              .setSource(
                  SourcePosition.newBuilder().setSystem("kafka").setTopic("bench-in").setOffset(k))
              .setKey(device(k))
              .build();
        }
      };
    }
  }

  /** Phase 1: unbounded read of n pre-filled messages, observed through the reporter. */
  static double throughput(
      String bs, Path work, Path rules, Prefill prefill, int parallelism, int maxWaitSeconds)
      throws Exception {
    long n = prefill.n();
    long t0 = System.nanoTime();
    prefill(bs, "bench-in", prefill);
    System.out.printf("prefill: %,d messages in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    StreamingPipeline.Options o =
        options(bs, work.resolve("out-throughput"), rules, parallelism, "");
    o.setInputTopic("bench-in");
    String url = reporter(o);
    String loadBefore = loadavg();
    maxHeap.set(0);
    long s0 = System.nanoTime();
    PipelineResult r = StreamingPipeline.run(o); // attachedMode=false: returns once submitted
    // {nanos since s0, received, process CPU nanos, machine busy, steal and total jiffies}
    List<long[]> samples = new ArrayList<>();
    long received = 0;
    long deadline = s0 + TimeUnit.SECONDS.toNanos(maxWaitSeconds);
    try {
      while (received < n && System.nanoTime() < deadline) {
        Thread.sleep(500);
        long got = scrapeReceived(url);
        if (got >= 0 && got < received) {
          System.out.printf(
              "WARNING: received fell from %,d to %,d: the job restarted "
                  + "(see the log); the figures below are not clean%n",
              received, got);
        }
        if (got >= 0) {
          received = got;
          long[] machine = machineJiffies();
          samples.add(
              new long[] {
                System.nanoTime() - s0,
                received,
                processCpuNanos(),
                machine[0],
                machine[1],
                machine[2]
              });
        }
      }
    } finally {
      stopAndWait(r, "throughput");
    }
    String loadAfter = loadavg();
    double first = timeAt(samples, 1);
    double t10 = timeAt(samples, n / 10);
    double t90 = timeAt(samples, n * 9 / 10);
    double tAll = timeAt(samples, n);
    if (received < n) {
      System.out.printf(
          "THROUGHPUT INCOMPLETE: %,d of %,d received after %d s%n", received, n, maxWaitSeconds);
    }
    System.out.printf(
        "THROUGHPUT (unbounded KafkaIO read, Flink embedded, parallelism %d, "
            + "%d scrapes of %s): steady %,.0f msg/s (10%%..90%% of %,d in %.2f s); all %,d in "
            + "%.1f s after submit (first message at %.1f s) = %,.0f msg/s incl. start-up; max heap "
            + "used %,d MB; load average before %s, after %s%n",
        parallelism,
        samples.size(),
        url,
        0.8 * n / (t90 - t10),
        n,
        t90 - t10,
        received,
        tAll,
        first,
        received / tAll,
        maxHeap.get() >> 20,
        loadBefore,
        loadAfter);
    System.out.println(cpuPerMessage(samples, n));
    return 0.8 * n / (t90 - t10);
  }

  /**
   * CPU the whole process spent per message over the steady part (the scrapes nearest 10% and 90%
   * of n): a figure that other load on the machine moves far less than msg/s does. It includes the
   * in-process broker serving the reads.
   */
  static String cpuPerMessage(List<long[]> samples, long n) {
    long[] from = null;
    long[] to = null;
    for (long[] s : samples) {
      if (from == null && s[1] >= n / 10) {
        from = s;
      }
      if (to == null && s[1] >= n * 9 / 10) {
        to = s;
      }
    }
    if (from == null || to == null || to[1] <= from[1] || from[2] < 0) {
      return "THROUGHPUT CPU per message: not measured (too few scrapes in the steady part)";
    }
    double micros = (to[2] - from[2]) / 1e3 / (to[1] - from[1]);
    String machine = "";
    long total = to[5] - from[5];
    if (from[5] > 0 && total > 0) {
      // jiffies of all cores; the process's share from its CPU time, at the kernel's 100 Hz
      double processShare = (to[2] - from[2]) / 1e7 / total;
      machine =
          String.format(
              "; machine over the same span: busy %.0f%% (this process %.0f%%, the rest %.0f%%), "
                  + "steal %.1f%%",
              100.0 * (to[3] - from[3]) / total,
              100 * processShare,
              Math.max(0, 100.0 * (to[3] - from[3]) / total - 100 * processShare),
              100.0 * (to[4] - from[4]) / total);
    }
    return String.format(
        "THROUGHPUT CPU per message: %.1f µs over %,d messages (every thread of the process, the "
            + "in-process broker included), i.e. %,.0f msg/s per fully used core%s",
        micros, to[1] - from[1], 1e6 / micros, machine);
  }

  /**
   * The machine's CPU time from the first line of /proc/stat, in jiffies: {busy (user, nice,
   * system, irq, softirq), steal (time the hypervisor gave to another guest), total}; zeros where
   * there is no /proc. Steal and other processes explain a slow run that CPU per message does not.
   */
  static long[] machineJiffies() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long user = Long.parseLong(f[1]);
      long nice = Long.parseLong(f[2]);
      long system = Long.parseLong(f[3]);
      long idle = Long.parseLong(f[4]);
      long iowait = Long.parseLong(f[5]);
      long irq = Long.parseLong(f[6]);
      long softirq = Long.parseLong(f[7]);
      long steal = Long.parseLong(f[8]);
      long busy = user + nice + system + irq + softirq;
      return new long[] {busy, steal, busy + idle + iowait + steal};
    } catch (java.io.IOException | RuntimeException e) {
      return new long[] {0, 0, 0};
    }
  }

  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  /**
   * Cancels a job and waits until it has stopped: a cancel returns once Flink has accepted it,
   * while the job's tasks may still run, and the next phase would share the cores with them.
   */
  static void stopAndWait(PipelineResult r, String phase) throws java.io.IOException {
    long t0 = System.nanoTime();
    r.cancel();
    PipelineResult.State state;
    try {
      state = r.waitUntilFinish(org.joda.time.Duration.standardSeconds(120));
    } catch (RuntimeException e) { // the cluster may have forgotten a job that has ended
      state = PipelineResult.State.UNKNOWN;
    }
    System.out.printf(
        "%s job stopped in %.1f s (%s)%n", phase, (System.nanoTime() - t0) / 1e9, state);
  }

  /** Seconds at the latency run's rate before it is measured. */
  static final int WARM_UP_SECONDS = 20;

  /** Phase 2: produce at a fixed rate, latency from a probe reading to its alert. */
  static void latency(
      String bs, Path work, Path rules, int rate, int seconds, int devices, int parallelism)
      throws Exception {
    StreamingPipeline.Options l =
        options(bs, work.resolve("out-latency"), rules, parallelism, "lat-");
    l.setInputTopic("lat-in"); // the shipped watermark delay, lateness and checkpointing
    String url = reporter(l);
    PipelineResult lr = StreamingPipeline.run(l);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    List<long[]> slow = Collections.synchronizedList(new ArrayList<>()); // {event time, latency}
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
    Thread consumer =
        new Thread(() -> consumeAlerts(bs, "lat-alerts", latencies, slow, stop, measureFrom));
    consumer.start();
    String loadBefore;
    long sent;
    long heapAtEnd;
    try {
      // wait until the job consumes (warm-up readings, not measured), at most 120 s
      long w0 = System.nanoTime();
      try (KafkaProducer<byte[], byte[]> p = producer(bs)) {
        while (scrapeReceived(url) <= 0 && System.nanoTime() - w0 < 120e9) {
          long now = System.currentTimeMillis();
          p.send(
              new ProducerRecord<>(
                  "lat-in",
                  null,
                  now,
                  "warmup".getBytes(StandardCharsets.UTF_8),
                  reading("warmup", now, 20)));
          p.flush();
          Thread.sleep(500);
        }
      }
      System.out.printf("latency job consuming after %.1f s%n", (System.nanoTime() - w0) / 1e9);
      // the job's first seconds at full rate (its sinks' first files and sends, the operators'
      // first state) are a start-up, not what a running deployment sees: at the rate, unmeasured
      produceAtRate(bs, "lat-in", rate, WARM_UP_SECONDS, devices);
      maxHeap.set(0);
      loadBefore = loadavg();
      measureFrom.set(System.currentTimeMillis());
      sent = produceAtRate(bs, "lat-in", rate, seconds, devices);
      Thread.sleep(5_000);
      heapAtEnd = heapUsed();
      System.out.println(
          "LATENCY RUN "
              + amplification(url, seconds, l.getWindowMinutes(), l.getMaxOutOfOrderSeconds()));
    } finally {
      stop.set(true);
      consumer.join();
      stopAndWait(lr, "latency");
    }
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    long probes = (sent + 999) / 1000; // each probe reading raises or clears an alert
    if (sorted.size() < probes) {
      System.out.printf(
          "WARNING: %d of %d alerts out within 5 s after the last send: the job "
              + "did not keep up with %,d msg/s; the percentiles leave out the slowest%n",
          sorted.size(), probes, rate);
    }
    System.out.printf(
        "LATENCY produce->alert at %,d msg/s for %d s (%,d sent): %d alert events, "
            + "p50 %d ms, p95 %d ms, p99 %d ms, max %d ms; heap used max %,d MB, at end %,d MB; "
            + "load average before %s, after %s%n",
        rate,
        seconds,
        sent,
        sorted.size(),
        pct(sorted, 50),
        pct(sorted, 95),
        pct(sorted, 99),
        sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1),
        maxHeap.get() >> 20,
        heapAtEnd >> 20,
        loadBefore,
        loadavg());
    // where the tail comes from: a start-up, a pause (GC, checkpoint, a file flush) shows as one
    // stretch of slow alerts, a saturated job as all of them
    long[] worst = new long[(seconds + 9) / 10];
    for (long[] x : new ArrayList<>(slow)) {
      int bucket =
          (int) Math.min(worst.length - 1, Math.max(0, (x[0] - measureFrom.get()) / 10_000));
      worst[bucket] = Math.max(worst[bucket], x[1]);
    }
    StringBuilder at = new StringBuilder("LATENCY max per 10 s of the run, ms:");
    for (long w : worst) {
      at.append(' ').append(w);
    }
    System.out.println(at);
  }

  /** Configures the Beam-metrics reporter of the embedded cluster on a free port; its URL. */
  static String reporter(StreamingPipeline.Options o) {
    int port = FreePorts.pick();
    ObservabilityOptions obs = o.as(ObservabilityOptions.class);
    obs.setPrometheusHost("127.0.0.1");
    obs.setPrometheusPort(port);
    return "http://127.0.0.1:" + port + "/metrics";
  }

  /**
   * What the aggregation wrote for what came in: aggregate records (and late panes among them) per
   * reading received, from the job's own counters. A window is emitted only once the watermark (the
   * newest event time less {@code maxOutOfOrderSeconds}) passes its end, so a run shorter than
   * {@code windowMinutes} + {@code maxOutOfOrderSeconds} may close none: then there is no figure,
   * and the line says so instead of printing an amplification of 0.
   */
  static String amplification(
      String url, int runSeconds, int windowMinutes, int maxOutOfOrderSeconds) {
    return amplification(
        scrapeCounter(url, "iotbeam_messages_received_total"),
        scrapeCounter(url, "iotbeam_aggregates_emitted_total"),
        scrapeCounter(url, "iotbeam_aggregates_late_panes_total"),
        runSeconds,
        windowMinutes,
        maxOutOfOrderSeconds);
  }

  static String amplification(
      long received,
      long aggregates,
      long late,
      int runSeconds,
      int windowMinutes,
      int maxOutOfOrderSeconds) {
    if (aggregates < 0 || received < 0) {
      return "amplification not measured: the job's metrics could not be read";
    }
    if (aggregates == 0) {
      return String.format(
          java.util.Locale.ROOT,
          "the %d s run closed no window (%,d readings received, no aggregate emitted): "
              + "amplification not measured; a run of window + maxOutOfOrderSeconds = %d min + %d s "
              + "= %,d s closes at least one",
          runSeconds,
          received,
          windowMinutes,
          maxOutOfOrderSeconds,
          windowMinutes * 60L + maxOutOfOrderSeconds);
    }
    return String.format(
        java.util.Locale.ROOT,
        "aggregates %,d records (%,d late panes, %.2f%%) for %,d readings: amplification %.4f",
        aggregates,
        late,
        100.0 * late / aggregates,
        received,
        received <= 0 ? 0.0 : (double) aggregates / received);
  }

  static long scrapeCounter(String url, String name) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s+(\\S+)").matcher(r.body());
      return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** iotbeam_messages_received_total; 0 before the first message; -1 if not served (yet). */
  static long scrapeReceived(String url) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return -1;
      }
      Matcher m = RECEIVED.matcher(r.body());
      return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Seconds after submit at which {@code count} was reached, interpolated; NaN if never. */
  static double timeAt(List<long[]> samples, long count) {
    long[] prev = {0, 0};
    for (long[] s : samples) {
      if (s[1] >= count) {
        double frac = s[1] == prev[1] ? 1 : (double) (count - prev[1]) / (s[1] - prev[1]);
        return (prev[0] + frac * (s[0] - prev[0])) / 1e9;
      }
      if (s[1] > 0 || prev[1] == 0) {
        prev = s;
      }
    }
    return Double.NaN;
  }

  /** The 1-, 5- and 15-minute load averages. */
  public static String loadavg() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "n/a";
    }
  }

  static long heapUsed() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  static StreamingPipeline.Options options(
      String bs, Path out, Path rules, int parallelism, String topicPrefix)
      throws java.io.IOException {
    // FLAGS (-Dflags): any other StreamingPipeline flag, e.g. to measure a setting's effect
    String[] flags = System.getProperty("flags", "").trim().split("\\s+");
    StreamingPipeline.Options o =
        PipelineOptionsFactory.fromArgs(flags[0].isEmpty() ? new String[0] : flags)
            .withValidation()
            .as(StreamingPipeline.Options.class);
    o.setRunner(FlinkRunner.class);
    FlinkPipelineOptions f = o.as(FlinkPipelineOptions.class);
    f.setFlinkMaster("[local]");
    f.setParallelism(parallelism);
    f.setAttachedMode(false); // started asynchronously; cancelled when measured
    f.setShutdownSourcesAfterIdleMs(Long.MAX_VALUE);
    // everything else as shipped: checkpoints (30 s, to files on Flink embedded), object reuse,
    // watermark delay, lateness, file flushing
    o.setStreaming(true);
    o.setBootstrapServers(bs);
    o.setConsumerGroup("bench-" + System.nanoTime());
    o.setOutputBase(out.toString());
    o.setRulesFile(rules.toString());
    o.setAggregatesTopic(topicPrefix + "aggregates");
    o.setAlertsTopic(topicPrefix + "alerts");
    o.setDeadLetterTopic(topicPrefix + "dead-letters");
    return o;
  }

  static byte[] reading(String device, long ts, double temp) {
    return Telemetry.newBuilder()
        .setDeviceId(device)
        .setTimestampMs(ts)
        .setTemperature(temp)
        .setHumidity(40 + (ts % 20))
        .setSchemaVersion(1)
        .build()
        .toByteArray();
  }

  static KafkaProducer<byte[], byte[]> producer(String bs) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bs);
    p.put("acks", "1");
    p.put("linger.ms", "5");
    p.put("batch.size", "262144");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The prefill's readings, produced to {@code topic}. */
  static void prefill(String bs, String topic, Prefill prefill) {
    try (KafkaProducer<byte[], byte[]> p = producer(bs)) {
      for (long i = 0; i < prefill.n(); i++) {
        p.send(
            new ProducerRecord<>(
                topic, prefill.device(i).getBytes(StandardCharsets.UTF_8), prefill.payload(i)));
      }
      p.flush();
    }
  }

  /** {@code rate} msg/s for {@code seconds}; 10 probe devices alternate hot and cold. */
  static long produceAtRate(String bs, String topic, int rate, int seconds, int devices)
      throws InterruptedException {
    long sent = 0;
    long t0 = System.nanoTime();
    long total = (long) rate * seconds;
    try (KafkaProducer<byte[], byte[]> p = producer(bs)) {
      while (sent < total) {
        long due = (long) ((System.nanoTime() - t0) / 1e9 * rate);
        if (sent >= due) {
          Thread.sleep(1);
          continue;
        }
        long now = System.currentTimeMillis();
        String dev;
        double temp;
        if (sent % 1000 == 0) { // 10 probes a second at 10k/s
          long probe = sent / 1000;
          dev = "probe-" + (probe % 10);
          temp = (probe / 10) % 2 == 0 ? 50 : 20;
        } else {
          dev = "bench-" + (sent % devices);
          temp = 20 + (sent % 10);
        }
        p.send(
            new ProducerRecord<>(
                topic, null, now, dev.getBytes(StandardCharsets.UTF_8), reading(dev, now, temp)));
        sent++;
      }
      p.flush();
    }
    return sent;
  }

  static void consumeAlerts(
      String bs,
      String topic,
      List<Long> latencies,
      List<long[]> byEventTime,
      AtomicBoolean stop,
      AtomicLong measureFrom) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bs);
    p.put("group.id", "bench-latency");
    p.put("auto.offset.reset", "earliest");
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      while (!stop.get()) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
          long received = System.currentTimeMillis();
          String v = r.value();
          int i = v.indexOf("\"eventTimeMs\":\"");
          if (i >= 0) {
            long ev = Long.parseLong(v.substring(i + 15, v.indexOf('"', i + 15)));
            if (ev >= measureFrom.get()) { // not the warm-up readings
              latencies.add(received - ev);
              byEventTime.add(new long[] {ev, received - ev});
            }
          }
        }
      }
    }
  }

  static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
