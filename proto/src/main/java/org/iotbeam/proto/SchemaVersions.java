package org.iotbeam.proto;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Tells which schema version wrote a telemetry message.
 *
 * <p>Writers set {@code schema_version}. Firmware that predates that habit, or a writer that
 * forgot, still leaves a fingerprint: the highest-version field it filled in. A message with no
 * field newer than v1 is read as v1, which is what a reader needs to know (which fields it may
 * expect), even if the writer knew a newer schema.
 */
public final class SchemaVersions {
  public static final int V1 = 1;
  public static final int V2 = 2;
  public static final int V3 = 3;
  public static final int CURRENT = V3;

  private SchemaVersions() {}

  /** The version of {@code bytes}, a serialized {@link Telemetry} of any version. */
  public static int detect(byte[] bytes) throws InvalidProtocolBufferException {
    return detect(Telemetry.parseFrom(bytes));
  }

  /** The declared version, or the one its fields imply when none was declared. */
  public static int detect(Telemetry t) {
    if (t.getSchemaVersion() != 0) {
      return t.getSchemaVersion();
    }
    return inferFromFields(t);
  }

  /** The lowest version whose schema has every field that {@code t} carries. */
  public static int inferFromFields(Telemetry t) {
    if (t.hasBatteryLevel() || t.hasSignalStrength() || t.getErrorCodesCount() > 0) {
      return V3;
    }
    if (t.hasPressure() || t.hasLocation() || t.getMetadataCount() > 0) {
      return V2;
    }
    return V1;
  }
}
