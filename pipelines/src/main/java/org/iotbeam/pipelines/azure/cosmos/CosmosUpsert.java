package org.iotbeam.pipelines.azure.cosmos;

import com.azure.cosmos.CosmosAsyncClient;
import com.google.protobuf.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.domain.validation.Stage;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.DeadLetters;
import org.iotbeam.transforms.TelemetryMetrics;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records into a Cosmos DB container, idempotently and in bulk, and returns what it could
 * not write as dead letters (stage {@link Stage#SINK}, reason {@link Reason#SINK_WRITE_FAILED}, the
 * record's bytes as payload, so they can be replayed).
 *
 * <ul>
 *   <li>{@link #aggregates(CosmosConnection)}: container {@code aggregates}, a window item per
 *       aggregate id plus a "latest" item per device and metric (see {@link CosmosDocuments});
 *   <li>{@link #alerts(CosmosConnection)}: container {@code alerts}, one item per alert id holding
 *       its latest state.
 * </ul>
 *
 * <p>Per bundle, records are buffered and written in batches of {@link #withMaxBatchSize(int)} (and
 * at the end of the bundle) by {@link ConditionalBulkWriter}: an older pane or alert state never
 * replaces a newer one, throttled items are retried honouring retry-after. The client is created in
 * {@code @Setup} and closed in {@code @Teardown}. Counters (namespace {@value
 * TelemetryMetrics#NAMESPACE}): {@code cosmos_<container>_written}, {@code _stale_skipped}, {@code
 * _retried}, {@code _failed}.
 */
public final class CosmosUpsert<T extends Message>
    extends PTransform<PCollection<T>, PCollection<DeadLetter>> {

  private final CosmosConnection connection;
  private final String container;
  private final SerializableFunction<T, List<VersionedDocument>> mapper;
  private final SerializableFunction<T, String> recordId;
  private final RetryPolicy retryPolicy;
  private final boolean orderGuard;
  private final int maxBatchSize;

  private CosmosUpsert(
      CosmosConnection connection,
      String container,
      SerializableFunction<T, List<VersionedDocument>> mapper,
      SerializableFunction<T, String> recordId,
      RetryPolicy retryPolicy,
      boolean orderGuard,
      int maxBatchSize) {
    this.connection = connection;
    this.container = container;
    this.mapper = mapper;
    this.recordId = recordId;
    this.retryPolicy = retryPolicy;
    this.orderGuard = orderGuard;
    this.maxBatchSize = maxBatchSize;
  }

  public static CosmosUpsert<WindowAggregate> aggregates(CosmosConnection connection) {
    return new CosmosUpsert<>(
        connection,
        CosmosDocuments.AGGREGATES_CONTAINER,
        CosmosDocuments::aggregateDocuments,
        WindowAggregate::getId,
        RetryPolicy.defaults(),
        true,
        500);
  }

  /**
   * Aggregates recomputed by a backfill: they replace every pane streaming stored for their
   * windows, never a newer window's "latest" item ({@link
   * CosmosDocuments#reprocessedAggregateDocuments}).
   */
  public static CosmosUpsert<WindowAggregate> reprocessedAggregates(CosmosConnection connection) {
    return new CosmosUpsert<>(
        connection,
        CosmosDocuments.AGGREGATES_CONTAINER,
        CosmosDocuments::reprocessedAggregateDocuments,
        WindowAggregate::getId,
        RetryPolicy.defaults(),
        true,
        500);
  }

  public static CosmosUpsert<Alert> alerts(CosmosConnection connection) {
    return new CosmosUpsert<>(
        connection,
        CosmosDocuments.ALERTS_CONTAINER,
        CosmosDocuments::alertDocuments,
        Alert::getId,
        RetryPolicy.defaults(),
        true,
        500);
  }

  public CosmosUpsert<T> withContainer(String value) {
    return new CosmosUpsert<>(
        connection, value, mapper, recordId, retryPolicy, orderGuard, maxBatchSize);
  }

  public CosmosUpsert<T> withRetryPolicy(RetryPolicy value) {
    return new CosmosUpsert<>(
        connection, container, mapper, recordId, value, orderGuard, maxBatchSize);
  }

  /**
   * Off: plain upserts, last writer wins. For a backfill that recomputes windows and must replace
   * what the stream wrote (a recomputed pane 0 would otherwise lose to a stored pane 3).
   */
  public CosmosUpsert<T> withOrderGuard(boolean value) {
    return new CosmosUpsert<>(
        connection, container, mapper, recordId, retryPolicy, value, maxBatchSize);
  }

  public CosmosUpsert<T> withMaxBatchSize(int value) {
    return new CosmosUpsert<>(
        connection, container, mapper, recordId, retryPolicy, orderGuard, value);
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<T> input) {
    return input
        .apply(
            "WriteTo_" + container,
            ParDo.of(
                new WriteFn<>(
                    connection,
                    container,
                    mapper,
                    recordId,
                    retryPolicy,
                    orderGuard,
                    maxBatchSize)))
        .setCoder(Coders.DEAD_LETTER);
  }

  static final class WriteFn<T extends Message> extends DoFn<T, DeadLetter> {
    private static final Logger LOG = LoggerFactory.getLogger(CosmosUpsert.class);
    private static final Duration BULK_TIMEOUT = Duration.ofMinutes(5);

    private final CosmosConnection connection;
    private final String container;
    private final SerializableFunction<T, List<VersionedDocument>> mapper;
    private final SerializableFunction<T, String> recordId;
    private final RetryPolicy retryPolicy;
    private final boolean orderGuard;
    private final int maxBatchSize;

    private final Counter written;
    private final Counter stale;
    private final Counter retried;
    private final Counter failed;

    private transient CosmosAsyncClient client;
    private transient ConditionalBulkWriter writer;
    private transient List<Buffered<T>> buffer;
    private transient List<DeadLetterOut> failures;

    private record Buffered<T>(T record, Instant timestamp, BoundedWindow window) {}

    private record DeadLetterOut(DeadLetter deadLetter, Instant timestamp, BoundedWindow window) {}

    WriteFn(
        CosmosConnection connection,
        String container,
        SerializableFunction<T, List<VersionedDocument>> mapper,
        SerializableFunction<T, String> recordId,
        RetryPolicy retryPolicy,
        boolean orderGuard,
        int maxBatchSize) {
      this.connection = connection;
      this.container = container;
      this.mapper = mapper;
      this.recordId = recordId;
      this.retryPolicy = retryPolicy;
      this.orderGuard = orderGuard;
      this.maxBatchSize = maxBatchSize;
      String prefix = "cosmos_" + container + "_";
      this.written = TelemetryMetrics.counter(prefix + "written");
      this.stale = TelemetryMetrics.counter(prefix + "stale_skipped");
      this.retried = TelemetryMetrics.counter(prefix + "retried");
      this.failed = TelemetryMetrics.counter(prefix + "failed");
    }

    @Setup
    public void setup() {
      client = connection.createAsyncClient();
      writer =
          new ConditionalBulkWriter(
              new CosmosBulkStore(
                  client.getDatabase(connection.database()).getContainer(container), BULK_TIMEOUT),
              retryPolicy,
              Sleeper.REAL,
              orderGuard);
    }

    @StartBundle
    public void startBundle() {
      buffer = new ArrayList<>();
      failures = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element T record, @Timestamp Instant timestamp, BoundedWindow window)
        throws InterruptedException {
      buffer.add(new Buffered<>(record, timestamp, window));
      if (buffer.size() >= maxBatchSize) {
        flush();
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws InterruptedException {
      flush();
      for (DeadLetterOut f : failures) {
        context.output(f.deadLetter(), f.timestamp(), f.window());
      }
      failures.clear();
    }

    @Teardown
    public void teardown() {
      if (client != null) {
        client.close();
        client = null;
      }
    }

    private void flush() throws InterruptedException {
      if (buffer.isEmpty()) {
        return;
      }
      List<VersionedDocument> documents = new ArrayList<>();
      Map<VersionedDocument, Buffered<T>> source = new IdentityHashMap<>();
      Map<Buffered<T>, String> unmappable = new IdentityHashMap<>();
      for (Buffered<T> b : buffer) {
        try {
          for (VersionedDocument d : mapper.apply(b.record())) {
            documents.add(d);
            source.put(d, b);
          }
        } catch (RuntimeException e) {
          unmappable.put(b, "not mappable to a Cosmos DB item: " + e.getMessage());
        }
      }
      ConditionalBulkWriter.Summary summary = writer.write(documents);
      written.inc(summary.written());
      stale.inc(summary.stale());
      retried.inc(summary.retriedItems());

      // one dead letter per record, whichever of its items failed
      Map<Buffered<T>, String> failedRecords = new IdentityHashMap<>(unmappable);
      for (ConditionalBulkWriter.Failure f : summary.failures()) {
        failedRecords.merge(
            source.get(f.document()),
            f.document().key().id() + ": " + f.reason(),
            (a, b) -> a + "; " + b);
      }
      for (Buffered<T> b : buffer) {
        String detail = failedRecords.get(b);
        if (detail == null) {
          continue;
        }
        failed.inc();
        String id = recordId.apply(b.record());
        LOG.error("Cosmos DB container {}: could not write record {}: {}", container, id, detail);
        failures.add(
            new DeadLetterOut(deadLetter(id, b.record(), detail), b.timestamp(), b.window()));
      }
      if (summary.stale() > 0 || summary.retriedItems() > 0) {
        LOG.info(
            "Cosmos DB container {}: {} written, {} stale skipped, {} retried in {} rounds",
            container,
            summary.written(),
            summary.stale(),
            summary.retriedItems(),
            summary.rounds());
      }
      buffer.clear();
    }

    private DeadLetter deadLetter(String id, T record, String detail) {
      return DeadLetters.sinkFailure(
          "cosmos/" + connection.database() + "/" + container,
          id,
          record.toByteString(),
          "",
          Reason.SINK_WRITE_FAILED,
          detail);
    }
  }
}
