package org.iotbeam.transforms;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.iotbeam.proto.Telemetry;

/**
 * Content hashes: the identity of a reading for de-duplication, independent of how it was
 * framed. 128 bits of SHA-256: collisions are not a practical concern at any fleet size.
 */
public final class ContentHash {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  });

  private ContentHash() {}

  public static String hex(byte[] bytes) {
    byte[] d = SHA256.get().digest(bytes);
    return HexFormat.of().formatHex(d, 0, 16);
  }

  /** The full SHA-256 in hex, as {@code sha256sum} prints it: to check a payload fetched later. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(SHA256.get().digest(bytes));
  }

  /**
   * The hash of a reading's content. The message is re-serialized deterministically so that the
   * same reading hashes the same whatever field order or schema version its writer used. The
   * device id and timestamp are part of the message, hence of the hash.
   */
  public static String of(Telemetry t) {
    return hex(t.toBuilder().setSchemaVersion(0).build().toByteArray());
  }
}
