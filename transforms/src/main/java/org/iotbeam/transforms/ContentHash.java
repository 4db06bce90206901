package org.iotbeam.transforms;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.iotbeam.proto.Telemetry;

/**
 * Content hashes: the identity of a reading for de-duplication, independent of how it was framed.
 * 128 bits of SHA-256: collisions are not a practical concern at any fleet size.
 */
public final class ContentHash {
  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** Per thread: the digest and the buffers, reused so that a hash allocates only its result. */
  private static final class Scratch {
    final MessageDigest sha256;
    final byte[] digest = new byte[32];
    byte[] buffer = new byte[1024];

    Scratch() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
    }
  }

  private ContentHash() {}

  public static String hex(byte[] bytes) {
    byte[] d = SCRATCH.get().sha256.digest(bytes);
    return HEX.formatHex(d, 0, 16);
  }

  /** The 128 bits of a content hash, as two longs. */
  public record Bits(long high, long low) {}

  /** The bits of a hash {@link #of} returned; null when {@code hash} is not 32 hex digits. */
  public static Bits parse(String hash) {
    if (hash == null || hash.length() != 32) {
      return null;
    }
    long high = 0;
    long low = 0;
    for (int i = 0; i < 32; i++) {
      int digit = Character.digit(hash.charAt(i), 16);
      if (digit < 0) {
        return null;
      }
      if (i < 16) {
        high = high << 4 | digit;
      } else {
        low = low << 4 | digit;
      }
    }
    return new Bits(high, low);
  }

  /** The full SHA-256 in hex, as {@code sha256sum} prints it: to check a payload fetched later. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * The hash of a reading's content: of its serialization with map entries in key order and without
   * the declared schema version, so that the same reading hashes the same whatever field order or
   * schema version its writer used. The device id and timestamp are part of the message, hence of
   * the hash.
   *
   * <p>The serialization is written here, field by field as the generated code writes it, into a
   * reused buffer: the generated code would build an entry object per map entry twice (size, then
   * bytes) and a copy of the message to clear its version, which cost more than the digest.
   * ContentHashTest holds it to the generated code's bytes and fails when Telemetry gains a field.
   */
  public static String of(Telemetry t) {
    Scratch s = SCRATCH.get();
    int size;
    while (true) {
      try {
        size = write(t, CodedOutputStream.newInstance(s.buffer));
        break;
      } catch (CodedOutputStream.OutOfSpaceException e) {
        s.buffer = new byte[2 * s.buffer.length];
      } catch (IOException e) {
        throw new UncheckedIOException("writing to an array cannot fail otherwise", e);
      }
    }
    MessageDigest d = s.sha256;
    d.update(s.buffer, 0, size);
    try {
      d.digest(s.digest, 0, 32);
    } catch (DigestException e) {
      throw new IllegalStateException("a SHA-256 digest is 32 bytes", e);
    }
    return HEX.formatHex(s.digest, 0, 16);
  }

  /** Telemetry's fields in number order, schema version (5) left out; the bytes written. */
  private static int write(Telemetry t, CodedOutputStream out) throws IOException {
    if (!t.getDeviceId().isEmpty()) {
      out.writeString(Telemetry.DEVICE_ID_FIELD_NUMBER, t.getDeviceId());
    }
    if (t.getTimestampMs() != 0) {
      out.writeInt64(Telemetry.TIMESTAMP_MS_FIELD_NUMBER, t.getTimestampMs());
    }
    if (t.hasTemperature()) {
      out.writeDouble(Telemetry.TEMPERATURE_FIELD_NUMBER, t.getTemperature());
    }
    if (t.hasHumidity()) {
      out.writeDouble(Telemetry.HUMIDITY_FIELD_NUMBER, t.getHumidity());
    }
    if (t.hasPressure()) {
      out.writeDouble(Telemetry.PRESSURE_FIELD_NUMBER, t.getPressure());
    }
    if (t.hasLocation()) {
      out.writeMessage(Telemetry.LOCATION_FIELD_NUMBER, t.getLocation());
    }
    if (t.getMetadataCount() > 0) {
      Map<String, String> metadata = t.getMetadataMap();
      String[] keys = metadata.keySet().toArray(new String[0]);
      Arrays.sort(keys);
      for (String key : keys) {
        // a map entry is a message of key (1) and value (2), both always written
        String value = metadata.get(key);
        out.writeTag(Telemetry.METADATA_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(
            CodedOutputStream.computeStringSize(1, key)
                + CodedOutputStream.computeStringSize(2, value));
        out.writeString(1, key);
        out.writeString(2, value);
      }
    }
    if (t.hasBatteryLevel()) {
      out.writeDouble(Telemetry.BATTERY_LEVEL_FIELD_NUMBER, t.getBatteryLevel());
    }
    if (t.hasSignalStrength()) {
      out.writeInt32(Telemetry.SIGNAL_STRENGTH_FIELD_NUMBER, t.getSignalStrength());
    }
    for (int i = 0; i < t.getErrorCodesCount(); i++) {
      out.writeString(Telemetry.ERROR_CODES_FIELD_NUMBER, t.getErrorCodes(i));
    }
    // fields of a newer schema than this reader's are content too
    t.getUnknownFields().writeTo(out);
    return out.getTotalBytesWritten();
  }
}
