package org.iotbeam.pipelines.azure.cosmos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.iotbeam.pipelines.azure.cosmos.VersionedDocument.DocKey;

/**
 * The few bulk operations {@link ConditionalBulkWriter} needs, so its read-compare-write and retry
 * logic is tested against a fake and runs against {@link CosmosBulkStore} in production. Results
 * come back in the order of the input; a per-item failure is a result, never an exception.
 */
public interface BulkStore {

  List<ItemResult> read(List<DocKey> keys);

  List<ItemResult> write(List<WriteOp> ops);

  /** What to do with one document. */
  enum WriteKind {
    /** Create; fails with 409 if it exists meanwhile. */
    CREATE,
    /** Replace if the stored etag still matches; 412 otherwise. */
    REPLACE_IF_MATCH,
    /** Unconditional upsert (the order guard is off). */
    UPSERT
  }

  record WriteOp(WriteKind kind, VersionedDocument document, String ifMatchEtag) {}

  /**
   * The outcome of one item operation.
   *
   * @param statusCode HTTP status; 0 when no response came (a transport error)
   * @param retryAfter the server's retry-after for throttled items, else {@link Duration#ZERO}
   * @param etag of the stored item (reads and writes)
   * @param item the stored item (reads only)
   * @param error a short description when the operation failed
   */
  record ItemResult(
      int statusCode,
      int subStatusCode,
      Duration retryAfter,
      String etag,
      ObjectNode item,
      String error) {
    public boolean ok() {
      return statusCode >= 200 && statusCode < 300;
    }

    public static ItemResult noResponse(String error) {
      return new ItemResult(0, 0, Duration.ZERO, null, null, error);
    }
  }
}
