package org.iotbeam.domain.validation;

import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.iotbeam.domain.Metric;
import org.iotbeam.proto.GeoLocation;
import org.iotbeam.proto.SchemaVersions;
import org.iotbeam.proto.Telemetry;

/**
 * Decides whether a parsed message is a reading the platform can use. The first problem found is
 * the one reported: a dead letter carries one clear reason, not a list.
 *
 * <p>Time checks compare the event time with the ingest time, not the wall clock, so reprocessing
 * an archive a month later judges each message exactly as the first run did.
 */
public final class TelemetryValidator {
  /** Earlier than this, a timestamp is an unset clock, not a reading: 2000-01-01T00:00:00Z. */
  static final long EPOCH_FLOOR_MS = 946_684_800_000L;

  /**
   * Later than this, a timestamp is a broken clock whatever the ingest time (which may be unknown):
   * 2100-01-01T00:00:00Z. Also keeps event times far inside what windows can hold.
   */
  static final long EPOCH_CEILING_MS = 4_102_444_800_000L;

  /** How many ids {@link #deviceIdMatches} remembers before it starts over. */
  static final int REMEMBERED_IDS = 1 << 17;

  private final ValidationLimits limits;

  // ids that matched the pattern: a fleet's ids repeat, and a hash lookup costs a tenth of the
  // regex (which was a top frame of the backfill); bounded, so a flood of new ids costs only time
  private final Set<String> matchedIds = new HashSet<>();

  /** Not thread-safe: one validator per thread (as each DoFn instance has its own). */
  public TelemetryValidator(ValidationLimits limits) {
    this.limits = limits;
  }

  /** Checks the raw bytes before parsing. */
  public Optional<Violation> checkPayload(byte[] payload) {
    if (payload == null || payload.length == 0) {
      return Optional.of(new Violation(Reason.EMPTY_PAYLOAD, "message has no payload"));
    }
    if (payload.length > limits.maxPayloadBytes()) {
      return Optional.of(
          new Violation(
              Reason.PAYLOAD_TOO_LARGE,
              "payload is " + payload.length + " bytes, limit " + limits.maxPayloadBytes()));
    }
    return Optional.empty();
  }

  private boolean deviceIdMatches(String id) {
    if (matchedIds.contains(id)) {
      return true;
    }
    if (!limits.deviceIdPattern().matcher(id).matches()) {
      return false;
    }
    if (matchedIds.size() >= REMEMBERED_IDS) {
      matchedIds.clear();
    }
    matchedIds.add(id);
    return true;
  }

  /** Checks a parsed message received at {@code ingestTimeMs}. */
  public Optional<Violation> check(Telemetry t, long ingestTimeMs) {
    int version = SchemaVersions.detect(t);
    if (version < SchemaVersions.V1 || version > SchemaVersions.CURRENT) {
      return violation(
          Reason.UNSUPPORTED_SCHEMA_VERSION,
          "schema version " + version + " is not one of 1.." + SchemaVersions.CURRENT);
    }
    String id = t.getDeviceId();
    if (id.isEmpty()) {
      return violation(Reason.MISSING_DEVICE_ID, "device_id is empty");
    }
    if (!deviceIdMatches(id)) {
      return violation(
          Reason.INVALID_DEVICE_ID,
          "device_id '"
              + abbreviate(id)
              + "' does not match "
              + limits.deviceIdPattern().pattern());
    }
    long ts = t.getTimestampMs();
    if (ts == 0) {
      return violation(Reason.MISSING_TIMESTAMP, "timestamp_ms is not set");
    }
    if (ts < 0) {
      return violation(Reason.TIMESTAMP_TOO_OLD, "timestamp " + ts + " is before 1970-01-01");
    }
    if (ts < EPOCH_FLOOR_MS) {
      return violation(Reason.TIMESTAMP_TOO_OLD, "timestamp " + ts + " is before 2000-01-01");
    }
    if (ts >= EPOCH_CEILING_MS) {
      return violation(Reason.TIMESTAMP_IN_FUTURE, "timestamp " + ts + " is after 2100-01-01");
    }
    if (ingestTimeMs > 0) {
      long ahead = ts - ingestTimeMs;
      if (ahead > limits.maxFutureSkew().toMillis()) {
        return violation(
            Reason.TIMESTAMP_IN_FUTURE,
            "timestamp is "
                + ahead
                + " ms after ingest time, limit "
                + limits.maxFutureSkew().toMillis()
                + " ms");
      }
      long behind = ingestTimeMs - ts;
      if (behind > limits.maxAge().toMillis()) {
        return violation(
            Reason.TIMESTAMP_TOO_OLD,
            "timestamp is "
                + behind
                + " ms before ingest time, limit "
                + limits.maxAge().toMillis()
                + " ms");
      }
    }
    if (!t.hasTemperature() && !t.hasHumidity()) {
      return violation(
          Reason.MISSING_MEASUREMENT,
          "neither temperature nor humidity is present (v1 requires at least one)");
    }
    for (Metric m : Metric.values()) {
      OptionalDouble v = m.valueOf(t);
      if (v.isPresent() && !limits.rangeOf(m).contains(v.getAsDouble())) {
        ValueRange r = limits.rangeOf(m);
        return violation(
            Reason.VALUE_OUT_OF_RANGE,
            m.id() + "=" + v.getAsDouble() + " is outside [" + r.min() + ", " + r.max() + "]");
      }
    }
    if (t.hasLocation()) {
      GeoLocation l = t.getLocation();
      if (!(Math.abs(l.getLatitude()) <= 90) || !(Math.abs(l.getLongitude()) <= 180)) {
        return violation(
            Reason.INVALID_LOCATION,
            "location (" + l.getLatitude() + ", " + l.getLongitude() + ") is not on Earth");
      }
      ValueRange altitudes = limits.altitudeRange();
      if (l.hasAltitude() && !altitudes.contains(l.getAltitude())) {
        return violation(
            Reason.INVALID_LOCATION,
            "altitude="
                + l.getAltitude()
                + " m is outside ["
                + altitudes.min()
                + ", "
                + altitudes.max()
                + "]");
      }
    }
    return Optional.empty();
  }

  private static Optional<Violation> violation(Reason r, String detail) {
    return Optional.of(new Violation(r, detail));
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
