package org.iotbeam.runners.demo;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.iotbeam.domain.notify.ChannelKind;
import org.iotbeam.pipelines.common.HourAligned;

/** The demo's flags, with defaults that run on a fresh machine; {@link #parse} reads them. */
public final class DemoOptions {
  public static final String USAGE = String.join("\n",
      "usage: iotbeam demo [flags]   (./demo.sh [flags]; java -jar iotbeam-runners-*-shaded.jar demo)",
      "",
      "Runs the whole platform in this JVM: a Kafka broker, an MQTT broker, the MQTT -> Kafka",
      "bridge, the streaming pipeline on Flink embedded and the device simulator over MQTT; then",
      "waits for the pipeline to drain and prints a summary.",
      "",
      "  --duration D          how long the simulator sends (60s; 90s, 2m, PT1M, or seconds)",
      "  --rate R              messages per second over all devices (1000)",
      "  --devices N           simulated devices (200)",
      "  --output DIR          output base (./demo-output/<yyyyMMdd-HHmmss>)",
      "  --window-minutes N    aggregate window in minutes (1, so windows close during the demo)",
      "  --parallelism N       Flink parallelism (2)",
      "  --partitions N        partitions of the telemetry topic (2)",
      "  --checkpoint-seconds N  Flink checkpoint interval; files are finalized on checkpoints (5)",
      "  --flush-seconds N     file flush delay (--fileFlushSeconds) (5)",
      "  --drain-timeout D     how long to wait for the pipeline and the files after the",
      "                        simulator stops (180s)",
      "  --malformed-ratio F   fraction of deliberately malformed messages (0.01)",
      "  --seed N              simulator seed (42)",
      "  --prometheus-port N   Beam metrics in Prometheus format on 127.0.0.1:N while the demo",
      "                        runs (0: any free port, -1: off) (0)",
      "  --smtp-host H         also e-mail the notifications through this SMTP relay (the",
      "                        log lines LogChannel show them either way); credentials from",
      "                        env SMTP_USERNAME / SMTP_PASSWORD",
      "  --smtp-port N         its port (587, STARTTLS)",
      "  --smtp-from ADDR      sender address (needed with --smtp-host)",
      "  --smtp-to ADDR[,ADDR] recipients (needed with --smtp-host)",
      "  --smtp-insecure       no STARTTLS (a local test server; credentials are then refused)",
      "  --quiet               no progress lines, only the summary",
      "  --verbose             every log line of the brokers, Flink and Beam (default: warnings)",
      "  -h, --help            this text");

  Duration duration = Duration.ofSeconds(60);
  double rate = 1000;
  int devices = 200;
  Path output;
  int windowMinutes = 1;
  int parallelism = 2;
  int partitions = 2;
  int checkpointSeconds = 5;
  int flushSeconds = 5;
  Duration drainTimeout = Duration.ofSeconds(180);
  double malformedRatio = 0.01;
  long seed = 42;
  int prometheusPort = 0;
  String smtpHost;
  int smtpPort = 587;
  String smtpFrom;
  List<String> smtpTo = List.of();
  boolean smtpInsecure;
  boolean quiet;
  boolean verbose;
  boolean help;

  public static DemoOptions defaults() {
    return new DemoOptions();
  }

