package org.iotbeam.pipelines.azure.cosmos;

import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBulkExecutionOptions;
import com.azure.cosmos.models.CosmosBulkItemRequestOptions;
import com.azure.cosmos.models.CosmosBulkItemResponse;
import com.azure.cosmos.models.CosmosBulkOperationResponse;
import com.azure.cosmos.models.CosmosBulkOperations;
import com.azure.cosmos.models.CosmosItemOperation;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.iotbeam.pipelines.azure.cosmos.VersionedDocument.DocKey;
import reactor.core.publisher.Flux;

/**
 * {@link BulkStore} over the SDK's bulk executor ({@code executeBulkOperations}): each call is one
 * bulk execution, which the SDK groups per physical partition into batch requests and retries on
 * 429 under the client's {@code ThrottlingRetryOptions}. The operation's context carries the input
 * index, so results are put back in input order.
 */
public final class CosmosBulkStore implements BulkStore {
  private final CosmosAsyncContainer container;
  private final Duration timeout;

  public CosmosBulkStore(CosmosAsyncContainer container, Duration timeout) {
    this.container = container;
    this.timeout = timeout;
  }

  @Override
  public List<ItemResult> read(List<DocKey> keys) {
    List<CosmosItemOperation> ops = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      DocKey k = keys.get(i);
      ops.add(
          CosmosBulkOperations.getReadItemOperation(
              k.id(), new PartitionKey(k.partitionKey()), Integer.valueOf(i)));
    }
    return execute(ops, true);
  }

  @Override
  public List<ItemResult> write(List<WriteOp> writes) {
    List<CosmosItemOperation> ops = new ArrayList<>(writes.size());
    for (int i = 0; i < writes.size(); i++) {
      WriteOp w = writes.get(i);
      VersionedDocument d = w.document();
      PartitionKey pk = new PartitionKey(d.key().partitionKey());
      CosmosBulkItemRequestOptions options =
          new CosmosBulkItemRequestOptions().setContentResponseOnWriteEnabled(false);
      Integer index = i;
      ops.add(
          switch (w.kind()) {
            case CREATE ->
                CosmosBulkOperations.getCreateItemOperation(d.body(), pk, options, index);
            case REPLACE_IF_MATCH ->
                CosmosBulkOperations.getReplaceItemOperation(
                    d.key().id(), d.body(), pk, options.setIfMatchETag(w.ifMatchEtag()), index);
            case UPSERT ->
                CosmosBulkOperations.getUpsertItemOperation(d.body(), pk, options, index);
          });
    }
    return execute(ops, false);
  }

  private List<ItemResult> execute(List<CosmosItemOperation> ops, boolean withItems) {
    ItemResult[] results = new ItemResult[ops.size()];
    if (ops.isEmpty()) {
      return List.of();
    }
    String transportError = null;
    try {
      container
          .executeBulkOperations(Flux.fromIterable(ops), new CosmosBulkExecutionOptions())
          .doOnNext(
              r -> {
                Integer index = r.getOperation().getContext();
                results[index] = toResult(r, withItems);
              })
          .blockLast(timeout);
    } catch (RuntimeException e) {
      // the whole execution failed (timeout, client closed): what has no result is retried
      transportError = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    List<ItemResult> out = new ArrayList<>(Arrays.asList(results));
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i) == null) {
        out.set(
            i,
            ItemResult.noResponse(
                transportError != null ? transportError : "no response from the bulk executor"));
      }
    }
    return out;
  }

  private static ItemResult toResult(CosmosBulkOperationResponse<Object> r, boolean withItems) {
    CosmosBulkItemResponse response = r.getResponse();
    if (response != null) {
      ObjectNode item =
          withItems && response.isSuccessStatusCode() ? response.getItem(ObjectNode.class) : null;
      Duration retryAfter = response.getRetryAfterDuration();
      return new ItemResult(
          response.getStatusCode(),
          response.getSubStatusCode(),
          retryAfter == null ? Duration.ZERO : retryAfter,
          response.getETag(),
          item,
          response.isSuccessStatusCode() ? null : "bulk item response");
    }
    Exception e = r.getException();
    if (e instanceof CosmosException ce) {
      Duration retryAfter = ce.getRetryAfterDuration();
      return new ItemResult(
          ce.getStatusCode(),
          ce.getSubStatusCode(),
          retryAfter == null ? Duration.ZERO : retryAfter,
          null,
          null,
          ce.getShortMessage());
    }
    return ItemResult.noResponse(e == null ? "no response" : e.toString());
  }
}
