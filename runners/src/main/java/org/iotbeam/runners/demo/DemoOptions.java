package org.iotbeam.runners.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.iotbeam.cli.Flags;
import org.iotbeam.domain.notify.ChannelKind;
import org.iotbeam.pipelines.common.HourAligned;

/**
 * The demo's settings, with defaults that run on a fresh machine; {@link #parse} reads them from
 * the command line ({@link DemoFlags}, through the one flag parser of every command).
 */
public final class DemoOptions {
  static final String COMMAND = "iotbeam demo";
  static final String ABOUT =
      String.join(
          "\n",
          "Runs the whole platform in this JVM: a Kafka broker, an MQTT broker, the MQTT -> Kafka",
          "bridge, the streaming pipeline on Flink embedded and the device simulator over MQTT; then",
          "waits for the pipeline to drain and prints a summary. Also: ./demo.sh [flags].",
          "Exit code 0 when every check held, 1 when one did not, 2 for bad flags, 3 when the demo",
          "itself failed.");

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

  public static DemoOptions defaults() {
    return new DemoOptions();
  }

  /**
   * Parses {@code --flag=value} or {@code --flag value} ({@link DemoFlags}); throws {@link
   * Flags.BadFlags} with every problem listed.
   */
  public static DemoOptions parse(String... args) {
    DemoFlags f = Flags.parse(DemoFlags.class, (flags, problems) -> from(flags, problems), args);
    return from(f, new ArrayList<>());
  }

  /** The settings of parsed flags; adds every problem with them. */
  static DemoOptions from(DemoFlags f, List<String> problems) {
    DemoOptions o = new DemoOptions();
    o.duration = duration("--duration", f.getDuration(), o.duration, problems);
    o.rate = f.getRate();
    o.devices = f.getDevices();
    o.output = f.getOutput() == null ? null : Paths.get(f.getOutput());
    o.windowMinutes = f.getWindowMinutes() == null ? o.windowMinutes : f.getWindowMinutes();
    o.parallelism = f.getParallelism() == null ? o.parallelism : f.getParallelism();
    o.partitions = f.getPartitions();
    o.checkpointSeconds = f.getCheckpointSeconds();
    o.flushSeconds = f.getFlushSeconds();
    o.drainTimeout = duration("--drainTimeout", f.getDrainTimeout(), o.drainTimeout, problems);
    o.malformedRatio = f.getMalformedRatio();
    o.seed = f.getSeed();
    o.prometheusPort = f.getPrometheusPort() == null ? o.prometheusPort : f.getPrometheusPort();
    o.smtpHost = blankToNull(f.getSmtpHost());
    o.smtpPort = f.getSmtpPort() == null ? o.smtpPort : f.getSmtpPort();
    o.smtpFrom = blankToNull(f.getSmtpFrom());
    o.smtpTo = f.getSmtpTo() == null ? List.of() : List.of(f.getSmtpTo().split(","));
    o.smtpInsecure = f.isSmtpInsecure();
    o.quiet = f.isQuiet();
    o.verbose = f.isVerbose();
    problems.addAll(o.problems());
    return o;
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static Duration duration(
      String flag, String v, Duration otherwise, List<String> problems) {
    try {
      return duration(v);
    } catch (IllegalArgumentException e) {
      problems.add(flag + " " + v + ": " + e.getMessage());
      return otherwise;
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
    HourAligned.problem("--windowMinutes", windowMinutes).ifPresent(p::add);
    if (parallelism < 1 || parallelism > 64) {
      p.add("--parallelism must be 1..64");
    }
    if (partitions < 1 || partitions > 64) {
      p.add("--partitions must be 1..64");
    }
    if (checkpointSeconds < 1) {
      p.add("--checkpointSeconds must be >= 1");
    }
    if (flushSeconds < 1) {
      p.add("--flushSeconds must be >= 1");
    }
    if (drainTimeout.isNegative() || drainTimeout.isZero()) {
      p.add("--drainTimeout must be positive");
    }
    if (malformedRatio < 0 || malformedRatio > 1) {
      p.add("--malformedRatio must be in [0, 1]");
    }
    if (prometheusPort < -1 || prometheusPort > 65535) {
      p.add("--prometheusPort must be -1 (off), 0 (any free port) or a port");
    }
    if (smtpHost != null && (smtpFrom == null || smtpTo.isEmpty())) {
      p.add("--smtpHost needs --smtpFrom and --smtpTo");
    }
    for (String a : smtpFrom == null ? smtpTo : concat(smtpFrom, smtpTo)) {
      ChannelKind.EMAIL.recipientProblem(a).ifPresent(why -> p.add("--smtpFrom/--smtpTo: " + why));
    }
    if (smtpHost == null && (smtpFrom != null || !smtpTo.isEmpty() || smtpInsecure)) {
      p.add("--smtpFrom, --smtpTo and --smtpInsecure need --smtpHost");
    }
    outputOfAnEarlierRun().ifPresent(p::add);
    return p;
  }

  /**
   * The demo's checks compare this run's counters with every file under --output, so a directory
   * that already holds a run's outputs would fail them for no fault of the pipeline.
   */
  private Optional<String> outputOfAnEarlierRun() {
    if (output == null) {
      return Optional.empty(); // a new timestamped directory
    }
    for (String dir : DemoSummary.OUTPUT_DIRS) {
      Path d = output.resolve(dir);
      try (Stream<Path> files = Files.list(d)) {
        if (files.findAny().isPresent()) {
          return Optional.of(
              "--output "
                  + output
                  + " already holds the outputs of an earlier run ("
                  + dir
                  + "/ is not empty): give a new directory or leave --output out");
        }
      } catch (IOException e) {
        // no such directory: nothing of an earlier run there
      }
    }
    return Optional.empty();
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>(rest);
    all.add(0, first);
    return all;
  }

  /** The output base: {@code --output}, or ./demo-output/<local yyyyMMdd-HHmmss>. */
  public Path output() {
    if (output == null) {
      output =
          Paths.get(
              "demo-output",
              LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
    return output.toAbsolutePath().normalize();
  }

  public int windowMinutes() {
    return windowMinutes;
  }

  public int parallelism() {
    return parallelism;
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
