package org.iotbeam.domain.validation;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.iotbeam.domain.Metric;

/**
 * What a valid message looks like. Immutable; {@link #defaults()} suits the bundled sensor models,
 * and every limit can be changed with the {@code with...} methods.
 */
public final class ValidationLimits implements Serializable {
  /** Letters, digits and {@code _ . : -}, 3 to 64 characters, as IoT Hub device ids allow. */
  public static final String DEFAULT_DEVICE_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.:-]{2,63}$";

  /**
   * Metres above sea level a device can report: from the deepest ocean trench to a high-altitude
   * balloon. A GPS glitch (1e6, -1e7) or NaN lies outside.
   */
  public static final ValueRange DEFAULT_ALTITUDE_RANGE = new ValueRange(-11_000, 50_000);

  private final Map<Metric, ValueRange> ranges;
  private final Duration maxFutureSkew;
  private final Duration maxAge;
  private final int maxPayloadBytes;
  private final String deviceIdPattern;
  private final ValueRange altitudeRange;
  private transient Pattern compiledDeviceId;

  private ValidationLimits(
      Map<Metric, ValueRange> ranges,
      Duration maxFutureSkew,
      Duration maxAge,
      int maxPayloadBytes,
      String deviceIdPattern,
      ValueRange altitudeRange) {
    this.ranges = Collections.unmodifiableMap(new EnumMap<>(ranges));
    this.maxFutureSkew = maxFutureSkew;
    this.maxAge = maxAge;
    this.maxPayloadBytes = maxPayloadBytes;
    this.deviceIdPattern = deviceIdPattern;
    this.altitudeRange = altitudeRange;
    Pattern.compile(deviceIdPattern); // fail fast on a bad pattern
  }

  public static ValidationLimits defaults() {
    Map<Metric, ValueRange> r = new EnumMap<>(Metric.class);
    r.put(Metric.TEMPERATURE, new ValueRange(-60, 100));
    r.put(Metric.HUMIDITY, new ValueRange(0, 100));
    r.put(Metric.PRESSURE, new ValueRange(300, 1100));
    r.put(Metric.BATTERY_LEVEL, new ValueRange(0, 100));
    r.put(Metric.SIGNAL_STRENGTH, new ValueRange(-150, 0));
    return new ValidationLimits(
        r,
        Duration.ofMinutes(5),
        Duration.ofDays(7),
        64 * 1024,
        DEFAULT_DEVICE_ID_PATTERN,
        DEFAULT_ALTITUDE_RANGE);
  }

  public ValidationLimits withRange(Metric metric, ValueRange range) {
    Map<Metric, ValueRange> r = new EnumMap<>(ranges);
    r.put(metric, range);
    return new ValidationLimits(
        r, maxFutureSkew, maxAge, maxPayloadBytes, deviceIdPattern, altitudeRange);
  }

  /** How far ahead of its ingest time a reading's timestamp may be (device clock drift). */
  public ValidationLimits withMaxFutureSkew(Duration d) {
    return new ValidationLimits(
        ranges,
        requirePositive(d, "maxFutureSkew"),
        maxAge,
        maxPayloadBytes,
        deviceIdPattern,
        altitudeRange);
  }

  /** How far behind its ingest time a reading may be (devices buffering while offline). */
  public ValidationLimits withMaxAge(Duration d) {
    return new ValidationLimits(
        ranges,
        maxFutureSkew,
        requirePositive(d, "maxAge"),
        maxPayloadBytes,
        deviceIdPattern,
        altitudeRange);
  }

  public ValidationLimits withMaxPayloadBytes(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxPayloadBytes must be > 0, was " + bytes);
    }
    return new ValidationLimits(
        ranges, maxFutureSkew, maxAge, bytes, deviceIdPattern, altitudeRange);
  }

  /** The altitudes (metres) a location may have; outside (or NaN), INVALID_LOCATION. */
  public ValidationLimits withAltitudeRange(ValueRange range) {
    return new ValidationLimits(
        ranges,
        maxFutureSkew,
        maxAge,
        maxPayloadBytes,
        deviceIdPattern,
        Objects.requireNonNull(range));
  }

  public ValidationLimits withDeviceIdPattern(String regex) {
    return new ValidationLimits(
        ranges, maxFutureSkew, maxAge, maxPayloadBytes, regex, altitudeRange);
  }

  private static Duration requirePositive(Duration d, String name) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d;
  }

  public ValueRange rangeOf(Metric m) {
    return ranges.get(m);
  }

  public Duration maxFutureSkew() {
    return maxFutureSkew;
  }

  public Duration maxAge() {
    return maxAge;
  }

  public ValueRange altitudeRange() {
    return altitudeRange;
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  Pattern deviceIdPattern() {
    if (compiledDeviceId == null) {
      compiledDeviceId = Pattern.compile(deviceIdPattern);
    }
    return compiledDeviceId;
  }
}
