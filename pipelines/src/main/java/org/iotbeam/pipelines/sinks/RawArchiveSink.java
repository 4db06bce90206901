package org.iotbeam.pipelines.sinks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.transforms.Coders;

/**
 * Writes messages to the raw archive ({@link RawArchiveFormat}): gzip'd delimited
 * {@link InboundMessage}s under {@code base/dt=YYYY-MM-DD/hour=HH/}, one set of
 * {@code numShards} files per event-time window and pane (see {@link PartitionedFileNaming}).
 * {@code base} is a local path or {@code azfs://account/container/path}. Works on bounded and
 * unbounded input.
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
        .apply("ArchiveWindows", windowing.<InboundMessage>window())
        .setCoder(Coders.INBOUND)
        .apply("WriteArchive", FileIO.<InboundMessage>write()
            .via(new DelimitedProtoSink())
            .to(base)
            .withNaming(new PartitionedFileNaming(PREFIX, RawArchiveFormat.SUFFIX))
            .withCompression(Compression.GZIP)
            .withNumShards(numShards));
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
