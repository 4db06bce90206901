package org.iotbeam.runners.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a demo run did, collected from the simulator, the bridge, the pipeline's Beam counters and
 * the files on disk, and how to print it. Plain Java (no Beam): the pipeline's counters come in as
 * a map from metric name (namespace {@code iotbeam}, see {@code TelemetryMetrics}) to value.
 *
 * <p>Numbers are printed as plain digits (no grouping) so they can be copied and grepped.
 */
public record DemoSummary(
    Run run,
    Sent sent,
    Bridge bridge,
    Map<String, Long> pipelineCounters,
    Outputs outputs,
    Timing timing,
    String prometheusUrl,
    Semantics semantics) {

  /** The summary without a reading of the output records (the file-count checks only). */
  public DemoSummary(
      Run run,
      Sent sent,
      Bridge bridge,
      Map<String, Long> pipelineCounters,
      Outputs outputs,
      Timing timing,
      String prometheusUrl) {
    this(run, sent, bridge, pipelineCounters, outputs, timing, prometheusUrl, null);
  }

  /** Late panes may be at most this share of all aggregate records. */
  static final double MAX_LATE_SHARE = 0.01;

  /** Aggregate records per device, metric and window, at most. */
  static final double MAX_RECORDS_PER_WINDOW = 1.1;

  /**
   * What the output records say about event time: aggregate windows (ids), the records written for
   * them and how many were late panes, and whether the scripted excursion's alert (device, rule)
   * was raised and cleared.
   */
  public record Semantics(
      long aggregateIds,
      long aggregateRecords,
      long lateRecords,
      String excursionDevice,
      String excursionRule,
      boolean excursionRaised,
      boolean excursionCleared) {
    double lateShare() {
      return aggregateRecords == 0 ? 0 : (double) lateRecords / aggregateRecords;
    }

    double recordsPerWindow() {
      return aggregateIds == 0 ? 0 : (double) aggregateRecords / aggregateIds;
    }

    List<String> problems() {
      List<String> p = new ArrayList<>();
      if (!excursionRaised || !excursionCleared) {
        p.add(
            "the scripted excursion of "
                + excursionDevice
                + " should raise and clear "
                + excursionRule
                + ": raised "
                + excursionRaised
                + ", cleared "
                + excursionCleared);
      }
      if (aggregateIds == 0) {
        p.add("no aggregate was written");
      }
      if (lateShare() > MAX_LATE_SHARE) {
        p.add(
            String.format(
                Locale.ROOT,
                "late panes are %.1f%% of aggregate records (at most "
                    + "%.0f%%): the watermark ran ahead of the data",
                100 * lateShare(),
                100 * MAX_LATE_SHARE));
      }
      if (recordsPerWindow() > MAX_RECORDS_PER_WINDOW) {
        p.add(
            String.format(
                Locale.ROOT,
                "%.2f aggregate records per device, metric and window " + "(at most %.1f)",
                recordsPerWindow(),
                MAX_RECORDS_PER_WINDOW));
      }
      return p;
    }
  }

  // The metric names, as in org.iotbeam.transforms.TelemetryMetrics (kept as literals here so the
  // summary stays free of Beam; DemoSummaryTest checks they agree).
  static final String RECEIVED = "messages_received";
  static final String VALID = "messages_valid";
  static final String DEAD_LETTERS = "dead_letters";
  static final String DEAD_LETTER_REASON_PREFIX = "dead_letters_";
  static final String DUPLICATES = "duplicates_dropped";
  static final String UNKNOWN_DEVICES = "unknown_device_readings";
  static final String AGGREGATES = "aggregates_emitted";
  static final String LATE_PANES = "aggregates_late_panes";
  static final String ALERTS_RAISED_PREFIX = "alerts_raised_";
  static final String ALERTS_CLEARED_PREFIX = "alerts_cleared_";

  /** The output sub-directories of StreamingPipeline, in print order. */
  public static final List<String> OUTPUT_DIRS =
      List.of("raw", "aggregates", "alerts", "dead-letters");

  /** How the demo was set up. */
  public record Run(
      long durationSeconds,
      int devices,
      double targetRate,
      int parallelism,
      int windowMinutes,
      String runner) {}

  /** The simulator's side: what it generated (valid/malformed by construction) and delivered. */
  public record Sent(
      long messages,
      long valid,
      long malformed,
      Map<String, Long> malformedByKind,
      long delivered,
      long failed,
      long elapsedMs) {
    public Sent {
      malformedByKind = Collections.unmodifiableMap(new TreeMap<>(malformedByKind));
    }

    public double rate() {
      return elapsedMs <= 0 ? 0 : messages * 1000.0 / elapsedMs;
    }
  }

  /** The MQTT -> Kafka bridge's counters. */
  public record Bridge(long received, long forwarded, long failed) {}

  /** Files and records found under the output base, by sub-directory (raw, aggregates, ...). */
  public record Outputs(Path base, Map<String, FileCount> byDir) {
    public Outputs {
      byDir = Collections.unmodifiableMap(new TreeMap<>(byDir));
    }

    public FileCount of(String dir) {
      return byDir.getOrDefault(dir, new FileCount(0, 0));
    }
  }

  /** Finished files in one output directory and the records (lines, messages) in them. */
  public record FileCount(int files, long records) {}

  /**
   * @param pipelineStartMs from submitting the job until it ran
   * @param drainMs from the simulator's end until the pipeline had received everything forwarded
   *     (negative: it never did within the timeout)
   * @param settleMs from then until the counters and the files agreed (or the timeout)
   * @param totalMs the whole demo
   */
  public record Timing(long pipelineStartMs, long drainMs, long settleMs, long totalMs) {}

  public DemoSummary {
    pipelineCounters = Collections.unmodifiableMap(new TreeMap<>(pipelineCounters));
  }

  public long counter(String name) {
    return pipelineCounters.getOrDefault(name, 0L);
  }

  public long received() {
    return counter(RECEIVED);
  }

  public long valid() {
    return counter(VALID);
  }

  public long deadLetters() {
    return counter(DEAD_LETTERS);
  }

  public long duplicatesDropped() {
    return counter(DUPLICATES);
  }

  public long aggregatesEmitted() {
    return counter(AGGREGATES);
  }

  /** Non-zero dead-letter counters by reason (lower case, e.g. {@code malformed_protobuf}). */
  public Map<String, Long> deadLettersByReason() {
    return withPrefix(DEAD_LETTER_REASON_PREFIX);
  }

  /** Alerts raised by severity (lower case, e.g. {@code critical}); zero ones left out. */
  public Map<String, Long> alertsRaised() {
    return withPrefix(ALERTS_RAISED_PREFIX);
  }

  public Map<String, Long> alertsCleared() {
    return withPrefix(ALERTS_CLEARED_PREFIX);
  }

  private Map<String, Long> withPrefix(String prefix) {
    Map<String, Long> m = new TreeMap<>();
    pipelineCounters.forEach(
        (k, v) -> {
          if (k.startsWith(prefix) && k.length() > prefix.length() && v != 0) {
            m.put(k.substring(prefix.length()), v);
          }
        });
    return m;
  }

  /**
   * Messages per second through the pipeline: all it received over the time from the simulator's
   * first message until the pipeline had them all (the simulator's run plus the drain).
   */
  public double pipelineThroughput() {
    long ms = sent.elapsedMs() + Math.max(0, timing.drainMs());
    return ms <= 0 ? 0 : received() * 1000.0 / ms;
  }

  /** The invariants the demo promises; an empty list when they all hold. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (sent.delivered() != bridge.forwarded() || bridge.forwarded() != received()) {
      p.add(
          "simulator delivered "
              + sent.delivered()
              + ", bridge forwarded "
              + bridge.forwarded()
              + ", pipeline received "
              + received()
              + ": they should be equal");
    }
    if (valid() + deadLetters() != received()) {
      p.add("valid " + valid() + " + dead letters " + deadLetters() + " != received " + received());
    }
    if (deadLetters() < sent.malformed()) {
      p.add("dead letters " + deadLetters() + " < malformed by construction " + sent.malformed());
    }
    p.addAll(fileMismatches(pipelineCounters, outputs));
    if (semantics != null) {
      p.addAll(semantics.problems());
    }
    return p;
  }

  /**
   * Where the finished files disagree with the counters (empty: they agree): every message received
   * in raw/ (the raw archive keeps them all, before parsing), every aggregate pane in aggregates/,
   * every raised or cleared alert in alerts/, every dead letter in dead-letters/.
   */
  public static List<String> fileMismatches(Map<String, Long> counters, Outputs outputs) {
    DemoSummary s = new DemoSummary(null, null, null, counters, outputs, null, null);
    List<String> p = new ArrayList<>();
    expect(p, "raw/ messages", outputs.of("raw").records(), s.received(), RECEIVED);
    expect(
        p,
        "aggregates/ records",
        outputs.of("aggregates").records(),
        s.aggregatesEmitted(),
        AGGREGATES);
    expect(
        p,
        "alerts/ records",
        outputs.of("alerts").records(),
        total(s.alertsRaised()) + total(s.alertsCleared()),
        "alerts raised + cleared");
    expect(
        p,
        "dead-letters/ records",
        outputs.of("dead-letters").records(),
        s.deadLetters(),
        DEAD_LETTERS);
    return p;
  }

  private static void expect(
      List<String> p, String what, long inFiles, long counted, String counter) {
    if (inFiles != counted) {
      p.add(what + " " + inFiles + " != " + counter + " " + counted);
    }
  }

  private static long total(Map<String, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The summary a person reads at the end of {@code ./demo.sh}. */
  public String format() {
    StringBuilder b = new StringBuilder();
    String rule = "=".repeat(78);
    b.append(rule).append('\n');
    b.append(
        String.format(
            Locale.ROOT,
            "IoT Beam demo: %d s, %d devices, %s msg/s target, "
                + "%s (parallelism %d), %d-minute windows%n",
            run.durationSeconds(),
            run.devices(),
            num(run.targetRate()),
            run.runner(),
            run.parallelism(),
            run.windowMinutes()));
    b.append(rule).append('\n');

    b.append(String.format(Locale.ROOT, "%nSimulator -> MQTT%n"));
    line(
        b,
        "messages sent",
        sent.messages()
            + "  (valid "
            + sent.valid()
            + ", malformed "
            + sent.malformed()
            + " by construction)");
    if (!sent.malformedByKind().isEmpty()) {
      line(b, "malformed by kind", joined(sent.malformedByKind()));
    }
    line(b, "delivered to MQTT", sent.delivered() + "  (failed " + sent.failed() + ")");
    line(
        b,
        "rate",
        String.format(
            Locale.ROOT,
            "%.1f msg/s over %.1f s%s",
            sent.rate(),
            sent.elapsedMs() / 1000.0,
            belowTarget()));

    b.append(String.format(Locale.ROOT, "%nMQTT -> Kafka bridge%n"));
    line(
        b,
        "forwarded to Kafka",
        bridge.forwarded()
            + "  (received "
            + bridge.received()
            + ", failed "
            + bridge.failed()
            + ")");

    b.append(String.format(Locale.ROOT, "%nStreaming pipeline (Beam metrics)%n"));
    line(b, "messages received", Long.toString(received()));
    line(b, "valid", Long.toString(valid()));
    line(
        b,
        "dead-lettered",
        deadLetters()
            + (deadLettersByReason().isEmpty() ? "" : "  (" + joined(deadLettersByReason()) + ")"));
    line(b, "duplicates dropped", Long.toString(duplicatesDropped()));
    if (counter(UNKNOWN_DEVICES) > 0) {
      line(b, "unknown devices", counter(UNKNOWN_DEVICES) + " readings (not in the registry)");
    }
    line(
        b,
        "aggregates emitted",
        aggregatesEmitted()
            + "  (late panes "
            + counter(LATE_PANES)
            + "; in files "
            + outputs.of("aggregates").records()
            + ")");
    long raisedTotal = total(alertsRaised());
    long clearedTotal = total(alertsCleared());
    line(
        b,
        "alerts raised",
        raisedTotal
            + (alertsRaised().isEmpty() ? "" : "  (" + joined(alertsRaised()) + ")")
            + "; cleared "
            + clearedTotal);
    line(
        b,
        "throughput",
        String.format(
                Locale.ROOT,
                "%.1f msg/s end to end, input paced at " + "%.1f msg/s",
                pipelineThroughput(),
                sent.rate())
            + (timing.drainMs() >= 0
                ? String.format(
                    Locale.ROOT,
                    "  (all received %.1f s after the simulator stopped)",
                    timing.drainMs() / 1000.0)
                : "  (NOT all received before the timeout)"));

    b.append(String.format(Locale.ROOT, "%nChecks%n"));
    check(
        b,
        "delivered == forwarded == received",
        sent.delivered() + " == " + bridge.forwarded() + " == " + received(),
        sent.delivered() == bridge.forwarded() && bridge.forwarded() == received());
    check(
        b,
        "valid + dead-lettered == received",
        valid() + " + " + deadLetters() + " == " + received(),
        valid() + deadLetters() == received());
    check(
        b,
        "dead-lettered >= malformed sent",
        deadLetters()
            + " >= "
            + sent.malformed()
            + (deadLetters() == sent.malformed() ? " (equal)" : ""),
        deadLetters() >= sent.malformed());
    check(
        b,
        "files match the counters",
        filesLine(),
        fileMismatches(pipelineCounters, outputs).isEmpty());
    if (semantics != null) {
      Semantics m = semantics;
      check(
          b,
          "scripted alert raised and cleared",
          m.excursionDevice()
              + " "
              + m.excursionRule()
              + (m.excursionRaised() ? " raised" : " NOT raised")
              + (m.excursionCleared() ? ", cleared" : ", NOT cleared"),
          m.excursionRaised() && m.excursionCleared());
      check(
          b,
          "late panes <= 1% of aggregates",
          String.format(
              Locale.ROOT,
              "%d of %d (%.2f%%)",
              m.lateRecords(),
              m.aggregateRecords(),
              100 * m.lateShare()),
          m.lateShare() <= MAX_LATE_SHARE);
      check(
          b,
          "aggregates <= 1.1 per window",
          String.format(
              Locale.ROOT,
              "%d records for %d device/metric/windows (%.3f); amplification %.4f records per "
                  + "reading",
              m.aggregateRecords(),
              m.aggregateIds(),
              m.recordsPerWindow(),
              valid() == 0 ? 0.0 : (double) m.aggregateRecords() / valid()),
          m.aggregateIds() > 0 && m.recordsPerWindow() <= MAX_RECORDS_PER_WINDOW);
    }

    b.append(String.format(Locale.ROOT, "%nOutputs under %s%n", outputs.base()));
    for (String dir : OUTPUT_DIRS) {
      FileCount c = outputs.of(dir);
      b.append(
          String.format(
              Locale.ROOT,
              "  %-15s %4d files, %d %s%n",
              dir + "/",
              c.files(),
              c.records(),
              dir.equals("raw") ? "messages" : "records"));
    }
    if (prometheusUrl != null) {
      b.append(
          String.format(
              Locale.ROOT, "%nPrometheus endpoint (while the demo ran): %s%n", prometheusUrl));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%nTook %.1f s (pipeline start %.1f s, settle %.1f s). %s%n",
            timing.totalMs() / 1000.0,
            timing.pipelineStartMs() / 1000.0,
            timing.settleMs() / 1000.0,
            problems().isEmpty() ? "All checks passed." : "Some checks FAILED."));
    b.append(rule).append('\n');
    return b.toString();
  }

  private String filesLine() {
    List<String> m = fileMismatches(pipelineCounters, outputs);
    return m.isEmpty() ? "raw, aggregates, alerts, dead-letters" : String.join("; ", m);
  }

  /**
   * Says so when the simulator sent well under the rate asked for: it shares the machine with the
   * brokers, the bridge and the pipeline, and on a small machine it paces what it can, stamping
   * each reading with its scheduled time (so event time then runs slower than the wall clock).
   */
  private String belowTarget() {
    if (sent.rate() >= 0.9 * run.targetRate()) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "  (%.0f%% of the %.0f msg/s asked: this machine sent no faster while running the rest)",
        100 * sent.rate() / run.targetRate(),
        run.targetRate());
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append(String.format(Locale.ROOT, "  %-20s %s%n", label, value));
  }

  private static void check(StringBuilder b, String label, String detail, boolean ok) {
    b.append(String.format(Locale.ROOT, "  [%s] %-36s %s%n", ok ? " OK " : "FAIL", label, detail));
  }

  private static String joined(Map<String, Long> m) {
    StringBuilder s = new StringBuilder();
    m.forEach(
        (k, v) ->
            s.append(s.length() == 0 ? "" : ", ")
                .append(k.toLowerCase(Locale.ROOT))
                .append(' ')
                .append(v));
    return s.toString();
  }

  private static String num(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
  }
}
