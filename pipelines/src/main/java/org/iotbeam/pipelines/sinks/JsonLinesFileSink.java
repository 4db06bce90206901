package org.iotbeam.pipelines.sinks;

import com.google.protobuf.Message;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes protobuf records as JSON lines (protobuf's JSON mapping, one record per line), gzip'd,
 * under {@code base/dt=YYYY-MM-DD/hour=HH/<prefix>-<window>-p<pane>-s<shard>-of-<n>.jsonl.gz}. The
 * aggregates, alerts and dead-letter files of the streaming and the batch pipeline.
 *
 * <p>The input is re-windowed by {@link FileWindowing} on the records' own timestamps: an aggregate
 * carries the end of its window, an alert its event time, a dead letter the time the source gave
 * its message. Late panes upstream (late aggregates) arrive as late data here and go to additional
 * files of the same window, with the next pane index, never replacing earlier ones.
 */
public class JsonLinesFileSink<T extends Message>
    extends PTransform<PCollection<T>, WriteFilesResult<Void>> {
  public static final String SUFFIX = ".jsonl.gz";

  private final String base;
  private final String prefix;
  private final FileWindowing windowing;
  private final int numShards;

  public JsonLinesFileSink(String base, String prefix, FileWindowing windowing, int numShards) {
    this.base = base;
    this.prefix = prefix;
    this.windowing = windowing;
    this.numShards = numShards;
  }

  @Override
  public WriteFilesResult<Void> expand(PCollection<T> records) {
    return records
        .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(ProtoJson::toJson))
        .setCoder(StringUtf8Coder.of())
        .apply("FileWindows", windowing.<String>window())
        .apply(
            "WriteJsonLines",
            FileIO.<String>write()
                .via(TextIO.sink())
                .to(base)
                .withNaming(new PartitionedFileNaming(prefix, SUFFIX))
                .withCompression(Compression.GZIP)
                .withNumShards(numShards));
  }
}
