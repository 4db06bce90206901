package org.iotbeam.pipelines.sinks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
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
 */
public class RawArchiveSink
    extends PTransform<PCollection<InboundMessage>, WriteFilesResult<Void>> {
  public static final String PREFIX = "raw";

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
        .apply("WriteArchive", FileIO.<InboundMessage>write()
            .via(new DelimitedProtoSink())
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

  /** Writes each message with its varint length in front, as {@link RawArchiveFormat} reads. */
  static class DelimitedProtoSink implements FileIO.Sink<InboundMessage> {
    private transient OutputStream out;

    @Override
    public void open(WritableByteChannel channel) {
      out = Channels.newOutputStream(channel);
    }

    @Override
    public void write(InboundMessage element) throws IOException {
      RawArchiveFormat.write(element, out);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
