package org.iotbeam.pipelines.batch;

import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.pipelines.sinks.JsonLinesFileSink;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.RawArchiveFormat;
import org.joda.time.Duration;

/**
 * A backfill's JSON-lines files of one kind (aggregates, alerts, dead letters), named from the
 * range and a shard derived from the record id:
 *
 * <pre>
 * base/dt=2026-11-20/hour=10/aggregates-backfill-20261120T1000Z-20261120T1100Z-s01-of-02.jsonl.gz
 * </pre>
 *
 * One file per hour of the range and shard, always, empty ones included: so the set of files a
 * backfill writes depends only on its range and shard count, and a rerun of the same range replaces
 * exactly its own files, leaving nothing stale beside them (a record that is gone now cannot linger
 * in a shard that happened to be empty this time). A record lies in the hour of its time (window
 * start, alert time, a dead letter's event or ingest time), one outside the range (a sink's
 * failure, stamped when it failed) in the range's first hour. Files of the same range written with
 * another {@code --fileShards} are deleted after the run ({@link #deleteOtherShardCounts}). The
 * files lie beside the streaming pipeline's, in the same partitions; a reader keeping the last
 * record per id reads the backfill's after them.
 */
final class BackfillFiles<T extends Message>
    extends PTransform<PCollection<T>, WriteFilesResult<String>> {
  private static final Pattern SHARDS =
      Pattern.compile("-s\\d+-of-(\\d+)" + Pattern.quote(JsonLinesFileSink.SUFFIX) + "$");

  private final String base;
  private final String kind;
  private final ArchiveRange range;
  private final int shards;
  private final SerializableFunction<T, String> id;
  private final SerializableFunction<T, Long> time;

  /**
   * @param base the kind's directory ({@code outputBase/aggregates/})
   * @param kind the file prefix (aggregates, alerts, dead-letters)
   */
  BackfillFiles(
      String base,
      String kind,
      ArchiveRange range,
      int shards,
      SerializableFunction<T, String> id,
      SerializableFunction<T, Long> time) {
    this.base = base;
    this.kind = kind;
    this.range = range;
    this.shards = shards;
    this.id = id;
    this.time = time;
  }

  @Override
  public WriteFilesResult<String> expand(PCollection<T> records) {
    KvCoder<String, String> coder = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    ArchiveRange r = range;
    String k = kind;
    int n = shards;
    SerializableFunction<T, String> idFn = id;
    SerializableFunction<T, Long> timeFn = time;
    PCollection<KV<String, String>> lines =
        records
            // one pane per file: a second pane would replace the first under the same name
            .apply(
                "Unwindowed",
                Window.<T>into(new GlobalWindows())
                    .triggering(DefaultTrigger.of())
                    .withAllowedLateness(Duration.ZERO)
                    .discardingFiredPanes())
            .apply(
                "ToFile",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via(
                        (T rec) ->
                            KV.of(
                                fileName(
                                    k,
                                    r,
                                    hourOf(r, timeFn.apply(rec)),
                                    shardOf(idFn.apply(rec), n),
                                    n),
                                ProtoJson.toJson(rec))))
            .setCoder(coder);
    // an empty line for every file: each of them is written, with or without records
    List<KV<String, String>> every = new ArrayList<>();
    for (long hour : range.hours()) {
      for (int s = 0; s < shards; s++) {
        every.add(KV.of(fileName(kind, range, hour, s, shards), ""));
      }
    }
    PCollection<KV<String, String>> placeholders =
        records.getPipeline().apply("EveryFile", Create.of(every).withCoder(coder));
    return PCollectionList.of(lines)
        .and(placeholders)
        .apply("WithEveryFile", Flatten.pCollections())
        .apply(
            "Write",
            FileIO.<String, KV<String, String>>writeDynamic()
                .by(KV::getKey)
                .withDestinationCoder(StringUtf8Coder.of())
                .via(Contextful.fn(KV::getValue), new LinesSink())
                .to(base)
                .withNaming(name -> (window, pane, numShards, shard, compression) -> name)
                .withNumShards(1)
                .withCompression(Compression.GZIP));
  }

  /** The hour (start) a record of time {@code t} is filed under: its own, or the range's first. */
  static long hourOf(ArchiveRange range, long t) {
    long inRange = range.contains(t) ? t : range.fromMs();
    return Math.floorDiv(inRange, ReadSpan.HOUR_MS) * ReadSpan.HOUR_MS;
  }

  /** Stable across runs and JVMs ({@link String#hashCode()} is specified). */
  static int shardOf(String recordId, int shards) {
    return Math.floorMod(recordId.hashCode(), shards);
  }

  static String fileName(String kind, ArchiveRange range, long hourStartMs, int shard, int shards) {
    return String.format(
        Locale.ROOT,
        "%s%s-backfill-%s-s%02d-of-%02d%s",
        RawArchiveFormat.partitionOf(hourStartMs),
        kind,
        range.stamp(),
        shard,
        shards,
        JsonLinesFileSink.SUFFIX);
  }

  /**
   * Deletes this range's files of {@code kind} under {@code base} that were written with a shard
   * count other than {@code shards}: an earlier run's, which this run's files replace.
   *
   * @return how many were deleted
   */
  static int deleteOtherShardCounts(String base, String kind, ArchiveRange range, int shards)
      throws IOException {
    String b = base.endsWith("/") ? base : base + "/";
    List<ResourceId> stale = new ArrayList<>();
    for (long hour : range.hours()) {
      MatchResult m =
          FileSystems.match(
              b
                  + RawArchiveFormat.partitionOf(hour)
                  + kind
                  + "-backfill-"
                  + range.stamp()
                  + "-s*"
                  + JsonLinesFileSink.SUFFIX,
              EmptyMatchTreatment.ALLOW);
      if (m.status() != MatchResult.Status.OK) {
        continue;
      }
      for (MatchResult.Metadata f : m.metadata()) {
        Matcher s = SHARDS.matcher(f.resourceId().toString());
        if (s.find() && Integer.parseInt(s.group(1)) != shards) {
          stale.add(f.resourceId());
        }
      }
    }
    FileSystems.delete(stale);
    return stale.size();
  }

  /** JSON lines; the empty placeholder lines are not written. */
  static final class LinesSink implements FileIO.Sink<String> {
    private final TextIO.Sink lines = TextIO.sink();

    @Override
    public void open(WritableByteChannel channel) throws IOException {
      lines.open(channel);
    }

    @Override
    public void write(String element) throws IOException {
      if (!element.isEmpty()) {
        lines.write(element);
      }
    }

    @Override
    public void flush() throws IOException {
      lines.flush();
    }
  }
}
