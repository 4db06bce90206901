package org.iotbeam.pipelines.azure.cosmos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotbeam.pipelines.azure.cosmos.BulkStore.ItemResult;
import org.iotbeam.pipelines.azure.cosmos.BulkStore.WriteKind;
import org.iotbeam.pipelines.azure.cosmos.BulkStore.WriteOp;
import org.iotbeam.pipelines.azure.cosmos.VersionedDocument.DocKey;
import org.iotbeam.pipelines.azure.cosmos.VersionedDocument.WriteOrder;

/**
 * Writes a batch of documents so that a newer version is never overwritten by an older one, and
 * retries what failed transiently.
 *
 * <p>Why conditional: Beam does not promise that two panes of one window reach the sink in order
 * (different bundles, a retried bundle, a replay after a restore, a second sink instance). A plain
 * upsert would let pane 1 arriving after pane 2 win. So each round:
 *
 * <ol>
 *   <li>bulk point-read the stored items (404: absent);
 *   <li>skip documents whose {@link WriteOrder} is lower than the stored one ("stale");
 *   <li>bulk create the absent ones, and replace the others with if-match on the etag read;
 *   <li>409 / 412 (someone wrote in between) go to the next round with a fresh read, transient
 *       failures (429, 503, ...) to the next round after the {@link RetryPolicy}'s delay, which
 *       honours the longest retry-after seen; anything else is a permanent failure.
 * </ol>
 *
 * Rounds are bounded by {@link RetryPolicy#maxAttempts()}; what is left then is reported as failed,
 * never dropped. Equal orders overwrite: a replay rewrites the same content.
 *
 * <p>With the guard off ({@code orderGuard = false}) it is a plain bulk upsert with the same retry
 * loop: one round trip instead of two, for backfills that must overwrite whatever is stored.
 */
public final class ConditionalBulkWriter {
  private final BulkStore store;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final boolean orderGuard;

  public ConditionalBulkWriter(
      BulkStore store, RetryPolicy policy, Sleeper sleeper, boolean orderGuard) {
    this.store = store;
    this.policy = policy;
    this.sleeper = sleeper;
    this.orderGuard = orderGuard;
  }

  /** A document that could not be written, and why. */
  public record Failure(VersionedDocument document, int statusCode, String reason) {}

  /** What one call did. */
  public record Summary(
      int written,
      int stale,
      int superseded,
      int retriedItems,
      int rounds,
      List<Failure> failures) {}

  public Summary write(List<VersionedDocument> documents) throws InterruptedException {
    // Within the batch only the highest order per item matters (two panes of one window in one
    // bundle, or several windows feeding one "latest" item).
    Map<DocKey, VersionedDocument> byKey = new LinkedHashMap<>();
    int superseded = 0;
    for (VersionedDocument d : documents) {
      VersionedDocument prev = byKey.get(d.key());
      if (prev == null || d.order().compareTo(prev.order()) >= 0) {
        byKey.put(d.key(), d);
      }
      if (prev != null) {
        superseded++;
      }
    }
    List<VersionedDocument> pending = new ArrayList<>(byKey.values());
    List<Failure> failures = new ArrayList<>();
    int written = 0;
    int stale = 0;
    int retried = 0;
    int round = 0;
    while (!pending.isEmpty()) {
      round++;
      List<VersionedDocument> again = new ArrayList<>();
      Map<VersionedDocument, ItemResult> lastError = new LinkedHashMap<>();
      Duration retryAfter = Duration.ZERO;

      List<WriteOp> ops = new ArrayList<>();
      if (orderGuard) {
        List<ItemResult> reads = store.read(pending.stream().map(VersionedDocument::key).toList());
        for (int i = 0; i < pending.size(); i++) {
          VersionedDocument d = pending.get(i);
          ItemResult r = reads.get(i);
          if (r.statusCode() == 404) {
            ops.add(new WriteOp(WriteKind.CREATE, d, null));
          } else if (r.ok()) {
            WriteOrder stored = CosmosDocuments.orderOf(r.item());
            if (stored != null && stored.compareTo(d.order()) > 0) {
              stale++;
            } else {
              ops.add(new WriteOp(WriteKind.REPLACE_IF_MATCH, d, r.etag()));
            }
          } else if (RetryPolicy.isTransient(r.statusCode())) {
            again.add(d);
            lastError.put(d, r);
            retryAfter = max(retryAfter, r.retryAfter());
          } else {
            failures.add(failure(d, r, "read"));
          }
        }
      } else {
        for (VersionedDocument d : pending) {
          ops.add(new WriteOp(WriteKind.UPSERT, d, null));
        }
      }

      if (!ops.isEmpty()) {
        List<ItemResult> results = store.write(ops);
        for (int i = 0; i < ops.size(); i++) {
          VersionedDocument d = ops.get(i).document();
          ItemResult r = results.get(i);
          if (r.ok()) {
            written++;
          } else if (RetryPolicy.isConflict(r.statusCode())) {
            again.add(d); // re-read and compare again, no wait needed
            lastError.put(d, r);
          } else if (RetryPolicy.isTransient(r.statusCode())) {
            again.add(d);
            lastError.put(d, r);
            retryAfter = max(retryAfter, r.retryAfter());
          } else {
            failures.add(failure(d, r, ops.get(i).kind().name().toLowerCase()));
          }
        }
      }

      if (again.isEmpty()) {
        break;
      }
      if (!policy.mayRetry(round)) {
        for (VersionedDocument d : again) {
          ItemResult r = lastError.get(d);
          failures.add(
              new Failure(
                  d, r.statusCode(), "gave up after " + round + " attempts: " + describe(r)));
        }
        break;
      }
      retried += again.size();
      boolean onlyConflicts =
          again.stream().allMatch(d -> RetryPolicy.isConflict(lastError.get(d).statusCode()));
      if (!onlyConflicts) {
        sleeper.sleep(policy.delay(round, retryAfter));
      }
      pending = again;
    }
    return new Summary(written, stale, superseded, retried, round, failures);
  }

  private static Failure failure(VersionedDocument d, ItemResult r, String op) {
    return new Failure(d, r.statusCode(), op + " failed: " + describe(r));
  }

  private static String describe(ItemResult r) {
    String s = "status " + r.statusCode() + (r.subStatusCode() != 0 ? "/" + r.subStatusCode() : "");
    return r.error() == null || r.error().isEmpty() ? s : s + " (" + r.error() + ")";
  }

  private static Duration max(Duration a, Duration b) {
    return b != null && b.compareTo(a) > 0 ? b : a;
  }
}
