package org.iotbeam.pipelines.sinks;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.extensions.protobuf.ByteStringCoder;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * The chunks of the raw archive: every message lands in the file window of its ingest time (its
 * timestamp when it has none), whether chunks are cut by the bundle or by their size.
 */
public class RawArchiveSinkTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final FileWindowing WINDOWING =
      FileWindowing.of(
          Duration.standardMinutes(5), Duration.standardHours(1), Duration.standardSeconds(10));
  private static final long BASE = 1_700_000_100_000L; // a multiple of 5 minutes
  private static final Instant EVENT_TIME = new Instant(BASE + 3_600_000L); // a clock ahead

  private static TimestampedValue<InboundMessage> message(String key, long ingestTimeMs) {
    return TimestampedValue.of(
        InboundMessage.newBuilder().setKey(key).setIngestTimeMs(ingestTimeMs).build(), EVENT_TIME);
  }

  /** "key@start of the window" for every message of every chunk. */
  static class WhereMessagesLanded extends DoFn<ByteString, String> {
    @ProcessElement
    public void process(@Element ByteString chunk, BoundedWindow w, OutputReceiver<String> out) {
      Iterator<InboundMessage> it;
      try {
        it = RawArchiveFormat.read(new GZIPInputStream(chunk.newInput()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      while (it.hasNext()) {
        out.output(it.next().getKey() + "@" + (((IntervalWindow) w).start().getMillis() - BASE));
      }
    }
  }

  private PCollection<String> landed(String name, PCollection<InboundMessage> in, int maxBytes) {
    return in.apply(
            name + "Chunks", ParDo.of(new RawArchiveSink.ChunkFn(WINDOWING.windowFn(), maxBytes)))
        .setCoder(ByteStringCoder.of())
        .apply(name + "Windows", WINDOWING.<ByteString>window())
        .setCoder(ByteStringCoder.of())
        .apply(name + "Landed", ParDo.of(new WhereMessagesLanded()));
  }

  /**
   * Emits the messages from one element, so they reach the chunks in one bundle (the direct runner
   * splits a {@code Create} into several): chunks are cut by window, not by bundle.
   */
  static class OneBundle extends DoFn<String, InboundMessage> {
    @ProcessElement
    public void process(OutputReceiver<InboundMessage> out) {
      for (TimestampedValue<InboundMessage> m : MESSAGES) {
        out.outputWithTimestamp(m.getValue(), m.getTimestamp());
      }
    }
  }

  private static final List<TimestampedValue<InboundMessage>> MESSAGES =
      List.of(
          message("a", BASE + 299_000), // last seconds of the first window
          message("b", BASE + 301_000), // first seconds of the next
          message("c", BASE + 300_000), // on the boundary: the next window
          message("d", BASE - 1), // the window before
          message("e", BASE + 599_999),
          // no ingest time: its timestamp counts
          TimestampedValue.of(
              InboundMessage.newBuilder().setKey("f").build(), new Instant(BASE + 61_000)));

  @Test
  public void everyMessageLandsInTheFileWindowOfItsIngestTime() {
    PCollection<InboundMessage> in =
        p.apply(Create.of("go"))
            .apply(ParDo.of(new OneBundle()))
            .setCoder(ProtoCoder.of(InboundMessage.class));
    String[] expected = {"a@0", "b@300000", "c@300000", "d@-300000", "e@300000", "f@0"};

    PAssert.that(landed("Bundle", in, RawArchiveSink.MAX_CHUNK_BYTES)).containsInAnyOrder(expected);
    PAssert.that(landed("Full", in, 1)).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }
}
