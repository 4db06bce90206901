package org.iotbeam.runners.demo;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.transforms.TelemetryMetrics;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The summary's arithmetic, checks and text, the output counting and the flags; no Beam runs. */
public class DemoSummaryTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  static Map<String, Long> counters() {
    Map<String, Long> c = new HashMap<>();
    c.put("messages_received", 60_000L);
    c.put("messages_valid", 59_400L);
    c.put("dead_letters", 600L);
    c.put("dead_letters_malformed_protobuf", 240L);
    c.put("dead_letters_value_out_of_range", 120L);
    c.put("dead_letters_missing_device_id", 120L);
    c.put("dead_letters_timestamp_in_future", 120L);
    c.put("dead_letters_payload_too_large", 0L);
    c.put("duplicates_dropped", 3L);
    c.put("aggregates_emitted", 2_000L);
    c.put("aggregates_late_panes", 0L);
    c.put("alerts_raised_critical", 4L);
    c.put("alerts_raised_warning", 7L);
    c.put("alerts_raised_info", 0L);
    c.put("alerts_cleared_warning", 2L);
    return c;
  }

  static DemoSummary.Outputs outputs(Path base, long raw, long aggregates, long alerts, long dead) {
    return new DemoSummary.Outputs(
        base,
        Map.of(
            "raw", new DemoSummary.FileCount(4, raw),
            "aggregates", new DemoSummary.FileCount(6, aggregates),
            "alerts", new DemoSummary.FileCount(2, alerts),
            "dead-letters", new DemoSummary.FileCount(3, dead)));
  }

  static DemoSummary summary(
      Map<String, Long> counters, DemoSummary.Outputs outputs, long delivered, long forwarded) {
    return summary(1000, counters, outputs, delivered, forwarded);
  }

  static DemoSummary summary(
      double targetRate,
      Map<String, Long> counters,
      DemoSummary.Outputs outputs,
      long delivered,
      long forwarded) {
    return new DemoSummary(
        new DemoSummary.Run(60, 200, targetRate, 2, 1, "Flink embedded"),
        new DemoSummary.Sent(
            60_000,
            59_400,
            600,
            Map.of(
                "random_bytes",
                120L,
                "truncated",
                120L,
                "out_of_range",
                120L,
                "missing_device_id",
                120L,
                "future_timestamp",
                120L),
            delivered,
            0,
            60_000),
        new DemoSummary.Bridge(forwarded, forwarded, 0),
        counters,
        outputs,
        new DemoSummary.Timing(4_000, 2_000, 30_000, 110_000),
        "http://127.0.0.1:9464/metrics");
  }

  @Test
  public void metricNamesAgreeWithTheTransforms() {
    assertEquals(TelemetryMetrics.RECEIVED, DemoSummary.RECEIVED);
    assertEquals(TelemetryMetrics.VALID, DemoSummary.VALID);
    assertEquals(TelemetryMetrics.DEAD_LETTERS, DemoSummary.DEAD_LETTERS);
    assertEquals(TelemetryMetrics.DEAD_LETTER_REASON_PREFIX, DemoSummary.DEAD_LETTER_REASON_PREFIX);
    assertEquals(TelemetryMetrics.DUPLICATES, DemoSummary.DUPLICATES);
    assertEquals(TelemetryMetrics.UNKNOWN_DEVICES, DemoSummary.UNKNOWN_DEVICES);
    assertEquals(TelemetryMetrics.AGGREGATES, DemoSummary.AGGREGATES);
    assertEquals(TelemetryMetrics.LATE_PANES, DemoSummary.LATE_PANES);
    assertEquals(TelemetryMetrics.ALERTS_RAISED_PREFIX, DemoSummary.ALERTS_RAISED_PREFIX);
    assertEquals(TelemetryMetrics.ALERTS_CLEARED_PREFIX, DemoSummary.ALERTS_CLEARED_PREFIX);
  }

  @Test
  public void collectsCountersByReasonAndSeverity() {
    DemoSummary s =
        summary(counters(), outputs(Path.of("/o"), 60_000, 2_000, 13, 600), 60_000, 60_000);
    assertEquals(60_000, s.received());
    assertEquals(
        Map.of(
            "malformed_protobuf",
            240L,
            "value_out_of_range",
            120L,
            "missing_device_id",
            120L,
            "timestamp_in_future",
            120L),
        s.deadLettersByReason());
    assertEquals(Map.of("critical", 4L, "warning", 7L), s.alertsRaised());
    assertEquals(Map.of("warning", 2L), s.alertsCleared());
    // 60000 messages over 60 s of sending + 2 s of draining
    assertEquals(60_000 / 62.0, s.pipelineThroughput(), 1e-9);
    assertThat(s.problems(), empty());
  }

  @Test
  public void formatsEverySectionWithPlainNumbers() {
    DemoSummary s =
        summary(
            counters(),
            outputs(Path.of("/tmp/demo-output/x"), 60_000, 2_000, 13, 600),
            60_000,
            60_000);
    String text = s.format();
    for (String expected :
        List.of(
            "IoT Beam demo: 60 s, 200 devices, 1000 msg/s target, Flink embedded (parallelism 2), "
                + "1-minute windows",
            "messages sent        60000  (valid 59400, malformed 600 by construction)",
            "malformed by kind    future_timestamp 120, missing_device_id 120, out_of_range 120, "
                + "random_bytes 120, truncated 120",
            "delivered to MQTT    60000  (failed 0)",
            "rate                 1000.0 msg/s over 60.0 s",
            "forwarded to Kafka   60000  (received 60000, failed 0)",
            "messages received    60000",
            "valid                59400",
            "dead-lettered        600  (malformed_protobuf 240, missing_device_id 120, "
                + "timestamp_in_future 120, value_out_of_range 120)",
            "duplicates dropped   3",
            "aggregates emitted   2000  (late panes 0; in files 2000)",
            "alerts raised        11  (critical 4, warning 7); cleared 2",
            "throughput           967.7 msg/s end to end, input paced at 1000.0 msg/s  (all received "
                + "2.0 s after the simulator stopped)",
            "[ OK ] delivered == forwarded == received   60000 == 60000 == 60000",
            "[ OK ] valid + dead-lettered == received    59400 + 600 == 60000",
            "[ OK ] dead-lettered >= malformed sent      600 >= 600 (equal)",
            "[ OK ] files match the counters",
            "Outputs under /tmp/demo-output/x",
            "raw/               4 files, 60000 messages",
            "aggregates/        6 files, 2000 records",
            "alerts/            2 files, 13 records",
            "dead-letters/      3 files, 600 records",
            "Prometheus endpoint (while the demo ran): http://127.0.0.1:9464/metrics",
            "All checks passed.")) {
      assertThat(text, containsString(expected));
    }
    assertThat(text, not(containsString("unknown devices")));
    assertThat(text, not(containsString("asked")));
  }

  @Test
  public void saysWhenTheSimulatorSentWellUnderTheRateAsked() {
    String text =
        summary(
                5000,
                counters(),
                outputs(Path.of("/tmp/demo-output/x"), 60_000, 2_000, 13, 600),
                60_000,
                60_000)
            .format();
    assertThat(
        text,
        containsString(
            "rate                 1000.0 msg/s over 60.0 s  (20% of the 5000 msg/s asked: this "
                + "machine sent no faster while running the rest)"));
  }

  @Test
  public void failsWhenTheScriptedAlertIsMissingOrPanesAreLateOrRepeated() {
    DemoSummary base =
        summary(counters(), outputs(Path.of("/o"), 60_000, 2_000, 13, 600), 60_000, 60_000);
    DemoSummary.Semantics good =
        new DemoSummary.Semantics(
            2_000, 2_000, 0, "dev-0000", "temperature-critical-high", true, true);
    assertTrue(with(base, good).problems().isEmpty());
    assertTrue(with(base, good).format().contains("[ OK ] scripted alert raised and cleared"));

    DemoSummary noAlert =
        with(
            base,
            new DemoSummary.Semantics(
                2_000, 2_000, 0, "dev-0000", "temperature-critical-high", true, false));
    assertEquals(1, noAlert.problems().size());
    assertTrue(noAlert.format().contains("[FAIL] scripted alert raised and cleared"));

    // the old watermark's signature: one late pane per late reading, several records per window
    DemoSummary late =
        with(
            base,
            new DemoSummary.Semantics(
                1_000, 2_000, 900, "dev-0000", "temperature-critical-high", true, true));
    assertEquals(late.problems().toString(), 2, late.problems().size());
    assertTrue(late.format().contains("[FAIL] late panes <= 1% of aggregates"));
    assertTrue(late.format().contains("[FAIL] aggregates <= 1.1 per window"));
    // 1% exactly still passes; just over fails
    assertTrue(
        with(base, new DemoSummary.Semantics(1_000, 1_000, 10, "d", "r", true, true))
            .problems()
            .isEmpty());
    assertEquals(
        1,
        with(base, new DemoSummary.Semantics(1_000, 1_000, 11, "d", "r", true, true))
            .problems()
            .size());
  }

  private static DemoSummary with(DemoSummary s, DemoSummary.Semantics semantics) {
    return new DemoSummary(
        s.run(),
        s.sent(),
        s.bridge(),
        s.pipelineCounters(),
        s.outputs(),
        s.timing(),
        s.prometheusUrl(),
        semantics);
  }

  @Test
  public void reportsWhatDoesNotAddUp() {
    Map<String, Long> c = counters();
    c.put("messages_received", 59_990L);
    DemoSummary s = summary(c, outputs(Path.of("/o"), 59_000, 1_990, 13, 600), 60_000, 59_995);
    List<String> problems = s.problems();
    assertThat(problems, hasSize(4));
    assertThat(
        problems.get(0),
        containsString(
            "simulator delivered 60000, bridge forwarded " + "59995, pipeline received 59990"));
    assertThat(problems.get(1), containsString("valid 59400 + dead letters 600 != received 59990"));
    assertThat(
        problems.get(2), containsString("raw/ messages 59000 != messages_received " + "59990"));
    assertThat(
        problems.get(3),
        containsString("aggregates/ records 1990 != aggregates_emitted " + "2000"));
    String text = s.format();
    assertThat(text, containsString("[FAIL] delivered == forwarded == received"));
    assertThat(text, containsString("Some checks FAILED."));

    DemoSummary undrained =
        new DemoSummary(
            s.run(),
            s.sent(),
            s.bridge(),
            c,
            s.outputs(),
            new DemoSummary.Timing(1, -1, 1, 1),
            null);
    assertThat(undrained.format(), containsString("NOT all received before the timeout"));
    assertThat(undrained.format(), not(containsString("Prometheus")));
  }

  @Test
  public void countsFinishedFilesOnlyAndTheirRecords() throws Exception {
    Path base = tmp.getRoot().toPath();
    Path hour = base.resolve("aggregates/dt=2026-11-26/hour=21");
    Files.createDirectories(hour);
    gzipLines(hour.resolve("aggregates-a.jsonl.gz"), "{\"id\":1}\n{\"id\":2}\n");
    gzipLines(hour.resolve("aggregates-b.jsonl.gz"), "{\"id\":3}\n");
    Path temp = base.resolve("aggregates/.temp-beam-123");
    Files.createDirectories(temp);
    gzipLines(temp.resolve("unfinished.jsonl.gz"), "{\"id\":4}\n");
    Path raw = base.resolve("raw/dt=2026-11-26/hour=21");
    Files.createDirectories(raw);
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(raw.resolve("raw-a.pb.gz")))) {
      for (int i = 0; i < 5; i++) {
        RawArchiveFormat.write(InboundMessage.newBuilder().setKey("dev-" + i).build(), out);
      }
    }

    DemoSummary.Outputs o = OutputCounts.count(base);
    assertEquals(new DemoSummary.FileCount(2, 3), o.of("aggregates"));
    assertEquals(new DemoSummary.FileCount(1, 5), o.of("raw"));
    assertEquals(new DemoSummary.FileCount(0, 0), o.of("alerts"));
    assertEquals(new DemoSummary.FileCount(0, 0), o.of("dead-letters"));
  }

  @Test
  public void parsesFlags() {
    DemoOptions d = DemoOptions.parse();
    assertEquals(Duration.ofSeconds(60), d.duration);
    assertEquals(1000, d.rate, 0);
    assertEquals(200, d.devices);
    assertTrue(d.output().toString().contains("demo-output"));

    DemoOptions o =
        DemoOptions.parse(
            "--duration",
            "2m",
            "--rate=500",
            "--devices",
            "10",
            "--output",
            "/tmp/x",
            "--prometheusPort",
            "-1",
            "--drainTimeout",
            "PT90S");
    assertEquals(Duration.ofMinutes(2), o.duration);
    assertEquals(500, o.rate, 0);
    assertEquals(10, o.devices);
    assertEquals(Path.of("/tmp/x"), o.output());
    assertEquals(-1, o.prometheusPort);
    assertEquals(Duration.ofSeconds(90), o.drainTimeout);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DemoOptions.parse(
                    "--duration",
                    "soon",
                    "--windowMinutes",
                    "7",
                    "--bogus",
                    "--drain-timeout",
                    "1m",
                    "--rate=fast"));
    assertThat(e.getMessage(), containsString("--duration soon: not a duration"));
    assertThat(e.getMessage(), containsString("unknown flag --bogus"));
    assertThat(e.getMessage(), containsString("--windowMinutes must divide 60"));
    assertThat(
        e.getMessage(),
        containsString("unknown flag --drain-timeout (did you mean --drainTimeout?)"));
    assertThat(e.getMessage(), containsString("--rate=fast: not a number"));
    assertEquals(e.getMessage(), 5, e.getMessage().lines().count());
  }

  @Test
  public void refusesAnOutputDirectoryWithAnEarlierRunsFiles() throws Exception {
    Path base = tmp.newFolder("earlier").toPath();
    Files.createDirectories(base.resolve("raw")); // an empty sink directory is no earlier run
    assertEquals(base, DemoOptions.parse("--output", base.toString()).output());

    Files.createDirectories(base.resolve("aggregates/dt=2026-11-26"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DemoOptions.parse("--output", base.toString()));
    assertThat(
        e.getMessage(),
        containsString(
            "--output "
                + base
                + " already holds the outputs of an earlier run (aggregates/ is not empty)"));
  }

  private static void gzipLines(Path f, String text) throws Exception {
    try (Writer w =
        new java.io.OutputStreamWriter(
            new GZIPOutputStream(Files.newOutputStream(f)), StandardCharsets.UTF_8)) {
      w.write(text);
    }
  }
}
