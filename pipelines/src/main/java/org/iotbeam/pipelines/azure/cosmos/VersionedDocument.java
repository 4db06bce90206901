package org.iotbeam.pipelines.azure.cosmos;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Cosmos DB item to write, with the order that decides whether it may replace what is stored: a
 * write with a lower {@link WriteOrder} than the stored item's is skipped (an older pane or an
 * older alert state arriving late), an equal or higher one replaces it.
 *
 * @param key where it goes (item id and partition key value)
 * @param body the full item, including {@code id}, the partition key field and {@link
 *     CosmosDocuments#ORDER}
 * @param order the write order, also stored in {@code body}
 */
public record VersionedDocument(DocKey key, ObjectNode body, WriteOrder order) {

  /** Item id and partition key value. */
  public record DocKey(String id, String partitionKey) {}

  /** Compared as (major, minor). */
  public record WriteOrder(long major, long minor) implements Comparable<WriteOrder> {
    @Override
    public int compareTo(WriteOrder o) {
      int c = Long.compare(major, o.major);
      return c != 0 ? c : Long.compare(minor, o.minor);
    }
  }
}
