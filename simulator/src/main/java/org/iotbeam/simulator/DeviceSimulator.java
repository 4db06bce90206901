package org.iotbeam.simulator;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.iotbeam.eventhubs.EventHubsKafka;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The device simulator's command line. {@code main} exits with the code of {@link #run}; tests
 * and launchers call {@link #execute(PrintStream, PrintStream, String...)} or, better,
 * {@link Simulator#run(SimulatorConfig, Transport)}.
 *
 * <pre>
 * java -cp ... org.iotbeam.simulator.DeviceSimulator --transport kafka \
 *     --bootstrap-servers 127.0.0.1:9092 --topic telemetry --devices 1000 --rate 1000 \
 *     --duration 60s --seed 7
 * </pre>
 */
@Command(name = "iotbeam simulate", mixinStandardHelpOptions = true,
    description = "Simulates IoT devices sending protobuf telemetry over MQTT (IoT Hub style), "
        + "Kafka (Event Hubs style) or into raw archive files.",
    sortOptions = false)
public final class DeviceSimulator implements Callable<Integer> {
  enum TransportKind { mqtt, kafka, file }

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--transport", required = true,
      description = "mqtt, kafka or file (valid: ${COMPLETION-CANDIDATES})")
  TransportKind transport;

  @Option(names = "--devices", defaultValue = "1000", description = "number of devices (${DEFAULT-VALUE})")
  int devices;

  @Option(names = "--rate", defaultValue = "1000",
      description = "messages per second over all devices (${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--unthrottled", description = "no rate limit: as fast as the transport takes")
  boolean unthrottled;

  @Option(names = "--batch-size", defaultValue = "50",
      description = "messages per batch (${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--dry-run", description = "check the flags, print the configuration and exit "
      + "without connecting (exit 0: the flags are good, 2: they are not)")
  boolean dryRun;

  @Option(names = "--count", description = "stop after this many messages")
  Long count;

  @Option(names = "--duration", description = "stop after this long: 90s, 5m, 1h or ISO PT1M")
  String duration;

  @Option(names = "--seed", defaultValue = "42", description = "random seed (${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--start-time",
      description = "event time of the first reading, ISO-8601 UTC (2026-01-01T00:00:00Z); "
          + "default now")
  String startTime;

  @Option(names = "--interval",
      description = "event-time spacing of one device's readings (default devices/rate s)")
  String interval;

  @Option(names = "--version-mix", defaultValue = "0.2,0.3,0.5",
      description = "fractions of devices on schema v1,v2,v3 (${DEFAULT-VALUE})")
  String versionMix;

  @Option(names = "--malformed-ratio", defaultValue = "0.01",
      description = "fraction of malformed messages, 0..1 (${DEFAULT-VALUE})")
  double malformedRatio;

  @Option(names = "--anomaly-rate", defaultValue = "0.001",
      description = "chance per reading that an anomaly starts, 0..1 (${DEFAULT-VALUE})")
  double anomalyRate;

  @Option(names = "--site", description = "name:lat:lon[:altitudeM[:meanTempC]], repeatable "
      + "(default: amsterdam, seattle, singapore, sao-paulo, denver)")
  List<String> sites = new ArrayList<>();

  @Option(names = "--device-prefix", defaultValue = "dev-",
      description = "device id prefix (${DEFAULT-VALUE}): ids are prefix + 6 digits")
  String devicePrefix;

  @Option(names = "--progress-interval", defaultValue = "5s",
      description = "progress on stderr this often; 0 = never (${DEFAULT-VALUE})")
  String progressInterval;

  // --- mqtt ---
  @Option(names = "--mqtt-url", defaultValue = "tcp://127.0.0.1:1883",
      description = "MQTT broker (${DEFAULT-VALUE})")
  String mqttUrl;

  @Option(names = "--mqtt-client-id", defaultValue = "iotbeam-simulator",
      description = "client id of the shared connection (${DEFAULT-VALUE})")
  String mqttClientId;

  @Option(names = "--iothub-host",
      description = "Azure IoT Hub host, e.g. myhub.azure-devices.net: TLS on 8883, one "
          + "connection per device, SAS from env IOTHUB_DEVICE_KEY or IOTHUB_GROUP_KEY")
  String iotHubHost;

  // --- kafka ---
  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers "
      + "(default 127.0.0.1:9092, or the Event Hubs namespace with --eventhubs)")
  String bootstrapServers;

  @Option(names = "--topic", description = "Kafka topic / event hub (default telemetry)")
  String topic;

  @Option(names = "--eventhubs", description = "Event Hubs Kafka endpoint: SASL_SSL + PLAIN, "
      + "connection string from env EVENTHUBS_CONNECTION_STRING")
  boolean eventHubs;

  @Option(names = "--kafka-property", description = "extra producer property key=value, repeatable")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  // --- file ---
  @Option(names = "--output-dir", description = "archive directory for --transport file")
  Path outputDir;

  @Option(names = "--gzip-level", defaultValue = "1", description = "0..9 (${DEFAULT-VALUE})")
  int gzipLevel;

  @Option(names = "--file-max-records", defaultValue = "1000000",
      description = "roll a file after this many records (${DEFAULT-VALUE})")
  long fileMaxRecords;

  private Map<String, String> env = System.getenv();
  private PrintStream out = System.out;
  private PrintStream err = System.err;
  private SimulatorSummary lastSummary;

  public static void main(String[] args) {
    System.exit(execute(System.out, System.err, args));
  }

  /** Runs the command line; returns the exit code (2 for bad flags). */
  public static int execute(PrintStream out, PrintStream err, String... args) {
    return execute(System.getenv(), out, err, args);
  }

  static int execute(Map<String, String> env, PrintStream out, PrintStream err, String... args) {
    DeviceSimulator app = new DeviceSimulator();
    app.env = env;
    app.out = out;
    app.err = err;
    CommandLine cl = new CommandLine(app);
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    return cl.execute(args);
  }

  /** The summary of the last run of this instance (null before). */
  public SimulatorSummary lastSummary() {
    return lastSummary;
  }

  /** Turns the flags into a validated config; throws ParameterException saying what to fix. */
  SimulatorConfig toConfig() {
    SimulatorConfig c = new SimulatorConfig()
        .devices(devices).rate(rate).unthrottled(unthrottled).batchSize(batchSize)
        .seed(seed).malformedRatio(malformedRatio).anomalyRate(anomalyRate)
        .deviceIdPrefix(devicePrefix)
        .progressInterval(parseDuration("--progress-interval", progressInterval, true));
    if (count != null) {
      c.count(count);
    }
    if (duration != null) {
      c.duration(parseDuration("--duration", duration, false));
    }
    if (interval != null) {
      c.interval(parseDuration("--interval", interval, false));
    }
    if (startTime != null) {
      try {
        c.startTime(Instant.parse(startTime));
      } catch (DateTimeParseException e) {
        throw bad("--start-time '" + startTime
            + "' is not an ISO-8601 UTC instant like 2026-01-01T00:00:00Z");
      }
    }
    String[] mix = versionMix.split(",");
    if (mix.length != 3) {
      throw bad("--version-mix '" + versionMix + "' needs three fractions v1,v2,v3, e.g. 0.2,0.3,0.5");
    }
    try {
      c.versionMix(Double.parseDouble(mix[0].trim()), Double.parseDouble(mix[1].trim()),
          Double.parseDouble(mix[2].trim()));
    } catch (NumberFormatException e) {
      throw bad("--version-mix '" + versionMix + "' must be numbers, e.g. 0.2,0.3,0.5");
    }
    if (!sites.isEmpty()) {
      List<Site> parsed = new ArrayList<>();
      for (String s : sites) {
        try {
          parsed.add(Site.parse(s));
        } catch (IllegalArgumentException e) {
          throw bad(e.getMessage());
        }
      }
      c.sites(parsed);
    }
    try {
      c.validate();
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    if (transport == TransportKind.file && outputDir == null) {
      throw bad("--transport file needs --output-dir DIR");
    }
    if (transport != TransportKind.file && outputDir != null) {
      throw bad("--output-dir is only for --transport file");
    }
    if (gzipLevel < 0 || gzipLevel > 9) {
      throw bad("--gzip-level must be 0..9, got " + gzipLevel);
    }
    if (fileMaxRecords < 1) {
      throw bad("--file-max-records must be >= 1, got " + fileMaxRecords);
    }
    if (transport == TransportKind.mqtt && !mqttUrl.matches("^(tcp|ssl|ws|wss)://.+:\\d+$")) {
      throw bad("--mqtt-url '" + mqttUrl + "' must look like tcp://host:port or ssl://host:port");
    }
    if (transport == TransportKind.mqtt && iotHubHost != null
        && blank(env.get("IOTHUB_DEVICE_KEY")) && blank(env.get("IOTHUB_GROUP_KEY"))) {
      throw bad("--iothub-host needs the device key in the environment: set IOTHUB_DEVICE_KEY "
          + "(one device key) or IOTHUB_GROUP_KEY (DPS enrollment group key)");
    }
    if (transport == TransportKind.kafka && eventHubs) {
      try {
        EventHubsKafka.requireConnectionString(env::get, "--eventhubs");
      } catch (IllegalArgumentException e) {
        throw bad(e.getMessage());
      }
    }
    return c;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** 500ms, 90s, 5m, 1h, 2d, or ISO-8601 (PT1M). */
  Duration parseDuration(String flag, String text, boolean zeroOk) {
    String t = text.trim().toLowerCase();
    Duration d;
    try {
      if (t.startsWith("pt") || t.startsWith("p")) {
        d = Duration.parse(text.trim().toUpperCase());
      } else if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      } else if (t.endsWith("m")) {
        d = Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60));
      } else if (t.endsWith("h")) {
        d = Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 3600));
      } else if (t.endsWith("d")) {
        d = Duration.ofHours(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 24));
      } else if (t.equals("0")) {
        d = Duration.ZERO;
      } else {
        throw new NumberFormatException("no unit");
      }
    } catch (RuntimeException e) {
      throw bad(flag + " '" + text + "' is not a duration: use e.g. 500ms, 90s, 5m, 1h or PT1M");
    }
    if (d.isNegative() || (!zeroOk && d.isZero())) {
      throw bad(flag + " must be > 0, got '" + text + "'");
    }
    return d;
  }

  Transport openTransport(SimulatorConfig c) throws Exception {
    switch (transport) {
      case file:
        return new FileTransport(outputDir, "sim-" + seed, gzipLevel, fileMaxRecords);
      case kafka: {
        Map<String, Object> props = new LinkedHashMap<>();
        String servers = bootstrapServers;
        String t = topic;
        if (eventHubs) {
          String cs = env.get(EventHubsKafka.CONNECTION_STRING_ENV); // checked in config()
          props.putAll(EventHubsKafka.connectionString(cs));
          if (servers == null) {
            servers = EventHubsKafka.bootstrapServers(cs);
          }
          if (t == null) {
            t = EventHubsKafka.entityPath(cs);
          }
        }
        props.putAll(kafkaProperties);
        return new KafkaTransport(servers == null ? "127.0.0.1:9092" : servers,
            t == null ? "telemetry" : t, props);
      }
      case mqtt: {
        if (iotHubHost != null) {
          String deviceKey = env.get("IOTHUB_DEVICE_KEY");
          String groupKey = env.get("IOTHUB_GROUP_KEY");
          Function<String, String> keys = blank(deviceKey)
              ? id -> SasToken.deriveDeviceKey(groupKey, id) : id -> deviceKey;
          return MqttTransport.iotHub(iotHubHost, keys);
        }
        return MqttTransport.local(mqttUrl, mqttClientId);
      }
      default:
        throw new AssertionError(transport);
    }
  }

  @Override
  public Integer call() throws Exception {
    SimulatorConfig c = toConfig();
    if (dryRun) {
      out.println("flags are good: --transport " + transport + ", " + devices + " devices, "
          + (unthrottled ? "unthrottled" : rate + " msg/s"));
      return 0;
    }
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    Simulator sim;
    Thread hook;
    try (Transport t = openTransport(c)) {
      sim = new Simulator(c, t, err);
      // Ctrl-C / SIGTERM: stop after the current batch, flush, print the summary, then exit
      hook = new Thread(() -> {
        sim.stop();
        try {
          done.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "simulator-stop");
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
