package org.iotbeam.pipelines.bench;

import com.google.protobuf.ByteString;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import org.iotbeam.domain.BundledConfig;
import org.iotbeam.domain.alerting.AlertEvaluator;
import org.iotbeam.domain.alerting.DeviceAlertState;
import org.iotbeam.domain.dedup.RecentReadings;
import org.iotbeam.domain.registry.DeviceRegistry;
import org.iotbeam.domain.stats.DeviceSample;
import org.iotbeam.domain.stats.DeviceWindows;
import org.iotbeam.domain.stats.TumblingWindows;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.SourcePosition;
import org.iotbeam.proto.Telemetry;
import org.iotbeam.simulator.MessageGenerator;
import org.iotbeam.simulator.SimulatedMessage;
import org.iotbeam.simulator.SimulatorConfig;
import org.iotbeam.transforms.ContentHash;
import org.iotbeam.transforms.EnrichReadings;
import org.iotbeam.transforms.ProcessingConfig;
import org.iotbeam.transforms.TelemetryParser;

/**
 * The pipeline's domain work in a plain single-threaded loop, no Beam: what one core does when
 * nothing but the project's own classes run. The benchmarks print it next to the pipeline's figure,
 * over the same messages, so that "the pipeline reaches X msg/s" comes with "and the work itself
 * costs Y".
 *
 * <p>Stages, cumulative: parse + validate ({@link TelemetryParser}); enrich, content hash and
 * de-duplicate ({@link EnrichReadings#enrich}, {@link RecentReadings} per device); 5-minute
 * statistics ({@link RunningStats} per device and metric); alert evaluation ({@link
 * AlertEvaluator}, {@link DeviceAlertState} per device). The messages go through once per
 * cumulative stage count, each reading through its stages before the next reading, as the
 * pipeline's chained steps see them. Messages are taken in chunks of {@value #CHUNK} and only their
 * processing is timed, so reading or generating them is not counted: by the thread's CPU time (on a
 * shared machine, not the time other work ran instead; nor the garbage collector's threads) and by
 * the wall clock (everything, when the machine is quiet).
 *
 * <p>Standalone: {@code -Dn=1000000 -Ddevices=1000,100000 [-Drepeat=1]} generates v3 messages with
 * the simulator (1% malformed, its default anomalies) and prints one report per device count.
 */
public final class DomainBaseline {
  static final int CHUNK = 1024;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  static final String[] STAGES = {
    "parse + validate",
    "+ enrich, content hash, de-duplicate",
    "+ 5-minute statistics",
    "+ alert evaluation (the whole domain work)"
  };

  private final TelemetryParser parser;
  private final DeviceRegistry registry;
  private final AlertEvaluator evaluator;
  private final long horizonMs;
  private final TumblingWindows shape;
  private final int stages;
  private final Map<String, Device> devices = new HashMap<>();
  private long messages;
  private long cpuNanos;
  private long wallNanos;
  private long valid;
  private long duplicates;
  private long windows;
  private long alerts;

  /** What the loop keeps per device: one look-up per reading finds all of it. */
  private static final class Device {
    final RecentReadings recent = new RecentReadings();
    final DeviceWindows windows = new DeviceWindows();
    long newestWindowStartMs = Long.MIN_VALUE;
    final DeviceAlertState alerts = new DeviceAlertState();
  }

  /** A loop that runs the first {@code stages} stages (1..4) of the domain work. */
  DomainBaseline(ProcessingConfig config, int stages) {
    this.parser = new TelemetryParser(config.limits());
    this.registry = config.registry();
    this.evaluator = new AlertEvaluator(config.rules());
    this.horizonMs = config.dedupHorizon().getMillis();
    this.shape = config.windows();
    this.stages = stages;
  }

