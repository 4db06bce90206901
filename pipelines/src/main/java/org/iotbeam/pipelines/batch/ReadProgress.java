package org.iotbeam.pipelines.batch;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far the reading of a backfill's archive has got in this JVM, for its progress lines: files
 * and bytes read of those the driver listed, messages, whole ingest hours done, and the time the
 * rest of the reading should take at the pace so far. With Flink embedded (the default) this JVM
 * reads everything; on a cluster each task manager logs its own share.
 */
final class ReadProgress {
  /** What the driver listed before the run. */
  record Plan(long files, long bytes, TreeMap<Long, Integer> filesPerHour)
      implements Serializable {}

  private final Plan plan;
  private final long startNanos;
  private final Map<Long, Integer> readPerHour = new HashMap<>();
  private long files;
  private long bytes;
  private long messages;
  private long hoursDone;

  ReadProgress(Plan plan, long startNanos) {
    this.plan = plan;
    this.startNanos = startNanos;
  }

  /** Counts one file read; {@code hourStartMs} is the hour it is listed under (-1: none). */
  synchronized void fileRead(long hourStartMs, long fileBytes, long fileMessages) {
    files++;
    bytes += fileBytes;
    messages += fileMessages;
    Integer total = plan.filesPerHour().get(hourStartMs);
    if (total != null && readPerHour.merge(hourStartMs, 1, Integer::sum).equals(total)) {
      hoursDone++;
    }
  }

  synchronized boolean done() {
    return files >= plan.files();
  }

  /** One progress line, at {@code nowNanos}. */
  synchronized String line(String what, long nowNanos) {
    Duration elapsed = Duration.ofNanos(nowNanos - startNanos);
    String eta;
    if (bytes <= 0 || plan.bytes() <= 0) {
      eta = "unknown";
    } else if (bytes >= plan.bytes()) {
      eta = "0s";
    } else {
      double perByte = (double) elapsed.toNanos() / bytes;
      eta = human(Duration.ofNanos((long) (perByte * (plan.bytes() - bytes))));
    }
    return String.format(
        Locale.ROOT,
        "backfill %s: read %d/%d files (%.0f%% of %s), %,d messages, %d/%d ingest hours done, "
            + "%s elapsed, reading ETA %s (this JVM)",
        what,
        files,
        plan.files(),
        plan.bytes() > 0 ? 100.0 * bytes / plan.bytes() : 100.0,
        mib(plan.bytes()),
        messages,
        hoursDone,
        plan.filesPerHour().size(),
        human(elapsed),
        eta);
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }

  private static String mib(long b) {
    return String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0);
  }
}
