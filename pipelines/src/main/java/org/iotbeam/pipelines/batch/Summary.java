package org.iotbeam.pipelines.batch;

import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.iotbeam.transforms.TelemetryMetrics;

/**
 * The figures of a finished backfill, from the pipeline's metrics (namespace iotbeam): what was
 * read, what was written, what became of the earlier dead letters, and where the results went.
 *
 * @param messagesOutside read but neither in the range nor its warm-up (other event times, or
 *     ingested outside the read span)
 * @param deadLetters this run's dead letters of the range (newly or still dead)
 * @param recovered earlier dead letters whose message is a reading now
 * @param stillDead earlier dead letters whose message is dead again
 * @param outsideRange outputs dropped: warm-up records, alerts after the range
 */
public record Summary(
    String range,
    long files,
    long messagesRead,
    long messagesInRange,
    long warmupMessages,
    long messagesOutside,
    long valid,
    long deadLetters,
    long recovered,
    long stillDead,
    long duplicates,
    long aggregates,
    long alerts,
    long alertsRaised,
    long alertsCleared,
    long outsideRange,
    List<String> where,
    long elapsedNanos) {

  static Summary of(
      PipelineResult result, ArchiveRange range, long elapsedNanos, List<String> where) {
    MetricQueryResults m = result.metrics().queryMetrics(MetricsFilter.builder().build());
    long raised = 0;
    long cleared = 0;
    for (MetricResult<Long> c : m.getCounters()) {
      if (!TelemetryMetrics.NAMESPACE.equals(c.getName().getNamespace())) {
        continue;
      }
      String n = c.getName().getName();
      if (n.startsWith(TelemetryMetrics.ALERTS_RAISED_PREFIX)) {
        raised += value(c);
      } else if (n.startsWith(TelemetryMetrics.ALERTS_CLEARED_PREFIX)) {
        cleared += value(c);
      }
    }
    return new Summary(
        range.toString(),
        counter(m, ReadArchiveFn.FILES_READ),
        counter(m, ReadArchiveFn.MESSAGES_READ),
        counter(m, ReadArchiveFn.IN_RANGE),
        counter(m, ReadArchiveFn.WARMUP),
        counter(m, ReadArchiveFn.OUT_OF_RANGE),
        counter(m, TelemetryMetrics.VALID),
        counter(m, BackfillPipeline.InRange.written("dead_letters")),
        counter(m, Recovery.RECOVERED),
        counter(m, Recovery.STILL_DEAD),
        counter(m, TelemetryMetrics.DUPLICATES),
        counter(m, BackfillPipeline.InRange.written("aggregates")),
        counter(m, BackfillPipeline.InRange.written("alerts")),
        raised,
        cleared,
        counter(m, BackfillPipeline.InRange.outside("aggregates"))
            + counter(m, BackfillPipeline.InRange.outside("alerts"))
            + counter(m, BackfillPipeline.InRange.outside("dead_letters")),
        List.copyOf(where),
        elapsedNanos);
  }

  private static long counter(MetricQueryResults m, String name) {
    long sum = 0;
    for (MetricResult<Long> c : m.getCounters()) {
      if (TelemetryMetrics.NAMESPACE.equals(c.getName().getNamespace())
          && name.equals(c.getName().getName())) {
        sum += value(c);
      }
    }
    return sum;
  }

  /** Committed where the runner has it (Direct, Flink), else attempted. */
  private static long value(MetricResult<Long> c) {
    try {
      Long v = c.getCommitted();
      return v == null ? c.getAttempted() : v;
    } catch (UnsupportedOperationException e) {
      return c.getAttempted();
    }
  }

  public double seconds() {
    return elapsedNanos / 1e9;
  }

  public double messagesPerSecond() {
    return seconds() > 0 ? messagesRead / seconds() : 0;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "backfill %s done in %.1f s: %d files, %d messages read (%d in range, %d warm-up, "
            + "%d outside; %.0f msg/s), %d valid, %d duplicates dropped; written: %d aggregates, "
            + "%d alerts, %d dead letters (%d warm-up or after-range records dropped); earlier "
            + "dead letters: %d recovered, %d still dead; alert events raised/cleared incl. "
            + "warm-up: %d/%d; to: %s",
        range,
        seconds(),
        files,
        messagesRead,
        messagesInRange,
        warmupMessages,
        messagesOutside,
        messagesPerSecond(),
        valid,
        duplicates,
        aggregates,
        alerts,
        deadLetters,
        outsideRange,
        recovered,
        stillDead,
        alertsRaised,
        alertsCleared,
        String.join("; ", where));
  }
}
