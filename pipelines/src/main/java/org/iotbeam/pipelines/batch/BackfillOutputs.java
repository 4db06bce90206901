package org.iotbeam.pipelines.batch;

import org.iotbeam.pipelines.sinks.FileWindowing;
import org.iotbeam.pipelines.sinks.JsonLinesFileSink;
import org.joda.time.Duration;

/**
 * Writes a backfill's results through the streaming pipeline's file sinks, with the same layout
 * ({@code outputBase/aggregates/}, {@code alerts/}, {@code dead-letters/}, partitioned by
 * {@code dt=/hour=}) and naming (window, pane, shard), so the backfill of a range rewrites the
 * files streaming wrote for it. Records carry the composite's ids; a reader that keeps the last
 * (final) record per id sees one result per window and alert, however often a range is redone.
 */
final class BackfillOutputs {
  private BackfillOutputs() {}

  static void write(BackfillPipeline.BackfillResults results, BackfillPipeline.Options options) {
    String base = options.getOutputBase().endsWith("/")
        ? options.getOutputBase() : options.getOutputBase() + "/";
    // the same windowing as streaming: in a bounded run every window gives exactly one pane
    FileWindowing files = FileWindowing.of(
        Duration.standardMinutes(options.getFileWindowMinutes()),
        Duration.standardHours(options.getMaxAgeHours() + 1L),
        Duration.standardSeconds(60));
    int shards = options.getFileShards();
    results.aggregates().apply("AggregateFiles",
        new JsonLinesFileSink<>(base + "aggregates/", "aggregates", files, shards));
    results.alerts().apply("AlertFiles",
        new JsonLinesFileSink<>(base + "alerts/", "alerts", files, shards));
    results.deadLetters().apply("DeadLetterFiles",
        new JsonLinesFileSink<>(base + "dead-letters/", "dead-letters", files, shards));
  }
}