  /** What a run measured: messages per CPU second through each stage and all before it. */
  public record Result(
      long messages,
      double[] cumulative,
      double[] cumulativeWall,
      long valid,
      long duplicates,
      long windows,
      long alerts,
      int devices,
      long stateBytes) {
    /** Messages per second of the whole domain work. */
    public double throughput() {
      return cumulative[cumulative.length - 1];
    }

    public String report(String what) {
      StringBuilder b =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "BASELINE plain Java, one thread, no Beam (%s): %,d messages%n",
                  what,
                  messages));
      for (int s = 0; s < STAGES.length; s++) {
        b.append(
            String.format(
                Locale.ROOT,
                "  %-44s %,11.0f msg/s CPU  %,11.0f msg/s wall%n",
                STAGES[s],
                cumulative[s],
                cumulativeWall[s]));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "  valid %,d, duplicates %,d, windows closed %,d, "
                  + "alert events %,d; %,d devices, state retained %,d MB (%,d bytes per device); "
                  + "load average %s%n",
              valid,
              duplicates,
              windows,
              alerts,
              devices,
              stateBytes >> 20,
              devices == 0 ? 0 : stateBytes / devices,
              StreamingBenchmark.loadavg()));
      return b.toString();
    }
  }

  /**
   * Warms the JIT over the first {@code warmup} messages, then runs the messages once per
   * cumulative stage count, each time with fresh state; {@code repeat} times each, keeping the
   * fastest (on a shared machine, the run least disturbed by other work).
   */
  public static Result measure(
      ProcessingConfig config, Supplier<Iterator<InboundMessage>> source, long warmup, int repeat) {
    if (warmup > 0) {
      new DomainBaseline(config, STAGES.length).run(limit(source.get(), warmup));
    }
    double[] throughput = new double[STAGES.length];
    double[] wall = new double[STAGES.length];
    DomainBaseline all = null;
    long state = 0;
    for (int s = 1; s <= STAGES.length; s++) {
      for (int r = 0; r < repeat; r++) {
        boolean last = s == STAGES.length && r == repeat - 1;
        long before = last ? settledHeap() : 0;
        DomainBaseline b = new DomainBaseline(config, s);
        b.run(source.get());
        throughput[s - 1] = Math.max(throughput[s - 1], b.messages / (b.cpuNanos / 1e9));
        wall[s - 1] = Math.max(wall[s - 1], b.messages / (b.wallNanos / 1e9));
        if (last) {
          state = Math.max(0, settledHeap() - before);
          all = b;
        }
      }
    }
    return new Result(
        all.messages,
        throughput,
        wall,
        all.valid,
        all.duplicates,
        all.windows,
        all.alerts,
        all.devices.size(),
        state);
  }

  /** Runs every message through the stages; only the processing of each chunk is timed. */
  void run(Iterator<InboundMessage> source) {
    InboundMessage[] chunk = new InboundMessage[CHUNK];
    while (source.hasNext()) {
      int n = 0;
      while (n < CHUNK && source.hasNext()) {
        chunk[n++] = source.next();
      }
      long c0 = THREADS.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        process(chunk[i]);
      }
      wallNanos += System.nanoTime() - w0;
      cpuNanos += THREADS.getCurrentThreadCpuTime() - c0;
      messages += n;
    }
  }

  private void process(InboundMessage in) {
    TelemetryParser.Parsed p = parser.parse(in);
    if (!p.valid()) {
      return;
    }
    valid++;
    if (stages < 2) {
      return;
    }
    Reading r = EnrichReadings.enrich(registry, p.reading());
    Telemetry t = r.getTelemetry();
    long ts = t.getTimestampMs();
    Device d = devices.computeIfAbsent(t.getDeviceId(), k -> new Device());
    // no watermark here: forget what is a horizon older than the device's newest reading
    d.recent.forgetUpTo(ts - horizonMs);
    String hash = r.getContentHash();
    ContentHash.Bits bits = ContentHash.parse(hash);
    if (bits != null && !d.recent.add(bits.low(), ts)) {
      duplicates++;
      return;
    }
    if (stages < 3) {
      return;
    }
    // no watermark here either: a device's window closes when its next one starts, as the
    // pipeline's step does when the watermark passes (DeviceWindows, the pipeline's own class)
    long start = shape.startOf(ts);
    if (start > d.newestWindowStartMs) {
      d.windows.advanceTo(start - 1, shape, w -> windows++);
      d.newestWindowStartMs = start;
    }
    d.windows.add(
        DeviceSample.of(t, r.getDevice().getDeviceType(), r.getDevice().getSite()), shape);
    if (stages < 4) {
      return;
    }
    alerts += evaluator.onReading(d.alerts, r).alerts().size();
  }

  /** The first {@code n} messages of {@code it}. */
  public static Iterator<InboundMessage> limit(Iterator<InboundMessage> it, long n) {
    return new Iterator<>() {
      long left = n;

      @Override
      public boolean hasNext() {
        return left > 0 && it.hasNext();
      }

      @Override
      public InboundMessage next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        left--;
        return it.next();
      }
    };
  }

  /**
   * Stops (and so writes out) the JVM's flight recordings: a benchmark's profile summary is of its
   * pipeline, and the baseline runs after it in the same JVM.
   */
  public static void stopRecordings() {
    if (FlightRecorder.isAvailable() && FlightRecorder.isInitialized()) {
      for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
        if (r.getState() == RecordingState.RUNNING) {
          r.stop();
        }
      }
    }
  }

  /** Heap in use once the garbage is collected. */
  static long settledHeap() {
    MemoryMXBean m = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return m.getHeapMemoryUsage().getUsed();
  }

  /**
   * {@code n} simulator messages from {@code devices} v3 devices, as the file transport frames
   * them.
   */
  static Supplier<Iterator<InboundMessage>> simulated(long n, int devices) {
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    return () -> {
      SimulatorConfig c =
          new SimulatorConfig()
              .devices(devices)
              .seed(42)
              .versionMix(0, 0, 1)
              .interval(Duration.ofSeconds(10))
              .startTime(start)
              .unthrottled(true)
              .count(n)
              .validate();
      MessageGenerator g = new MessageGenerator(c, start.toEpochMilli());
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return g.generated() < n;
        }

        @Override
        public InboundMessage next() {
          SimulatedMessage m = g.next();
          return InboundMessage.newBuilder()
              .setPayload(ByteString.copyFrom(m.payload()))
              .setIngestTimeMs(m.eventTimeMs() + m.ingestDelayMs())
              .setSource(
                  SourcePosition.newBuilder()
                      .setSystem("file")
                      .setTopic("baseline")
                      .setOffset(m.index()))
              .setTraceparent(m.traceparent())
              .setKey(m.deviceId())
              .build();
        }
      };
    };
  }

  /** Every message of a raw archive, file after file, as the backfill reads them. */
  public static Supplier<Iterator<InboundMessage>> archive(Path base) {
    return () -> {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(base)) {
        files = walk.filter(f -> f.toString().endsWith(RawArchiveFormat.SUFFIX)).sorted().toList();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Iterator<Path> next = files.iterator();
      return new Iterator<>() {
        InputStream open;
        Iterator<InboundMessage> current = Collections.emptyIterator();

        @Override
        public boolean hasNext() {
          while (!current.hasNext() && next.hasNext()) {
            try {
              if (open != null) {
                open.close();
              }
              open =
                  new GZIPInputStream(
                      new BufferedInputStream(Files.newInputStream(next.next()), 1 << 16));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            current = RawArchiveFormat.read(open);
          }
          return current.hasNext();
        }

        @Override
        public InboundMessage next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return current.next();
        }
      };
    };
  }

  public static void main(String[] args) throws Exception {
    long n = Long.getLong("n", 1_000_000L);
    ProcessingConfig config =
        ProcessingConfig.defaults()
            .withRules(BundledConfig.rules())
            .withRegistry(BundledConfig.registry());
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, max heap %,d MB, load average %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        StreamingBenchmark.loadavg());
    for (String d : System.getProperty("devices", "1000,100000").split(",")) {
      int devices = Integer.parseInt(d.trim());
      Result r =
          measure(
              config, simulated(n, devices), Math.min(n, 300_000), Integer.getInteger("repeat", 1));
      System.out.print(
          r.report(
              String.format(
                  Locale.ROOT,
                  "simulator v3 messages from %,d devices, bundled rules and registry",
                  devices)));
    }
  }
}
