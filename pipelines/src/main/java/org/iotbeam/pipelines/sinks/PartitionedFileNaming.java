package org.iotbeam.pipelines.sinks;

import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.iotbeam.proto.RawArchiveFormat;

/**
 * File names that say which window, pane and shard a file holds, under the window's {@code
 * dt=YYYY-MM-DD/hour=HH/} partition: {@code
 * dt=2026-11-26/hour=21/aggregates-20261126T2100Z-20261126T2105Z-p000-s00-of-02.jsonl.gz}.
 *
 * <p>The same window, pane and shard always get the same name, so a replay overwrites instead of
 * duplicating, and a later pane (late data) gets a new file instead of replacing the earlier one.
 * Windows must not straddle an hour (window lengths divide an hour).
 */
public final class PartitionedFileNaming implements FileIO.Write.FileNaming {
  private static final java.time.format.DateTimeFormatter STAMP =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
          .withZone(java.time.ZoneOffset.UTC);

  private final String prefix;
  private final String suffix;

  public PartitionedFileNaming(String prefix, String suffix) {
    this.prefix = prefix;
    this.suffix = suffix;
  }

  @Override
  public String getFilename(
      BoundedWindow window, PaneInfo pane, int numShards, int shardIndex, Compression compression) {
    String span;
    String partition;
    if (window instanceof IntervalWindow w) {
      partition = RawArchiveFormat.partitionOf(w.start().getMillis());
      span = stamp(w.start().getMillis()) + "-" + stamp(w.end().getMillis());
    } else {
      partition = "global/";
      span = "global";
    }
    return String.format(
        "%s%s-%s-p%03d-s%02d-of-%02d%s",
        partition, prefix, span, pane == null ? 0 : pane.getIndex(), shardIndex, numShards, suffix);
  }

  private static String stamp(long ms) {
    return STAMP.format(java.time.Instant.ofEpochMilli(ms));
  }
}