  /** Parses {@code --flag value} or {@code --flag=value}; throws with every problem listed. */
  public static DemoOptions parse(String... args) {
    DemoOptions o = new DemoOptions();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (name.equals("-h") || name.equals("--help")) {
        o.help = true;
        continue;
      }
      if (name.equals("--quiet")) {
        o.quiet = true;
        continue;
      }
      if (name.equals("--verbose")) {
        o.verbose = true;
        continue;
      }
      if (name.equals("--smtp-insecure")) {
        o.smtpInsecure = true;
        continue;
      }
      if (!KNOWN.contains(name)) {
        problems.add("unknown flag " + a);
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          problems.add(name + " needs a value");
          continue;
        }
        value = args[++i];
      }
      try {
        o.set(name, value);
      } catch (IllegalArgumentException e) {
        problems.add(name + " " + value + ": " + e.getMessage());
      }
    }
    problems.addAll(o.problems());
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return o;
  }

  private static final List<String> KNOWN = List.of("--duration", "--rate", "--devices",
      "--output", "--window-minutes", "--parallelism", "--partitions", "--checkpoint-seconds",
      "--flush-seconds", "--drain-timeout", "--malformed-ratio", "--seed", "--prometheus-port",
      "--smtp-host", "--smtp-port", "--smtp-from", "--smtp-to");

  private void set(String name, String v) {
    switch (name) {
      case "--duration" -> duration = duration(v);
      case "--rate" -> rate = Double.parseDouble(v);
      case "--devices" -> devices = Integer.parseInt(v);
      case "--output" -> output = Paths.get(v);
      case "--window-minutes" -> windowMinutes = Integer.parseInt(v);
      case "--parallelism" -> parallelism = Integer.parseInt(v);
      case "--partitions" -> partitions = Integer.parseInt(v);
      case "--checkpoint-seconds" -> checkpointSeconds = Integer.parseInt(v);
      case "--flush-seconds" -> flushSeconds = Integer.parseInt(v);
      case "--drain-timeout" -> drainTimeout = duration(v);
      case "--malformed-ratio" -> malformedRatio = Double.parseDouble(v);
      case "--seed" -> seed = Long.parseLong(v);
      case "--prometheus-port" -> prometheusPort = Integer.parseInt(v);
      case "--smtp-host" -> smtpHost = v;
      case "--smtp-port" -> smtpPort = Integer.parseInt(v);
      case "--smtp-from" -> smtpFrom = v;
      case "--smtp-to" -> smtpTo = List.of(v.split(","));
      default -> throw new IllegalArgumentException("unknown flag");
    }
  }

  /** {@code 60s}, {@code 2m}, {@code 1h}, {@code 500ms}, ISO-8601 {@code PT1M}, or seconds. */
  static Duration duration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("pt")) {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      if (s.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      if (s.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(s));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("not a duration (use 60s, 2m, 1h, PT1M or seconds)");
    }
  }

  List<String> problems() {
    List<String> p = new ArrayList<>();
    if (duration.isNegative() || duration.isZero()) {
      p.add("--duration must be positive");
    }
    if (!(rate > 0) || Double.isInfinite(rate)) {
      p.add("--rate must be > 0");
    }
    if (devices < 1 || devices > 1_000_000) {
      p.add("--devices must be 1..1000000");
    }
    HourAligned.problem("--window-minutes", windowMinutes).ifPresent(p::add);
    if (parallelism < 1 || parallelism > 64) {
      p.add("--parallelism must be 1..64");
    }
    if (partitions < 1 || partitions > 64) {
      p.add("--partitions must be 1..64");
    }
    if (checkpointSeconds < 1) {
      p.add("--checkpoint-seconds must be >= 1");
    }
    if (flushSeconds < 1) {
      p.add("--flush-seconds must be >= 1");
    }
    if (drainTimeout.isNegative() || drainTimeout.isZero()) {
      p.add("--drain-timeout must be positive");
    }
    if (malformedRatio < 0 || malformedRatio > 1) {
      p.add("--malformed-ratio must be in [0, 1]");
    }
    if (prometheusPort < -1 || prometheusPort > 65535) {
      p.add("--prometheus-port must be -1 (off), 0 (any free port) or a port");
    }
    if (smtpHost != null && (smtpFrom == null || smtpTo.isEmpty())) {
      p.add("--smtp-host needs --smtp-from and --smtp-to");
    }
    for (String a : smtpFrom == null ? smtpTo : concat(smtpFrom, smtpTo)) {
      ChannelKind.EMAIL.recipientProblem(a).ifPresent(why -> p.add("--smtp-from/--smtp-to: " + why));
    }
    if (smtpHost == null && (smtpFrom != null || !smtpTo.isEmpty() || smtpInsecure)) {
      p.add("--smtp-from, --smtp-to and --smtp-insecure need --smtp-host");
    }
    return p;
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>(rest);
    all.add(0, first);
    return all;
  }

  /** The output base: {@code --output}, or ./demo-output/<local yyyyMMdd-HHmmss>. */
  public Path output() {
    if (output == null) {
      output = Paths.get("demo-output",
          LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
    return output.toAbsolutePath().normalize();
  }

  public DemoOptions duration(Duration d) {
    this.duration = d;
    return this;
  }

  public DemoOptions rate(double r) {
    this.rate = r;
    return this;
  }

  public DemoOptions devices(int n) {
    this.devices = n;
    return this;
  }

  public DemoOptions output(Path p) {
    this.output = p;
    return this;
  }

  public DemoOptions drainTimeout(Duration d) {
    this.drainTimeout = d;
    return this;
  }

  public DemoOptions prometheusPort(int port) {
    this.prometheusPort = port;
    return this;
  }

  public DemoOptions quiet(boolean q) {
    this.quiet = q;
    return this;
  }

  public DemoOptions seed(long s) {
    this.seed = s;
    return this;
  }
}
