package org.iotbeam.pipelines.kafka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.TimestampedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Another unbounded source's records, handed on a batch at a time: each element is the list of
 * records the inner reader had ready, each with its own timestamp.
 *
 * <p><b>Why.</b> Beam's Flink source reader publishes the source step's metrics to Flink after
 * every {@code advance()} ({@code ReaderInvocationUtil.invokeAdvance} calls {@code
 * FlinkMetricContainerBase.updateMetrics}: a query over every metric of the step, their Flink names
 * built again). Profiled in the streaming benchmark, that was 28% of the source thread, about 7 µs
 * a record; so was part of the wrapping every element gets on its way out (a windowed value, a
 * record id, the next operator's metrics scope). One element a batch pays them once a batch.
 *
 * <p><b>How long a record waits.</b> A batch closes when the inner reader has nothing more ({@code
 * advance()} false), at {@code maxRecords}, or once {@code maxDelay} has passed since it opened: a
 * record is held at most {@code maxDelay} plus one wait of the inner reader for new data (KafkaIO's
 * reader waits at most 20 ms). Under a backlog, batches fill at once.
 *
 * <p><b>Semantics kept.</b> Watermark, checkpoint mark and backlog are the inner reader's, and a
 * runner asks for them between two elements, when every record the inner reader has consumed has
 * left in a batch: a checkpoint never splits a batch. Each record keeps its timestamp; the batch is
 * stamped with the earliest, so unpacking moves timestamps forward only. A restore hands the inner
 * source its own checkpoint mark.
 */
public final class RecordBatchSource<T, M extends UnboundedSource.CheckpointMark>
    extends UnboundedSource<List<TimestampedValue<T>>, M> {
  private final UnboundedSource<T, M> inner;
  private final int maxRecords;
  private final long maxDelayNanos;

  private RecordBatchSource(UnboundedSource<T, M> inner, int maxRecords, long maxDelayNanos) {
    this.inner = inner;
    this.maxRecords = maxRecords;
    this.maxDelayNanos = maxDelayNanos;
  }

  /**
   * @param maxRecords at most this many records a batch
   * @param maxDelay close a batch once this long has passed since it opened
   */
  public static <T, M extends UnboundedSource.CheckpointMark> RecordBatchSource<T, M> of(
      UnboundedSource<T, M> inner, int maxRecords, java.time.Duration maxDelay) {
    if (inner.requiresDeduping()) { // record ids are per record; a batch has none to give
      throw new IllegalArgumentException(
          inner.getClass().getSimpleName() + " needs de-duplication by record id: not batchable");
    }
    if (maxRecords < 1 || maxDelay.isNegative()) {
      throw new IllegalArgumentException(
          "a batch holds at least one record and waits zero or more: "
              + maxRecords
              + ", "
              + maxDelay);
    }
    return new RecordBatchSource<>(inner, maxRecords, maxDelay.toNanos());
  }

  @Override
  public List<RecordBatchSource<T, M>> split(int desiredNumSplits, PipelineOptions options)
      throws Exception {
    List<RecordBatchSource<T, M>> splits = new ArrayList<>();
    for (UnboundedSource<T, M> s : inner.split(desiredNumSplits, options)) {
      splits.add(new RecordBatchSource<>(s, maxRecords, maxDelayNanos));
    }
    return splits;
  }

  @Override
  public UnboundedReader<List<TimestampedValue<T>>> createReader(
      PipelineOptions options, @Nullable M checkpointMark) throws IOException {
    return new BatchReader<>(this, inner.createReader(options, checkpointMark));
  }

  @Override
  public Coder<M> getCheckpointMarkCoder() {
    return inner.getCheckpointMarkCoder();
  }

  @Override
  public Coder<List<TimestampedValue<T>>> getOutputCoder() {
    return ListCoder.of(TimestampedValue.TimestampedValueCoder.of(inner.getOutputCoder()));
  }

  @Override
  public void validate() {
    inner.validate();
  }

  private static final class BatchReader<T, M extends UnboundedSource.CheckpointMark>
      extends UnboundedReader<List<TimestampedValue<T>>> {
    private final RecordBatchSource<T, M> source;
    private final UnboundedReader<T> inner;
    private @Nullable List<TimestampedValue<T>> batch;
    private Instant batchTimestamp = Instant.EPOCH;

    BatchReader(RecordBatchSource<T, M> source, UnboundedReader<T> inner) {
      this.source = source;
      this.inner = inner;
    }

    @Override
    public boolean start() throws IOException {
      return fill(inner.start());
    }

    @Override
    public boolean advance() throws IOException {
      return fill(inner.advance());
    }

    private boolean fill(boolean innerHasRecord) throws IOException {
      if (!innerHasRecord) {
        batch = null;
        return false;
      }
      long closeAt = System.nanoTime() + source.maxDelayNanos;
      List<TimestampedValue<T>> records = new ArrayList<>();
      Instant earliest = take(records);
      while (records.size() < source.maxRecords
          && System.nanoTime() - closeAt < 0
          && inner.advance()) {
        Instant t = take(records);
        if (t.isBefore(earliest)) {
          earliest = t;
        }
      }
      batch = records;
      batchTimestamp = earliest;
      return true;
    }

    private Instant take(List<TimestampedValue<T>> records) {
      Instant t = inner.getCurrentTimestamp();
      records.add(TimestampedValue.of(inner.getCurrent(), t));
      return t;
    }

    @Override
    public List<TimestampedValue<T>> getCurrent() {
      if (batch == null) {
        throw new NoSuchElementException("no batch: start() or advance() returned false");
      }
      return batch;
    }

    @Override
    public Instant getCurrentTimestamp() {
      getCurrent();
      return batchTimestamp;
    }

    @Override
    public Instant getWatermark() {
      return inner.getWatermark();
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return inner.getCheckpointMark();
    }

    @Override
    public long getSplitBacklogBytes() {
      return inner.getSplitBacklogBytes();
    }

    @Override
    public long getTotalBacklogBytes() {
      return inner.getTotalBacklogBytes();
    }

    @Override
    public UnboundedSource<List<TimestampedValue<T>>, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }
}
