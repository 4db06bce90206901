package org.iotbeam.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a simulator run does. Build one with the fluent setters (or from the CLI, {@link
 * DeviceSimulator}); {@link #validate()} says what is wrong in words a user can act on.
 * Determinism: with the same config (including {@code seed} and {@code startTime}) the generated
 * message sequence is byte-for-byte the same, whatever the transport.
 */
public final class SimulatorConfig {
  private int devices = 1000;
  private double rate = 1000;
  private boolean unthrottled;
  private int batchSize = 50;
  private long count = -1;
  private Duration duration;
  private long seed = 42;
  private Instant startTime;
  private Duration interval;
  private double[] versionMix = {0.2, 0.3, 0.5};
  private double malformedRatio = 0.01;
  private double anomalyRate = 0.001;
  private Duration excursionStart;
  private Duration excursionLength;
  private List<Site> sites = new ArrayList<>(Site.DEFAULTS);
  private String deviceIdPrefix = "dev-";
  private Duration progressInterval = Duration.ofSeconds(5);

  public int devices() {
    return devices;
  }

  public SimulatorConfig devices(int devices) {
    this.devices = devices;
    return this;
  }

  /** Messages per second, over all devices. */
  public double rate() {
    return rate;
  }

  public SimulatorConfig rate(double rate) {
    this.rate = rate;
    return this;
  }

  /** Send as fast as the transport takes them (for archive generation and benchmarks). */
  public boolean unthrottled() {
    return unthrottled;
  }

  public SimulatorConfig unthrottled(boolean unthrottled) {
    this.unthrottled = unthrottled;
    return this;
  }

  public int batchSize() {
    return batchSize;
  }

  public SimulatorConfig batchSize(int batchSize) {
    this.batchSize = batchSize;
    return this;
  }

  /** Stop after this many messages; negative = no count limit. */
  public long count() {
    return count;
  }

  public SimulatorConfig count(long count) {
    this.count = count;
    return this;
  }

  /** Stop after this much wall-clock time; null = no time limit. */
  public Duration duration() {
    return duration;
  }

  public SimulatorConfig duration(Duration duration) {
    this.duration = duration;
    return this;
  }

  public long seed() {
    return seed;
  }

  public SimulatorConfig seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Event time of the first reading; null = the wall clock when the run starts. */
  public Instant startTime() {
    return startTime;
  }

  public SimulatorConfig startTime(Instant startTime) {
    this.startTime = startTime;
    return this;
  }

  /**
   * Event-time spacing of one device's readings. Null = {@code devices / rate} seconds, so event
   * time advances as fast as the wall clock when the rate limit holds (1000 devices at 1000 msg/s:
   * one reading per device per second); 1 s when unthrottled.
   */
  public Duration interval() {
    return interval;
  }

  public SimulatorConfig interval(Duration interval) {
    this.interval = interval;
    return this;
  }

  /** The event-time spacing in use: {@link #interval()} or the default it describes. */
  public long effectiveIntervalMs() {
    if (interval != null) {
      return interval.toMillis();
    }
    if (unthrottled) {
      return 1000;
    }
    return Math.max(1, Math.round(devices * 1000.0 / rate));
  }

  /** Fractions of devices on schema v1, v2, v3; they sum to 1. */
  public double[] versionMix() {
    return versionMix.clone();
  }

  public SimulatorConfig versionMix(double v1, double v2, double v3) {
    this.versionMix = new double[] {v1, v2, v3};
    return this;
  }

  /** Fraction of messages that are deliberately malformed, in [0, 1]. */
  public double malformedRatio() {
    return malformedRatio;
  }

  public SimulatorConfig malformedRatio(double malformedRatio) {
    this.malformedRatio = malformedRatio;
    return this;
  }

  /** Chance per valid reading that an anomaly episode (spike, drift, stuck) starts, in [0, 1]. */
  public double anomalyRate() {
    return anomalyRate;
  }

  public SimulatorConfig anomalyRate(double anomalyRate) {
    this.anomalyRate = anomalyRate;
    return this;
  }

  /**
   * A scripted excursion: device 0 reports {@value #EXCURSION_CELSIUS} C on every reading from
   * {@code start} after the run's start for {@code length}, then its normal values again, so a
   * threshold alert must be raised and then cleared (the demo checks it is). Null: none.
   */
  public SimulatorConfig excursion(Duration start, Duration length) {
    this.excursionStart = start;
    this.excursionLength = length;
    return this;
  }

  public static final double EXCURSION_CELSIUS = 60.0;

  public Duration excursionStart() {
    return excursionStart;
  }

  public Duration excursionLength() {
    return excursionLength;
  }

  public List<Site> sites() {
    return List.copyOf(sites);
  }

  public SimulatorConfig sites(List<Site> sites) {
    this.sites = new ArrayList<>(sites);
    return this;
  }

  public String deviceIdPrefix() {
    return deviceIdPrefix;
  }

  public SimulatorConfig deviceIdPrefix(String deviceIdPrefix) {
    this.deviceIdPrefix = deviceIdPrefix;
    return this;
  }

  /** How often progress goes to stderr; null or zero = never. */
  public Duration progressInterval() {
    return progressInterval;
  }

  public SimulatorConfig progressInterval(Duration progressInterval) {
    this.progressInterval = progressInterval;
    return this;
  }

  /** The device id of device {@code i}: prefix + six digits, e.g. {@code dev-000042}. */
  public String deviceId(int i) {
    return deviceIdPrefix + String.format("%06d", i);
  }

  /** Throws {@link IllegalArgumentException} naming every bad setting and how to fix it. */
  public SimulatorConfig validate() {
    List<String> problems = problems();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return this;
  }

  /** Every bad setting, in words naming the flag and how to fix it; empty when all is well. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    Problems require =
        (ok, message) -> {
          if (!ok) {
            problems.add(message);
          }
        };
    require.check(
        devices >= 1 && devices <= 1_000_000,
        "--devices must be between 1 and 1000000, got " + devices);
    require.check(
        unthrottled || (rate > 0 && !Double.isInfinite(rate)),
        "--rate must be > 0 messages per second (or use --unthrottled), got " + rate);
    require.check(
        batchSize >= 1 && batchSize <= 100_000,
        "--batchSize must be between 1 and 100000, got " + batchSize);
    require.check(
        count >= 0 || duration != null,
        "give --count and/or --duration: the simulator must know when to stop");
    require.check(count != 0, "--count must be > 0, got 0");
    require.check(
        duration == null || (!duration.isNegative() && !duration.isZero()),
        "--duration must be > 0, got " + duration);
    require.check(
        interval == null || interval.toMillis() >= 1,
        "--interval must be at least 1 ms, got " + interval);
    require.check(versionMix.length == 3, "--versionMix needs three fractions v1,v2,v3");
    double sum = 0;
    for (int i = 0; i < 3; i++) {
      require.check(
          versionMix[i] >= 0 && versionMix[i] <= 1,
          "--versionMix: the v" + (i + 1) + " fraction must be in [0, 1], got " + versionMix[i]);
      sum += versionMix[i];
    }
    require.check(
        Math.abs(sum - 1) < 1e-6,
        "--versionMix fractions v1,v2,v3 must add up to 1, they add up to " + sum);
    require.check(
        malformedRatio >= 0 && malformedRatio <= 1,
        "--malformedRatio must be in [0, 1], got " + malformedRatio);
    require.check(
        anomalyRate >= 0 && anomalyRate <= 1,
        "--anomalyRate must be in [0, 1], got " + anomalyRate);
    require.check(sites != null && !sites.isEmpty(), "give at least one --site");
    require.check(
        deviceIdPrefix != null
            && deviceId(devices - 1).matches("^[A-Za-z0-9][A-Za-z0-9_.:-]{2,63}$"),
        "--devicePrefix '"
            + deviceIdPrefix
            + "' makes device ids like '"
            + deviceId(0)
            + "' that do not match ^[A-Za-z0-9][A-Za-z0-9_.:-]{2,63}$");
    return problems;
  }

  private interface Problems {
    void check(boolean ok, String message);
  }
}
