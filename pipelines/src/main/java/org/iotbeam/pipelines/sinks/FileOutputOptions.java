package org.iotbeam.pipelines.sinks;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where a pipeline's files go and how many of them: shared by the streaming and the batch pipeline,
 * so a backfill given the streaming run's {@code --outputBase} writes beside it.
 */
public interface FileOutputOptions extends PipelineOptions {
  @Description(
      "Where the files go: a local directory or azfs://ACCOUNT/CONTAINER/PATH, with "
          + "aggregates/, alerts/ and dead-letters/ below it (streaming adds raw/). A backfill takes "
          + "the streaming run's, to put its results beside streaming's. Required.")
  // a default (empty: reported by problems()) rather than @Validation.Required, so that a missing
  // --outputBase is listed with every other problem instead of failing alone at parse time
  @Default.String("")
  String getOutputBase();

  void setOutputBase(String value);

  @Description(
      "Files per kind and window (streaming) or hour of the range (backfill); fixed, so "
          + "file names are deterministic.")
  @Default.Integer(2)
  Integer getFileShards();

  void setFileShards(Integer value);

  /** {@code --outputBase} ending in a slash, for appending the sub-directories. */
  static String base(FileOutputOptions o) {
    String b = o.getOutputBase();
    return b.endsWith("/") ? b : b + "/";
  }

  /**
   * Every problem with these flags. {@code maxShards}: the pipeline's bound (a backfill writes
   * every shard of every hour, empty ones too, so it allows fewer).
   */
  static List<String> problems(FileOutputOptions o, int maxShards) {
    List<String> p = new ArrayList<>();
    if (o.getOutputBase() == null || o.getOutputBase().isBlank()) {
      p.add("--outputBase is required: a local directory or azfs://account/container/path");
    }
    Integer shards = o.getFileShards();
    if (shards == null || shards < 1 || shards > maxShards) {
      p.add("--fileShards must be 1.." + maxShards + ", was " + shards);
    }
    return p;
  }
}
