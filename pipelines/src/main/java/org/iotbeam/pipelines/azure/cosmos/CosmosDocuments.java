package org.iotbeam.pipelines.azure.cosmos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.iotbeam.pipelines.azure.cosmos.VersionedDocument.DocKey;
import org.iotbeam.pipelines.azure.cosmos.VersionedDocument.WriteOrder;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.WindowAggregate;

/**
 * The shape of the hot store's items. Both containers are partitioned by {@value #DEVICE_ID}, so
 * everything about one device is one logical partition: point reads and a read of the partition
 * answer every question the query side asks, with no cross-partition query.
 *
 * <p>Container {@code aggregates} holds two kinds of item ({@value #TYPE}):
 *
 * <ul>
 *   <li>{@code window}: one per device, metric and window, id = the aggregate's id; later panes
 *       replace earlier ones, ordered by (window start, pane index);
 *   <li>{@code latest}: one per device and metric, id = {@code latest|device|metric}, the newest
 *       window's statistics, so "the latest stats of a device" is one point read per metric;
 *       ordered by (window start, pane index), so an old window's late pane never replaces a newer
 *       window.
 * </ul>
 *
 * Container {@code alerts} holds one item per alert id with its latest state, ordered by (state:
 * RAISED &lt; CLEARED, event time): a CLEAR replaces the RAISE, a RAISE replayed after its CLEAR
 * does not resurrect it. An active (RAISED) item carries {@code ttl = -1} so the container's
 * default time-to-live (90 days in Terraform) never expires an alert that is still open; a CLEARED
 * one falls back to the container default.
 *
 * <p>Numbers are JSON numbers (not the strings protobuf's JSON mapping uses for int64) so they sort
 * and compare in the portal and in queries; non-finite doubles become null.
 */
public final class CosmosDocuments {
  public static final String AGGREGATES_CONTAINER = "aggregates";
  public static final String ALERTS_CONTAINER = "alerts";
  public static final String PARTITION_KEY_PATH = "/deviceId";

  public static final String ID = "id";
  public static final String DEVICE_ID = "deviceId";
  public static final String TYPE = "type";
  public static final String RECORD_ID = "recordId";

  /** [major, minor]: see {@link VersionedDocument.WriteOrder}. */
  public static final String ORDER = "writeOrder";

  public static final String TYPE_WINDOW = "window";
  public static final String TYPE_LATEST = "latest";
  public static final String TYPE_ALERT = "alert";

  /**
   * The pane rank of a reprocessed aggregate (see {@link #reprocessedAggregateDocuments}): above
   * any pane index streaming reaches, and exact as a JSON number (Cosmos DB keeps numbers as
   * doubles: {@code Long.MAX_VALUE} came back from the store as a different, negative number).
   */
  public static final long REPROCESSED_PANE = 1L << 50;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private CosmosDocuments() {}

  /** The record id of the "latest" item of a device's metric. */
  public static String latestId(String deviceId, String metric) {
    return "latest|" + deviceId + "|" + metric;
  }

  /** The window item and the device/metric's "latest" item. */
  public static List<VersionedDocument> aggregateDocuments(WindowAggregate a) {
    return aggregateDocuments(a, new WriteOrder(a.getWindowStartMs(), a.getPaneIndex()));
  }

  /**
   * The same items written by reprocessing (a backfill): its aggregate is complete for its window,
   * so it ranks above every pane streaming writes for that window (order (window start, {@value
   * #REPROCESSED_PANE})): it replaces them, and a rerun of the backfill replaces it; a newer
   * window's "latest" item still wins.
   */
  public static List<VersionedDocument> reprocessedAggregateDocuments(WindowAggregate a) {
    return aggregateDocuments(a, new WriteOrder(a.getWindowStartMs(), REPROCESSED_PANE));
  }

  private static List<VersionedDocument> aggregateDocuments(WindowAggregate a, WriteOrder order) {
    return List.of(
        document(a.getId(), a.getDeviceId(), TYPE_WINDOW, order, aggregateFields(a)),
        document(
            latestId(a.getDeviceId(), a.getMetric()),
            a.getDeviceId(),
            TYPE_LATEST,
            order,
            aggregateFields(a)));
  }

  public static List<VersionedDocument> alertDocuments(Alert a) {
    long rank = a.getState() == AlertState.CLEARED ? 2 : a.getState() == AlertState.RAISED ? 1 : 0;
    ObjectNode f = JSON.objectNode();
    f.put("ruleId", a.getRuleId());
    f.put("kind", a.getKind().name());
    f.put("metric", a.getMetric());
    f.put("severity", a.getSeverity().name());
    f.put("priority", a.getPriority());
    f.put("state", a.getState().name());
    f.put("active", a.getState() == AlertState.RAISED);
    f.put("raisedAtMs", a.getRaisedAtMs());
    f.put("clearedAtMs", a.getClearedAtMs());
    f.put("eventTimeMs", a.getEventTimeMs());
    putDouble(f, "value", a.getValue());
    putDouble(f, "threshold", a.getThreshold());
    f.put("message", a.getMessage());
    f.put("traceparent", a.getTraceparent());
    f.put("deviceType", a.getDeviceType());
    f.put("site", a.getSite());
    if (a.getState() == AlertState.RAISED) {
      f.put("ttl", -1);
    }
    return List.of(
        document(
            a.getId(), a.getDeviceId(), TYPE_ALERT, new WriteOrder(rank, a.getEventTimeMs()), f));
  }

  private static ObjectNode aggregateFields(WindowAggregate a) {
    ObjectNode f = JSON.objectNode();
    f.put("aggregateId", a.getId());
    f.put("metric", a.getMetric());
    f.put("deviceType", a.getDeviceType());
    f.put("site", a.getSite());
    f.put("windowStartMs", a.getWindowStartMs());
    f.put("windowEndMs", a.getWindowEndMs());
    f.put("count", a.getCount());
    putDouble(f, "min", a.getMin());
    putDouble(f, "max", a.getMax());
    putDouble(f, "mean", a.getMean());
    putDouble(f, "stddev", a.getStddev());
    f.put("firstTimestampMs", a.getFirstTimestampMs());
    f.put("lastTimestampMs", a.getLastTimestampMs());
    f.put("paneTiming", a.getPaneTiming().name());
    f.put("paneIndex", a.getPaneIndex());
    f.put("finalPane", a.getFinalPane());
    return f;
  }

  private static VersionedDocument document(
      String recordId, String deviceId, String type, WriteOrder order, ObjectNode fields) {
    if (deviceId == null || deviceId.isEmpty()) {
      throw new IllegalArgumentException(
          "record " + recordId + " has no device id, which is " + "the partition key");
    }
    ObjectNode body = JSON.objectNode();
    String id = CosmosIds.itemId(recordId);
    body.put(ID, id);
    body.put(DEVICE_ID, deviceId);
    body.put(TYPE, type);
    body.put(RECORD_ID, recordId);
    body.setAll(fields);
    body.putArray(ORDER).add(order.major()).add(order.minor());
    return new VersionedDocument(new DocKey(id, deviceId), body, order);
  }

  /** The order stored in an item, or null when it has none (written by something else). */
  public static WriteOrder orderOf(JsonNode item) {
    JsonNode o = item == null ? null : item.get(ORDER);
    if (o == null || !o.isArray() || o.size() != 2) {
      return null;
    }
    return new WriteOrder(o.get(0).asLong(), o.get(1).asLong());
  }

  private static void putDouble(ObjectNode node, String field, double v) {
    if (Double.isFinite(v)) {
      node.put(field, v);
    } else {
      node.putNull(field);
    }
  }
}
