package org.iotbeam.simulator;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.iotbeam.cli.Flags;
import org.iotbeam.cli.KafkaProducerFlags;
import org.iotbeam.eventhubs.EventHubsKafka;
import org.iotbeam.simulator.SimulateOptions.TransportKind;

/**
 * The device simulator's command line ({@link SimulateOptions}). {@code main} exits with the code
 * of {@link #execute}; tests and launchers call {@link #execute(PrintStream, PrintStream,
 * String...)} or, better, {@link Simulator#run(SimulatorConfig, Transport)}.
 *
 * <pre>
 * java -cp ... org.iotbeam.simulator.DeviceSimulator --transport=kafka \
 *     --bootstrapServers=127.0.0.1:9092 --topic=telemetry --devices=1000 --rate=1000 \
 *     --duration=60s --seed=7
 * </pre>
 */
public final class DeviceSimulator {
  static final String COMMAND = "iotbeam simulate";
  static final String ABOUT =
      "Simulates IoT devices sending protobuf telemetry over MQTT "
          + "(IoT Hub style), Kafka (Event Hubs style) or into raw archive files.";

  private final SimulateOptions o;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private SimulatorSummary lastSummary;

  private DeviceSimulator(
      SimulateOptions o, Map<String, String> env, PrintStream out, PrintStream err) {
    this.o = o;
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(execute(System.out, System.err, args));
  }

  /** Runs the command line; returns the exit code (2 for bad flags, every problem listed). */
  public static int execute(PrintStream out, PrintStream err, String... args) {
    return execute(System.getenv(), out, err, args);
  }

  static int execute(Map<String, String> env, PrintStream out, PrintStream err, String... args) {
    return Flags.run(
        COMMAND,
        ABOUT,
        SimulateOptions.class,
        (o, problems) -> config(o, env, problems),
        args,
        out,
        err,
        o -> new DeviceSimulator(o, env, out, err).call());
  }

  /** The summary of the last run of this instance (null before). */
  public SimulatorSummary lastSummary() {
    return lastSummary;
  }

