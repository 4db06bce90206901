package org.iotbeam.pipelines.sinks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.HashMap;
import java.util.Map;
import com.google.protobuf.ByteString;
import org.apache.beam.sdk.extensions.protobuf.ByteStringCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.transforms.Coders;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Writes messages to the raw archive ({@link RawArchiveFormat}): gzip'd delimited
 * {@link InboundMessage}s under {@code base/dt=YYYY-MM-DD/hour=HH/} of their <em>ingest</em> time,
 * one set of {@code numShards} files per ingest-time window and pane (see {@link
 * PartitionedFileNaming}). The streaming pipeline gives it every message as it arrived, before
 * parsing. {@code base} is a local path or {@code azfs://account/container/path}. Works on bounded
 * and unbounded input.
 *
 * <p>The messages are re-stamped with their ingest time before the file windows: the source
 * stamps them with the device's event time, which is missing or absurd for exactly the messages
 * reprocessing exists for. A message without an ingest time keeps the timestamp it had. The
 * watermark still follows event time; an ingest time behind it (a device clock running ahead) is
 * late data of the file windows, kept by their allowed lateness (see {@link FileWindowing}).
 *
 * <p>Messages are encoded where they are read, into one chunk per file window and bundle (at most
 * {@value #MAX_CHUNK_BYTES} bytes), and the chunks go to the file writers: the grouping by shard
 * that a file write needs then handles a few elements a second instead of one per message. A
 * chunk keeps its window, and so its pane and lateness, as its messages would have.
 */
public class RawArchiveSink
    extends PTransform<PCollection<InboundMessage>, WriteFilesResult<Void>> {
  public static final String PREFIX = "raw";
  /** Largest chunk of encoded messages a bundle hands on at once. */
  static final int MAX_CHUNK_BYTES = 4 << 20;

  private final String base;
  private final FileWindowing windowing;
  private final int numShards;

  public RawArchiveSink(String base, FileWindowing windowing, int numShards) {
    this.base = base;
    this.windowing = windowing;
    this.numShards = numShards;
  }

  @Override
  public WriteFilesResult<Void> expand(PCollection<InboundMessage> messages) {
    return messages
        .apply("ByIngestTime", ParDo.of(new StampIngestTime()))
        .setCoder(Coders.INBOUND)
        .apply("ArchiveWindows", windowing.<InboundMessage>window())
        .setCoder(Coders.INBOUND)
        .apply("Chunks", ParDo.of(new ChunkFn(MAX_CHUNK_BYTES)))
        .setCoder(ByteStringCoder.of())
        .apply("WriteArchive", FileIO.<ByteString>write()
            .via(new ChunkSink())
            .to(base)
            .withNaming(new PartitionedFileNaming(PREFIX, RawArchiveFormat.SUFFIX))
            .withCompression(Compression.GZIP)
            .withNumShards(numShards));
  }

  /** Each message's ingest time becomes its timestamp, so its file lies under its ingest hour. */
  static class StampIngestTime extends DoFn<InboundMessage, InboundMessage> {
    @ProcessElement
    public void process(@Element InboundMessage m, @Timestamp Instant timestamp,
        OutputReceiver<InboundMessage> out) {
      out.outputWithTimestamp(m,
          m.getIngestTimeMs() > 0 ? new Instant(m.getIngestTimeMs()) : timestamp);
    }

    /** The ingest time may lie before the event time the source stamped (a clock ahead). */
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }

  /**
   * Encodes messages as {@link RawArchiveFormat} writes them, gathered per window until the
   * bundle ends (a runner ends one before every checkpoint) or the chunk is full; stamped with
   * its earliest message's time.
   */
  static class ChunkFn extends DoFn<InboundMessage, ByteString> {
    private final int maxBytes;
    private transient Map<BoundedWindow, Chunk> open;

    ChunkFn(int maxBytes) {
      this.maxBytes = maxBytes;
    }

    private static final class Chunk {
      final ByteString.Output bytes = ByteString.newOutput(8192);
      long earliestMs = Long.MAX_VALUE;
    }

    @StartBundle
    public void startBundle() {
      open = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element InboundMessage m, @Timestamp Instant timestamp,
        BoundedWindow window, OutputReceiver<ByteString> out) throws IOException {
      Chunk c = open.computeIfAbsent(window, w -> new Chunk());
      RawArchiveFormat.write(m, c.bytes);
      c.earliestMs = Math.min(c.earliestMs, timestamp.getMillis());
      if (c.bytes.size() >= maxBytes) {
        open.remove(window);
        out.outputWithTimestamp(c.bytes.toByteString(), new Instant(c.earliestMs));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (Map.Entry<BoundedWindow, Chunk> e : open.entrySet()) {
        context.output(e.getValue().bytes.toByteString(), new Instant(e.getValue().earliestMs),
            e.getKey());
      }
      open.clear();
    }

    /** A chunk is stamped with its earliest message, which may precede the current one. */
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }

  /** Writes chunks of encoded messages as they are: the file is their concatenation. */
  static class ChunkSink implements FileIO.Sink<ByteString> {
    private transient OutputStream out;

    @Override
    public void open(WritableByteChannel channel) {
      out = Channels.newOutputStream(channel);
    }

    @Override
    public void write(ByteString chunk) throws IOException {
      chunk.writeTo(out);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
