package org.iotbeam.pipelines.sinks;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.extensions.protobuf.ByteStringCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Writes messages to the raw archive ({@link RawArchiveFormat}): gzip'd delimited {@link
 * InboundMessage}s under {@code base/dt=YYYY-MM-DD/hour=HH/} of their <em>ingest</em> time, one set
 * of {@code numShards} files per ingest-time window and pane (see {@link PartitionedFileNaming}).
 * The streaming pipeline gives it every message as it arrived, before parsing. {@code base} is a
 * local path or {@code azfs://account/container/path}. Works on bounded and unbounded input.
 *
 * <p>Files go by ingest time, not by the timestamp the source gave: that is the device's event
 * time, which is missing or absurd for exactly the messages reprocessing exists for. The watermark
 * still follows event time; an ingest time behind it (a device clock running ahead) is late data of
 * the file windows, kept by their allowed lateness (see {@link FileWindowing}).
 *
 * <p>Messages are encoded where they are read, into one chunk per ingest-time window and bundle (at
 * most {@value #MAX_CHUNK_BYTES} bytes before compression), and only the chunks are windowed,
 * grouped by shard and written: the runner handles a few elements a second there instead of one per
 * message. Each chunk is compressed where it is cut, as one gzip member (a file is their
 * concatenation, which gzip readers read as one stream): the compression is spread over the stream
 * instead of falling on the file flush, where compressing a minute of messages at once held up
 * every other step of a small machine for a second or two, and the window's buffer and its
 * checkpoints hold compressed bytes.
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
        .apply("ChunksByIngestTime", ParDo.of(new ChunkFn(windowing.windowFn(), MAX_CHUNK_BYTES)))
        .setCoder(ByteStringCoder.of())
        .apply("ArchiveWindows", windowing.<ByteString>window())
        .setCoder(ByteStringCoder.of())
        .apply(
            "WriteArchive",
            FileIO.<ByteString>write()
                .via(new ChunkSink())
                .to(base)
                .withNaming(new PartitionedFileNaming(PREFIX, RawArchiveFormat.SUFFIX))
                .withCompression(Compression.UNCOMPRESSED) // the chunks are gzip members
                .withNumShards(numShards));
  }

  /**
   * Encodes messages as {@link RawArchiveFormat} writes them, gathered per ingest-time window until
   * the bundle ends (a runner ends one before every checkpoint and before the watermark moves) or
   * the chunk is full. A chunk is stamped with its earliest ingest time, so the file windows put
   * it, and every message in it, in the window of its ingest time. A message without an ingest time
   * counts at the timestamp it had. {@code windows} are the file windows' own, so a chunk never
   * spans two of them.
   */
  static class ChunkFn extends DoFn<InboundMessage, ByteString> {
    private final FixedWindows windows;
    private final int maxBytes;
    private transient Map<IntervalWindow, Chunk> open;

    ChunkFn(FixedWindows windows, int maxBytes) {
      this.windows = windows;
      this.maxBytes = maxBytes;
    }

    private static final class Chunk {
      final ByteString.Output bytes = ByteString.newOutput(8192);
      long earliestMs = Long.MAX_VALUE;

      /** The chunk as one gzip member. */
      ByteString gzipped() {
        ByteString.Output zipped = ByteString.newOutput(bytes.size() / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped, 8192)) {
          bytes.writeTo(gz);
        } catch (IOException e) {
          throw new UncheckedIOException("compressing in memory cannot fail otherwise", e);
        }
        return zipped.toByteString();
      }
    }

    @StartBundle
    public void startBundle() {
      open = new HashMap<>();
    }

    @ProcessElement
    public void process(
        @Element InboundMessage m, @Timestamp Instant timestamp, OutputReceiver<ByteString> out)
        throws IOException {
      long at = m.getIngestTimeMs() > 0 ? m.getIngestTimeMs() : timestamp.getMillis();
      IntervalWindow window = windows.assignWindow(new Instant(at));
      Chunk c = open.computeIfAbsent(window, w -> new Chunk());
      RawArchiveFormat.write(m, c.bytes);
      c.earliestMs = Math.min(c.earliestMs, at);
      if (c.bytes.size() >= maxBytes) {
        open.remove(window);
        out.outputWithTimestamp(c.gzipped(), new Instant(c.earliestMs));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (Chunk c : open.values()) {
        context.output(c.gzipped(), new Instant(c.earliestMs), GlobalWindow.INSTANCE);
      }
      open.clear();
    }

    /** The ingest time may lie before the event time the source stamped (a clock ahead). */
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }

  /** Writes chunks (gzip members) as they are: the file is their concatenation. */
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
