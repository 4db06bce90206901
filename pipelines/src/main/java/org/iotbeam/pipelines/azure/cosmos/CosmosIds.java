package org.iotbeam.pipelines.azure.cosmos;

/**
 * Maps a record id to a valid Cosmos DB item id, deterministically and reversibly.
 *
 * <p>Cosmos DB ids may not contain {@code / \ ? #} (they would break the resource URL) and are at
 * most 1023 bytes. The record ids of this platform ({@code device|metric|windowStart}, {@code
 * device|rule|raisedAt}) normally contain none of these: '|' is allowed and kept, so the item id
 * equals the record id and an operator can paste one into the portal. A device id is checked
 * against a pattern upstream, but the sink does not rely on it: the forbidden characters and the
 * escape character itself are written as {@code ~XX} (hex of the character), which keeps the
 * mapping injective (two different record ids never share an item id).
 */
public final class CosmosIds {
  static final char ESCAPE = '~';

  /** Cosmos DB's limit on the id, in bytes of UTF-8. */
  static final int MAX_ID_BYTES = 1023;

  private CosmosIds() {}

  public static String itemId(String recordId) {
    if (recordId == null || recordId.isEmpty()) {
      throw new IllegalArgumentException("a record without an id cannot be written to Cosmos DB");
    }
    StringBuilder out = null;
    for (int i = 0; i < recordId.length(); i++) {
      char c = recordId.charAt(i);
      boolean escape =
          c == '/' || c == '\\' || c == '?' || c == '#' || c == ESCAPE || Character.isISOControl(c);
      if (escape && out == null) {
        out = new StringBuilder(recordId.length() + 8).append(recordId, 0, i);
      }
      if (out != null) {
        if (escape) {
          // every escaped character is below 0x100 (ASCII and the C0/C1 controls): two hex digits
          out.append(ESCAPE).append(String.format("%02X", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    String id = out == null ? recordId : out.toString();
    if (id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
      throw new IllegalArgumentException(
          "record id longer than Cosmos DB's "
              + MAX_ID_BYTES
              + " bytes: "
              + id.substring(0, 64)
              + "...");
    }
    return id;
  }
}
