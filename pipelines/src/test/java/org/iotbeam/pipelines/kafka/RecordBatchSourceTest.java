package org.iotbeam.pipelines.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.Test;

public class RecordBatchSourceTest {
  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();
  private static final Duration NO_DELAY_LIMIT = Duration.ofMinutes(1);

  @Test
  public void aBatchIsWhatTheInnerReaderHadReady() throws IOException {
    // 1, 2, 3 ready; a moment with nothing (closes the batch); another; then 4, 5
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> reader =
        RecordBatchSource.of(ScriptedSource.of(1L, 2L, 3L, null, null, 4L, 5L), 100, NO_DELAY_LIMIT)
            .createReader(OPTIONS, null);

    assertTrue(reader.start());
    assertEquals(List.of(1L, 2L, 3L), values(reader.getCurrent()));
    assertFalse("the inner reader had nothing: no empty batch", reader.advance());
    assertThrows(NoSuchElementException.class, reader::getCurrent);
    assertTrue(reader.advance());
    assertEquals(List.of(4L, 5L), values(reader.getCurrent()));
    assertFalse(reader.advance());
  }

  @Test
  public void aBatchHoldsAtMostMaxRecords() throws IOException {
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> reader =
        RecordBatchSource.of(CountingSource.unbounded(), 7, NO_DELAY_LIMIT)
            .createReader(OPTIONS, null);

    assertTrue(reader.start());
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), values(reader.getCurrent()));
    assertTrue(reader.advance());
    assertEquals(List.of(7L, 8L, 9L, 10L, 11L, 12L, 13L), values(reader.getCurrent()));
  }

  @Test
  public void aBatchClosesOnceItsDelayHasPassed() throws IOException {
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> reader =
        RecordBatchSource.of(CountingSource.unbounded(), 1000, Duration.ZERO)
            .createReader(OPTIONS, null);

    assertTrue(reader.start());
    assertEquals(List.of(0L), values(reader.getCurrent()));
    assertTrue(reader.advance());
    assertEquals(List.of(1L), values(reader.getCurrent()));
  }

  @Test
  public void eachRecordKeepsItsTimestampAndTheBatchHasTheEarliest() throws IOException {
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> reader =
        RecordBatchSource.of(ScriptedSource.of(50L, 30L, 90L), 100, NO_DELAY_LIMIT)
            .createReader(OPTIONS, null);

    assertTrue(reader.start());
    List<TimestampedValue<Long>> batch = reader.getCurrent();
    assertEquals(
        List.of(new Instant(50), new Instant(30), new Instant(90)),
        batch.stream().map(TimestampedValue::getTimestamp).toList());
    assertEquals(new Instant(30), reader.getCurrentTimestamp());
  }

  @Test
  public void aRestoreFromACheckpointResumesAfterTheLastBatch() throws Exception {
    RecordBatchSource<Long, CountingSource.CounterMark> source =
        RecordBatchSource.of(CountingSource.unbounded(), 5, NO_DELAY_LIMIT);
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> reader =
        source.createReader(OPTIONS, null);
    assertTrue(reader.start());
    assertTrue(reader.advance()); // 5..9 handed on
    byte[] saved =
        CoderUtils.encodeToByteArray(
            source.getCheckpointMarkCoder(),
            (CountingSource.CounterMark) reader.getCheckpointMark());
    reader.close();

    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> restored =
        source.createReader(
            OPTIONS, CoderUtils.decodeFromByteArray(source.getCheckpointMarkCoder(), saved));

    assertTrue(restored.start());
    assertEquals(List.of(10L, 11L, 12L, 13L, 14L), values(restored.getCurrent()));
    assertSame(source, restored.getCurrentSource());
  }

  @Test
  public void splitsAreBatchedToo() throws Exception {
    List<RecordBatchSource<Long, CountingSource.CounterMark>> splits =
        RecordBatchSource.of(CountingSource.unbounded(), 3, NO_DELAY_LIMIT).split(2, OPTIONS);

    assertTrue(splits.size() >= 1);
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> reader =
        splits.get(0).createReader(OPTIONS, null);
    assertTrue(reader.start());
    assertEquals(3, reader.getCurrent().size());
  }

  @Test
  public void batchesEncodeWithTheirTimestamps() throws Exception {
    RecordBatchSource<Long, ScriptedSource.Mark> source =
        RecordBatchSource.of(ScriptedSource.of(50L, 30L), 100, NO_DELAY_LIMIT);
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> reader =
        source.createReader(OPTIONS, null);
    assertTrue(reader.start());

    List<TimestampedValue<Long>> batch = reader.getCurrent();
    assertEquals(
        batch,
        CoderUtils.decodeFromByteArray(
            source.getOutputCoder(), CoderUtils.encodeToByteArray(source.getOutputCoder(), batch)));
  }

  @Test
  public void aSourceThatNeedsRecordIdsIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RecordBatchSource.of(ScriptedSource.deduping(), 10, NO_DELAY_LIMIT));
    assertTrue(e.getMessage(), e.getMessage().contains("not batchable"));
  }

  private static List<Long> values(List<TimestampedValue<Long>> batch) {
    return batch.stream().map(TimestampedValue::getValue).toList();
  }

  /**
   * Hands on its script's values, each stamped with itself in ms; a null entry is a moment with
   * nothing ready ({@code advance()} false once).
   */
  static final class ScriptedSource extends UnboundedSource<Long, ScriptedSource.Mark> {
    private final List<Long> script;
    private final boolean deduping;

    private ScriptedSource(List<Long> script, boolean deduping) {
      this.script = script;
      this.deduping = deduping;
    }

    static ScriptedSource of(Long... script) {
      return new ScriptedSource(new ArrayList<>(Arrays.asList(script)), false);
    }

    static ScriptedSource deduping() {
      return new ScriptedSource(List.of(), true);
    }

    @Override
    public boolean requiresDeduping() {
      return deduping;
    }

    @Override
    public List<ScriptedSource> split(int desiredNumSplits, PipelineOptions options) {
      return List.of(this);
    }

    @Override
    public UnboundedReader<Long> createReader(PipelineOptions options, Mark mark) {
      return new UnboundedReader<>() {
        private int next;
        private Long current;

        @Override
        public boolean start() {
          return advance();
        }

        @Override
        public boolean advance() {
          if (next >= script.size()) {
            return false;
          }
          current = script.get(next++);
          return current != null;
        }

        @Override
        public Long getCurrent() {
          return current;
        }

        @Override
        public Instant getCurrentTimestamp() {
          return new Instant(current);
        }

        @Override
        public Instant getWatermark() {
          return new Instant(0);
        }

        @Override
        public CheckpointMark getCheckpointMark() {
          return new Mark();
        }

        @Override
        public UnboundedSource<Long, ?> getCurrentSource() {
          return ScriptedSource.this;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public Coder<Mark> getCheckpointMarkCoder() {
      return SerializableCoder.of(Mark.class);
    }

    @Override
    public Coder<Long> getOutputCoder() {
      return VarLongCoder.of();
    }

    static final class Mark implements UnboundedSource.CheckpointMark, java.io.Serializable {
      @Override
      public void finalizeCheckpoint() {}
    }
  }
}