  /** Turns the flags into a config; adds every problem, in words saying what to fix. */
  static SimulatorConfig config(SimulateOptions o, Map<String, String> env, List<String> problems) {
    SimulatorConfig c =
        new SimulatorConfig()
            .devices(o.getDevices())
            .rate(o.getRate())
            .unthrottled(o.isUnthrottled())
            .batchSize(o.getBatchSize())
            .seed(o.getSeed())
            .malformedRatio(o.getMalformedRatio())
            .anomalyRate(o.getAnomalyRate())
            .deviceIdPrefix(o.getDevicePrefix());
    Duration progress =
        parseDuration("--progressInterval", o.getProgressInterval(), true, problems);
    if (progress != null) {
      c.progressInterval(progress);
    }
    if (o.getCount() != null) {
      c.count(o.getCount());
    }
    if (o.getDuration() != null) {
      Duration d = parseDuration("--duration", o.getDuration(), false, problems);
      // a bad --duration still says when to stop: do not also ask for --count or --duration
      c.duration(d != null ? d : Duration.ofSeconds(1));
    }
    if (o.getInterval() != null) {
      Duration d = parseDuration("--interval", o.getInterval(), false, problems);
      if (d != null) {
        c.interval(d);
      }
    }
    if (o.getStartTime() != null) {
      try {
        c.startTime(Instant.parse(o.getStartTime()));
      } catch (DateTimeParseException e) {
        problems.add(
            "--startTime '"
                + o.getStartTime()
                + "' is not an ISO-8601 UTC instant like 2026-01-01T00:00:00Z");
      }
    }
    String versionMix = o.getVersionMix();
    String[] mix = versionMix.split(",");
    if (mix.length != 3) {
      problems.add(
          "--versionMix '" + versionMix + "' needs three fractions v1,v2,v3, e.g. 0.2,0.3,0.5");
    } else {
      try {
        c.versionMix(
            Double.parseDouble(mix[0].trim()),
            Double.parseDouble(mix[1].trim()),
            Double.parseDouble(mix[2].trim()));
      } catch (NumberFormatException e) {
        problems.add("--versionMix '" + versionMix + "' must be numbers, e.g. 0.2,0.3,0.5");
      }
    }
    if (o.getSite() != null && !o.getSite().isEmpty()) {
      List<Site> parsed = new ArrayList<>();
      for (String s : o.getSite()) {
        try {
          parsed.add(Site.parse(s));
        } catch (IllegalArgumentException e) {
          problems.add(e.getMessage());
        }
      }
      if (!parsed.isEmpty()) {
        c.sites(parsed);
      }
    }
    problems.addAll(c.problems());
    TransportKind transport = o.getTransport();
    if (transport == TransportKind.file && o.getOutputDir() == null) {
      problems.add("--transport=file needs --outputDir=DIR");
    }
    if (transport != TransportKind.file && o.getOutputDir() != null) {
      problems.add("--outputDir is only for --transport=file");
    }
    if (o.getGzipLevel() < 0 || o.getGzipLevel() > 9) {
      problems.add("--gzipLevel must be 0..9, got " + o.getGzipLevel());
    }
    if (o.getFileMaxRecords() < 1) {
      problems.add("--fileMaxRecords must be >= 1, got " + o.getFileMaxRecords());
    }
    if (transport == TransportKind.mqtt
        && !o.getMqttUrl().matches("^(tcp|ssl|ws|wss)://.+:\\d+$")) {
      problems.add(
          "--mqttUrl '" + o.getMqttUrl() + "' must look like tcp://host:port or ssl://host:port");
    }
    if (transport == TransportKind.mqtt
        && o.getIothubHost() != null
        && blank(env.get("IOTHUB_DEVICE_KEY"))
        && blank(env.get("IOTHUB_GROUP_KEY"))) {
      problems.add(
          "--iothubHost needs the device key in the environment: set "
              + "IOTHUB_DEVICE_KEY (one device key) or IOTHUB_GROUP_KEY (DPS enrollment group key)");
    }
    if (transport == TransportKind.kafka && o.isEventhubs()) {
      try {
        EventHubsKafka.requireConnectionString(env::get, "--eventhubs");
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    KafkaProducerFlags.extraProducerProperties(o, problems);
    return c;
  }

  /** --kafkaProperty key=value pairs, in order. */
  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** 500ms, 90s, 5m, 1h, 2d, or ISO-8601 (PT1M); null and a problem added when it is not. */
  static Duration parseDuration(String flag, String text, boolean zeroOk, List<String> problems) {
    String t = text.trim().toLowerCase();
    Duration d;
    try {
      if (t.startsWith("pt") || t.startsWith("p")) {
        d = Duration.parse(text.trim().toUpperCase());
      } else if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d =
            Duration.ofMillis(
                Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      } else if (t.endsWith("m")) {
        d = Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60));
      } else if (t.endsWith("h")) {
        d =
            Duration.ofSeconds(
                Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 3600));
      } else if (t.endsWith("d")) {
        d = Duration.ofHours(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 24));
      } else if (t.equals("0")) {
        d = Duration.ZERO;
      } else {
        throw new NumberFormatException("no unit");
      }
    } catch (RuntimeException e) {
      problems.add(flag + " '" + text + "' is not a duration: use e.g. 500ms, 90s, 5m, 1h or PT1M");
      return null;
    }
    if (d.isNegative() || (!zeroOk && d.isZero())) {
      problems.add(flag + " must be > 0, got '" + text + "'");
      return null;
    }
    return d;
  }

  Transport openTransport(SimulatorConfig c) throws Exception {
    switch (o.getTransport()) {
      case file:
        return new FileTransport(
            Path.of(o.getOutputDir()),
            "sim-" + o.getSeed(),
            o.getGzipLevel(),
            o.getFileMaxRecords());
      case kafka:
        {
          // the connection string of --eventhubs was checked in config()
          KafkaProducerFlags.Producer p = KafkaProducerFlags.producer(o, o.getTopic(), env::get);
          return new KafkaTransport(
              p.bootstrapServers == null ? KafkaProducerFlags.LOCAL_KAFKA : p.bootstrapServers,
              p.topic == null ? "telemetry" : p.topic,
              p.properties);
        }
      case mqtt:
        {
          if (o.getIothubHost() != null) {
            String deviceKey = env.get("IOTHUB_DEVICE_KEY");
            String groupKey = env.get("IOTHUB_GROUP_KEY");
            Function<String, String> keys =
                blank(deviceKey) ? id -> SasToken.deriveDeviceKey(groupKey, id) : id -> deviceKey;
            return MqttTransport.iotHub(o.getIothubHost(), keys);
          }
          return MqttTransport.local(o.getMqttUrl(), o.getMqttClientId());
        }
      default:
        throw new AssertionError(o.getTransport());
    }
  }

  int call() throws Exception {
    List<String> problems = new ArrayList<>();
    SimulatorConfig c = config(o, env, problems);
    if (!problems.isEmpty()) { // checked before: cannot happen
      throw new Flags.BadFlags(problems);
    }
    if (o.isDryRun()) {
      out.println(
          "flags are good: --transport="
              + o.getTransport()
              + ", "
              + o.getDevices()
              + " devices, "
              + (o.isUnthrottled() ? "unthrottled" : o.getRate() + " msg/s"));
      return 0;
    }
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    Simulator sim;
    Thread hook;
    try (Transport t = openTransport(c)) {
      sim = new Simulator(c, t, err);
      // Ctrl-C / SIGTERM: stop after the current batch, flush, print the summary, then exit
      hook =
          new Thread(
              () -> {
                sim.stop();
                try {
                  done.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "simulator-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        lastSummary = sim.run();
      } catch (Exception e) {
        done.countDown();
        throw e;
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // the JVM is shutting down: the hook waits for `done`
    }
    out.print(lastSummary);
    out.flush();
    done.countDown();
    return lastSummary.failed() == 0 ? 0 : 1;
  }
}
