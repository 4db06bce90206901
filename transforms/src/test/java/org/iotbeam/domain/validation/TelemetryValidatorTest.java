package org.iotbeam.domain.validation;

import static org.iotbeam.testing.Fixtures.MINUTE;
import static org.iotbeam.testing.Fixtures.T0;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Optional;
import org.iotbeam.domain.Metric;
import org.iotbeam.proto.GeoLocation;
import org.iotbeam.proto.Telemetry;
import org.junit.Test;

public class TelemetryValidatorTest {
  private final TelemetryValidator validator = new TelemetryValidator(ValidationLimits.defaults());

  private static Telemetry.Builder good() {
    return Telemetry.newBuilder()
        .setDeviceId("dev-000001")
        .setTimestampMs(T0)
        .setTemperature(20)
        .setHumidity(50)
        .setSchemaVersion(1);
  }

  private Reason reasonOf(Telemetry.Builder t) {
    Optional<Violation> v = validator.check(t.build(), T0 + 1000);
    return v.map(Violation::reason).orElse(null);
  }

  @Test
  public void acceptsAWellFormedReadingOfEachVersion() {
    assertEquals(null, reasonOf(good()));
    assertEquals(
        null,
        reasonOf(
            good()
                .setSchemaVersion(2)
                .setPressure(1000)
                .setLocation(GeoLocation.newBuilder().setLatitude(10).setLongitude(20))));
    assertEquals(
        null, reasonOf(good().setSchemaVersion(3).setBatteryLevel(50).setSignalStrength(-70)));
  }

  /** The ids it remembers as matching change no verdict, also once it has started over. */
  @Test
  public void remembersMatchingIdsWithoutChangingAVerdict() {
    for (int round = 0; round < 2; round++) {
      assertEquals(null, reasonOf(good()));
      assertEquals(Reason.INVALID_DEVICE_ID, reasonOf(good().setDeviceId("a b")));
    }
    for (int i = 0; i <= TelemetryValidator.REMEMBERED_IDS; i++) {
      assertEquals(null, reasonOf(good().setDeviceId("dev-" + i)));
    }
    assertEquals(null, reasonOf(good().setDeviceId("dev-1")));
    assertEquals(null, reasonOf(good().setDeviceId("dev-" + TelemetryValidator.REMEMBERED_IDS)));
    assertEquals(Reason.INVALID_DEVICE_ID, reasonOf(good().setDeviceId("a b")));
  }

  @Test
  public void reportsTheFirstProblemWithAStableReason() {
    assertEquals(Reason.MISSING_DEVICE_ID, reasonOf(good().setDeviceId("")));
    assertEquals(Reason.INVALID_DEVICE_ID, reasonOf(good().setDeviceId("a b")));
    assertEquals(Reason.INVALID_DEVICE_ID, reasonOf(good().setDeviceId("x".repeat(65))));
    assertEquals(Reason.MISSING_TIMESTAMP, reasonOf(good().setTimestampMs(0)));
    assertEquals(Reason.TIMESTAMP_TOO_OLD, reasonOf(good().setTimestampMs(1000)));
    assertEquals(Reason.TIMESTAMP_IN_FUTURE, reasonOf(good().setTimestampMs(T0 + 10 * MINUTE)));
    assertEquals(
        Reason.TIMESTAMP_TOO_OLD, reasonOf(good().setTimestampMs(T0 - 8L * 24 * 60 * MINUTE)));
    assertEquals(Reason.MISSING_MEASUREMENT, reasonOf(good().clearTemperature().clearHumidity()));
    assertEquals(Reason.VALUE_OUT_OF_RANGE, reasonOf(good().setTemperature(150)));
    assertEquals(Reason.VALUE_OUT_OF_RANGE, reasonOf(good().setHumidity(Double.NaN)));
    assertEquals(Reason.VALUE_OUT_OF_RANGE, reasonOf(good().setBatteryLevel(-1)));
    assertEquals(
        Reason.INVALID_LOCATION,
        reasonOf(good().setLocation(GeoLocation.newBuilder().setLatitude(95).setLongitude(0))));
    assertEquals(Reason.UNSUPPORTED_SCHEMA_VERSION, reasonOf(good().setSchemaVersion(9)));
  }

