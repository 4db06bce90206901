package org.iotbeam.pipelines.azure.cosmos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.iotbeam.pipelines.azure.cosmos.VersionedDocument.DocKey;

/**
 * An in-memory {@link BulkStore} with etags, plus scripted failures: each queued {@link ItemResult}
 * is returned instead of the real outcome for the next operation (read or write, in call order), so
 * a test can say "the next two operations are throttled".
 */
final class FakeBulkStore implements BulkStore {
  final Map<DocKey, ObjectNode> items = new HashMap<>();
  final Map<DocKey, String> etags = new HashMap<>();
  final Deque<ItemResult> scripted = new ArrayDeque<>();
  final List<String> calls = new ArrayList<>();

  /** Runs before each write call: lets a test change the store "concurrently". */
  Runnable beforeWrite = () -> {};

  private int etagCounter;

  static ItemResult throttled(long retryAfterMs) {
    return new ItemResult(429, 3200, Duration.ofMillis(retryAfterMs), null, null, "throttled");
  }

  static ItemResult status(int code) {
    return new ItemResult(code, 0, Duration.ZERO, null, null, "scripted " + code);
  }

  void put(VersionedDocument d) {
    items.put(d.key(), d.body().deepCopy());
    etags.put(d.key(), "e" + (++etagCounter));
  }

  @Override
  public List<ItemResult> read(List<DocKey> keys) {
    calls.add("read " + keys.size());
    List<ItemResult> out = new ArrayList<>();
    for (DocKey k : keys) {
      if (!scripted.isEmpty()) {
        out.add(scripted.poll());
      } else if (items.containsKey(k)) {
        out.add(new ItemResult(200, 0, Duration.ZERO, etags.get(k), items.get(k).deepCopy(), null));
      } else {
        out.add(status(404));
      }
    }
    return out;
  }

  @Override
  public List<ItemResult> write(List<WriteOp> ops) {
    calls.add("write " + ops.size());
    beforeWrite.run();
    List<ItemResult> out = new ArrayList<>();
    for (WriteOp op : ops) {
      DocKey k = op.document().key();
      if (!scripted.isEmpty()) {
        out.add(scripted.poll());
        continue;
      }
      boolean exists = items.containsKey(k);
      int code =
          switch (op.kind()) {
            case CREATE -> exists ? 409 : 201;
            case REPLACE_IF_MATCH ->
                !exists ? 404 : !etags.get(k).equals(op.ifMatchEtag()) ? 412 : 200;
            case UPSERT -> exists ? 200 : 201;
          };
      if (code < 300) {
        put(op.document());
      }
      out.add(new ItemResult(code, 0, Duration.ZERO, etags.get(k), null, null));
    }
    return out;
  }
}