  @Test
  public void everyImpossibleTimestampHasItsOwnReason() {
    assertEquals(Reason.MISSING_TIMESTAMP, reasonOf(good().setTimestampMs(0)));
    assertEquals(Reason.TIMESTAMP_TOO_OLD, reasonOf(good().setTimestampMs(Long.MIN_VALUE)));
    assertEquals(Reason.TIMESTAMP_TOO_OLD, reasonOf(good().setTimestampMs(-1)));
    assertEquals(
        Reason.TIMESTAMP_TOO_OLD,
        reasonOf(good().setTimestampMs(TelemetryValidator.EPOCH_FLOOR_MS - 1)));
    assertEquals(Reason.TIMESTAMP_IN_FUTURE, reasonOf(good().setTimestampMs(Long.MAX_VALUE)));
    // without an ingest time (a file, a replay), an absurd future is still caught
    for (long ts : new long[] {Long.MAX_VALUE, TelemetryValidator.EPOCH_CEILING_MS}) {
      assertEquals(
          Reason.TIMESTAMP_IN_FUTURE,
          validator.check(good().setTimestampMs(ts).build(), 0).get().reason());
    }
    assertEquals(
        Reason.TIMESTAMP_TOO_OLD,
        validator.check(good().setTimestampMs(Long.MIN_VALUE).build(), 0).get().reason());
    assertEquals(
        "timestamp " + Long.MIN_VALUE + " is before 1970-01-01",
        validator.check(good().setTimestampMs(Long.MIN_VALUE).build(), T0).get().detail());
    assertEquals(Optional.empty(), validator.check(good().build(), 0));
  }

  @Test
  public void altitudeMustBeAPossibleNumber() {
    for (double bad :
        new double[] {
          Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e6, -20_000
        }) {
      Violation v =
          validator
              .check(
                  good()
                      .setSchemaVersion(2)
                      .setLocation(
                          GeoLocation.newBuilder()
                              .setLatitude(10)
                              .setLongitude(20)
                              .setAltitude(bad))
                      .build(),
                  T0 + 1000)
              .orElseThrow(() -> new AssertionError("accepted altitude " + bad));
      assertEquals(Reason.INVALID_LOCATION, v.reason());
      assertTrue(v.detail(), v.detail().startsWith("altitude=" + bad));
    }
    for (double ok : new double[] {-430, 0, 8848.86}) {
      assertEquals(
          null,
          reasonOf(
              good()
                  .setSchemaVersion(2)
                  .setLocation(
                      GeoLocation.newBuilder().setLatitude(10).setLongitude(20).setAltitude(ok))));
    }
    TelemetryValidator lowland =
        new TelemetryValidator(
            ValidationLimits.defaults().withAltitudeRange(new ValueRange(-100, 1000)));
    assertEquals(
        Reason.INVALID_LOCATION,
        lowland
            .check(
                good()
                    .setSchemaVersion(2)
                    .setLocation(
                        GeoLocation.newBuilder().setLatitude(10).setLongitude(20).setAltitude(8848))
                    .build(),
                T0)
            .get()
            .reason());
  }

  @Test
  public void limitsAreConfigurable() {
    TelemetryValidator strict =
        new TelemetryValidator(
            ValidationLimits.defaults()
                .withRange(Metric.TEMPERATURE, new ValueRange(0, 30))
                .withMaxFutureSkew(java.time.Duration.ofSeconds(1)));
    assertEquals(
        Reason.VALUE_OUT_OF_RANGE,
        strict.check(good().setTemperature(31).build(), T0).get().reason());
    assertEquals(
        Reason.TIMESTAMP_IN_FUTURE,
        strict.check(good().setTimestampMs(T0 + 5000).build(), T0).get().reason());
  }

  @Test
  public void checksPayloadSizeBeforeParsing() {
    TelemetryValidator v =
        new TelemetryValidator(ValidationLimits.defaults().withMaxPayloadBytes(4));
    assertEquals(Reason.EMPTY_PAYLOAD, v.checkPayload(new byte[0]).get().reason());
    assertEquals(Reason.PAYLOAD_TOO_LARGE, v.checkPayload(new byte[5]).get().reason());
    assertTrue(v.checkPayload(new byte[4]).isEmpty());
  }

  @Test
  public void badLimitsFailFast() {
    try {
      new ValueRange(5, 1);
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().contains("min must be <= max"));
      return;
    }
    throw new AssertionError("an inverted range was accepted");
  }
}
