package org.iotbeam.pipelines.batch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.domain.validation.Stage;
import org.iotbeam.domain.validation.Violation;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.DeadLetters;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class BackfillPipelineTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  static BackfillPipeline.Options options(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--runner=DirectRunner");
    return PipelineOptionsFactory.fromArgs(all.toArray(String[]::new))
        .as(BackfillPipeline.Options.class);
  }

  /** Runs the reading side and the composite; returns the summary, the outputs land in lists. */
  static Summary runExpand(
      BackfillPipeline.Options o,
      List<WindowAggregate> aggregates,
      List<Alert> alerts,
      List<DeadLetter> deadLetters) {
    return runExpand(o, aggregates, alerts, deadLetters, new ArrayList<>());
  }

  static Summary runExpand(
      BackfillPipeline.Options o,
      List<WindowAggregate> aggregates,
      List<Alert> alerts,
      List<DeadLetter> deadLetters,
      List<DeadLetter> recovered) {
    BackfillPipeline.Plan plan = BackfillPipeline.plan(o);
    ReadProgress.Plan listed = BackfillPipeline.preflight(o, plan);
    Pipeline p = Pipeline.create(o);
    BackfillPipeline.BackfillResults r =
        BackfillPipeline.expand(
            p,
            new ArchiveSource(
                o.getArchiveFormat(), o.getArchiveBase(), plan.selector(), listed, 1000),
            plan.config(),
            plan.priorDeadLetters());
    String run = java.util.UUID.randomUUID().toString();
    PAssert.that(r.aggregates()).satisfies(it -> collect(run + "/aggregates", it));
    PAssert.that(r.alerts()).satisfies(it -> collect(run + "/alerts", it));
    PAssert.that(r.deadLetters()).satisfies(it -> collect(run + "/dead", it));
    PAssert.that(r.recovered()).satisfies(it -> collect(run + "/recovered", it));
    long start = System.nanoTime();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Summary summary = Summary.of(result, plan.range(), System.nanoTime() - start, List.of());
    aggregates.addAll(collected(run + "/aggregates"));
    alerts.addAll(collected(run + "/alerts"));
    deadLetters.addAll(collected(run + "/dead"));
    recovered.addAll(collected(run + "/recovered"));
    return summary;
  }

  /** PAssert's functions are serialized: what they see comes back through this JVM-wide map. */
  private static final java.util.Map<String, List<Object>> COLLECTED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Void collect(String key, Iterable<?> items) {
    List<Object> l = new ArrayList<>();
    items.forEach(l::add);
    COLLECTED.put(key, l);
    return null;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> collected(String key) {
    List<Object> l = COLLECTED.remove(key);
    return l == null ? List.of() : (List<T>) (List<?>) l;
  }

  @Test
  public void readsTheIngestHoursOfTheRangeAndProcessesItAsStreamingDoes() throws Exception {
    Path base = tmp.newFolder("raw").toPath();
    long min = ArchiveFixture.MINUTE;
    long t0 = ArchiveFixture.T0;
    ArchiveFixture.standard(150) // 10:00 .. 12:29, ingested half a second later
        // a reading of 11:58:30 that arrives at 12:06, within the watermark delay and the
        // allowed lateness: in the file of hour 12, and part of [10:00, 12:00)
        .reading("dev-a", t0 + 118 * min + 30_000, t0 + 126 * min, 20.0)
        // one of 11:59 that arrives at 13:30, later than streaming would have counted it: hour
        // 13 is not read
        .reading("dev-b", t0 + 119 * min, t0 + 210 * min, 20.0)
        .writeTo(base);
    List<WindowAggregate> aggs = new ArrayList<>();
    List<Alert> alerts = new ArrayList<>();
    List<DeadLetter> dead = new ArrayList<>();
    Summary s =
        runExpand(
            options(
                "--archiveBase=" + base,
                "--from=2026-11-20T10:00:00Z",
                "--to=2026-11-20T12:00:00Z",
                "--outputBase=" + tmp.newFolder("out")),
            aggs,
            alerts,
            dead);

    // 3 devices x 2 metrics x 24 five-minute windows, one final pane each
    assertEquals(144, aggs.size());
    assertEquals(144, aggs.stream().map(WindowAggregate::getId).distinct().count());
    String late = "|" + (t0 + 115 * min);
    // (one pane each; its final_pane flag is the DirectRunner's timing, not checked here)
    assertEquals(
        List.of(),
        aggs.stream()
            .filter(
                a ->
                    a.getCount()
                        != (a.getId().equals("dev-a|temperature" + late)
                                || a.getId().equals("dev-a|humidity" + late)
                            ? 6
                            : 5))
            .toList());
    assertTrue(
        aggs.stream()
            .allMatch(a -> a.getWindowStartMs() >= t0 && a.getWindowEndMs() <= t0 + 120 * min));
    // the broken payloads ingested at 10:07, 10:37, 11:07, 11:37 (not 12:07: after the range)
    assertEquals(4, dead.size());
    assertTrue(dead.stream().allMatch(d -> d.getReason().equals("MALFORMED_PROTOBUF")));
    assertThat(ruleIds(alerts, AlertState.RAISED), hasItem("hot-01/temperature-critical-high"));
    // ingest hours 08 .. 12 are listed (warm-up, skew, delay, lateness): files of 10, 11, 12
    assertEquals(3, s.files());
    assertEquals(2 * 182 + 30 * 3 + 1 + 1, s.messagesRead());
    assertEquals(120 * 3 + 1 + 4, s.messagesInRange());
    assertEquals(30 * 3 + 1, s.messagesOutside()); // 12:00 .. 12:29 and the broken one of 12:07
    assertEquals(0, s.warmupMessages());
    assertEquals(361, s.valid());
    assertEquals(4, s.deadLetters());
  }

  @Test
  public void writesOneFilePerHourAndShardAndARerunLeavesExactlyOneCopy() throws Exception {
    Path base = tmp.newFolder("raw").toPath();
    ArchiveFixture.standard(60).writeTo(base);
    String out = tmp.newFolder("out").toString();
    String[] flags = {
      "--archiveBase=" + base,
      "--from=2026-11-20T10:00:00Z",
      "--to=2026-11-20T11:00:00Z",
      "--outputBase=" + out
    };
    Summary first = BackfillPipeline.run(options(flags));
    Map<String, List<String>> names = new TreeMap<>();
    for (String kind : BackfillOutputs.KINDS) {
      names.put(kind, OutputFiles.names(out, kind));
      // every file of the range, empty or not: 1 hour x 2 shards
      assertEquals(
          kind,
          List.of(
              out
                  + "/"
                  + kind
                  + "/dt=2026-11-20/hour=10/"
                  + kind
                  + "-backfill-20261120T1000Z-20261120T1100Z-s00-of-02.jsonl.gz",
              out
                  + "/"
                  + kind
                  + "/dt=2026-11-20/hour=10/"
                  + kind
                  + "-backfill-20261120T1000Z-20261120T1100Z-s01-of-02.jsonl.gz"),
          names.get(kind));
    }
    List<WindowAggregate> aggs = OutputFiles.read(out, "aggregates", WindowAggregate::newBuilder);
    assertEquals(3 * 2 * 12, aggs.size());
    assertEquals(aggs.size(), aggs.stream().map(WindowAggregate::getId).distinct().count());
    assertEquals(
        2, OutputFiles.<DeadLetter>read(out, "dead-letters", DeadLetter::newBuilder).size());
    List<Alert> alerts = OutputFiles.read(out, "alerts", Alert::newBuilder);
    assertThat(ruleIds(alerts, AlertState.RAISED), hasItem("hot-01/temperature-critical-high"));
    assertEquals(first.aggregates(), aggs.size());
    assertThat(first.toString(), containsString("1 files, 182 messages read"));

    // the same range again: the same files, each record once
    BackfillPipeline.run(options(flags));
    for (String kind : BackfillOutputs.KINDS) {
      assertEquals(names.get(kind), OutputFiles.names(out, kind));
    }
    List<WindowAggregate> again = OutputFiles.read(out, "aggregates", WindowAggregate::newBuilder);
    assertEquals(aggs.size(), again.size());
    SameResults.assertSameAggregates(SameResults.finalPanes(aggs), SameResults.finalPanes(again));
    SameResults.assertSameAlerts(alerts, OutputFiles.read(out, "alerts", Alert::newBuilder));

    // and with another shard count: the earlier run's files are gone, nothing is doubled
    List<String> three = new ArrayList<>(List.of(flags));
    three.add("--fileShards=3");
    BackfillPipeline.run(options(three.toArray(String[]::new)));
    for (String kind : BackfillOutputs.KINDS) {
      List<String> now = OutputFiles.names(out, kind);
      assertEquals(3, now.size());
      assertTrue(now.toString(), now.stream().allMatch(n -> n.endsWith("-of-03.jsonl.gz")));
    }
    List<WindowAggregate> sharded =
        OutputFiles.read(out, "aggregates", WindowAggregate::newBuilder);
    assertEquals(aggs.size(), sharded.size());
    SameResults.assertSameAggregates(SameResults.finalPanes(aggs), SameResults.finalPanes(sharded));
    assertEquals(
        2, OutputFiles.<DeadLetter>read(out, "dead-letters", DeadLetter::newBuilder).size());
  }

  @Test
  public void earlierDeadLettersOfReadingsAreMarkedRecovered() throws Exception {
    Path dir = tmp.newFolder("streaming").toPath();
    ArchiveFixture fixture = ArchiveFixture.standard(60);
    fixture.writeTo(dir.resolve("raw"));
    List<InboundMessage> archived = fixture.messages();
    InboundMessage reading = archived.get(40); // a valid reading of 10:13
    InboundMessage broken =
        archived.stream()
            .filter(m -> m.getPayload().size() == 4)
            .findFirst()
            .orElseThrow(); // 10:07
    InboundMessage notArchived =
        reading.toBuilder().setSource(reading.getSource().toBuilder().setOffset(9999)).build();
    // what streaming wrote with a too tight limit, a sink's failure, and one of another archive
    writeDeadLetters(
        dir.resolve("dead-letters/dt=2026-11-20/hour=10/dl.jsonl.gz"),
        List.of(
            DeadLetters.of(
                reading, new Violation(Reason.PAYLOAD_TOO_LARGE, "60 > 50 bytes"), Stage.PARSE),
            DeadLetters.of(
                broken, new Violation(Reason.MALFORMED_PROTOBUF, "truncated"), Stage.PARSE),
            DeadLetters.of(
                notArchived, new Violation(Reason.PAYLOAD_TOO_LARGE, "60 > 50"), Stage.PARSE),
            DeadLetters.sinkFailure(
                "cosmos/telemetry/aggregates",
                "x|temperature|1",
                com.google.protobuf.ByteString.copyFromUtf8("{}"),
                "",
                Reason.SINK_WRITE_FAILED,
                "throttled")));
    List<DeadLetter> dead = new ArrayList<>();
    List<DeadLetter> recovered = new ArrayList<>();
    Summary s =
        runExpand(
            options(
                "--archiveBase=" + dir.resolve("raw"),
                "--from=2026-11-20T10:00:00Z",
                "--to=2026-11-20T11:00:00Z",
                "--outputBase=" + tmp.newFolder("out")),
            new ArrayList<>(),
            new ArrayList<>(),
            dead,
            recovered);

    assertEquals(1, recovered.size());
    DeadLetter r = recovered.get(0);
    assertEquals(DeadLetters.idOf(reading), r.getId());
    assertEquals("recovered", r.getStage());
    assertEquals("RECOVERED", r.getReason());
    assertThat(r.getDetail(), containsString("was PAYLOAD_TOO_LARGE: 60 > 50 bytes"));
    assertEquals(reading, r.getInbound());
    assertEquals(1, s.recovered());
    assertEquals(1, s.stillDead()); // the broken one of 10:07; 10:37 is newly dead
    assertEquals(2, dead.size());
  }

  private static void writeDeadLetters(Path file, List<DeadLetter> records) throws Exception {
    Files.createDirectories(file.getParent());
    try (var out =
        new java.io.OutputStreamWriter(
            new java.util.zip.GZIPOutputStream(Files.newOutputStream(file)),
            StandardCharsets.UTF_8)) {
      for (DeadLetter d : records) {
        out.write(ProtoJson.toJson(d) + "\n");
      }
    }
  }

  @Test
  public void reprocessingWithOtherRulesRecomputesTheAlerts() throws Exception {
    Path base = tmp.newFolder("raw").toPath();
    ArchiveFixture.standard(60).writeTo(base);
    Path rules = tmp.newFile("rules.json").toPath();
    Files.writeString(
        rules,
        """
        {"thresholds": [
          {"id": "warm", "metric": "temperature", "operator": ">", "value": 22.0,
           "forReadings": 2, "severity": "warning", "priority": 3, "cooldownMinutes": 0}
        ]}
        """,
        StandardCharsets.UTF_8);
    String[] common = {
      "--archiveBase=" + base,
      "--from=2026-11-20T10:00:00Z",
      "--to=2026-11-20T11:00:00Z",
      "--outputBase=" + tmp.newFolder("out")
    };

    List<Alert> before = new ArrayList<>();
    runExpand(options(common), new ArrayList<>(), before, new ArrayList<>());
    List<Alert> after = new ArrayList<>();
    List<String> withRules = new ArrayList<>(List.of(common));
    withRules.add("--rulesFile=" + rules);
    runExpand(
        options(withRules.toArray(String[]::new)), new ArrayList<>(), after, new ArrayList<>());

    assertThat(ruleIds(before, AlertState.RAISED), hasItem("hot-01/temperature-critical-high"));
    assertThat(ruleIds(before, AlertState.RAISED), not(hasItem("dev-a/warm")));
    Set<String> now = ruleIds(after, AlertState.RAISED);
    assertThat(now, not(hasItem("hot-01/temperature-critical-high")));
    // temperatures cycle 20.0 .. 23.0: every device goes above 22 C for 2 readings, repeatedly
    assertThat(now, hasItem("dev-a/warm"));
    assertThat(now, hasItem("dev-b/warm"));
    assertThat(now, hasItem("hot-01/warm"));
  }

  @Test
  public void warmUpGivesTheAlertsOfTheFullRunInsideASubRange() throws Exception {
    Path base = tmp.newFolder("raw").toPath();
    ArchiveFixture.standard(60).writeTo(base); // hot-01 above 45 C from 10:20 to 10:29
    String out = tmp.newFolder("out").toString();
    List<WindowAggregate> fullAggs = new ArrayList<>();
    List<Alert> full = new ArrayList<>();
    runExpand(
        options(
            "--archiveBase=" + base,
            "--from=2026-11-20T10:00:00Z",
            "--to=2026-11-20T11:00:00Z",
            "--outputBase=" + out),
        fullAggs,
        full,
        new ArrayList<>());
    long from = ArchiveFixture.T0 + 25 * ArchiveFixture.MINUTE;
    List<Alert> expected = full.stream().filter(a -> a.getEventTimeMs() >= from).toList();
    assertTrue(
        expected.stream()
            .anyMatch(
                a ->
                    a.getState() == AlertState.CLEARED
                        && a.getRuleId().equals("temperature-critical-high")));

    // [10:25, 11:00) warmed up on the hour before: the raise of 10:22 is known, its clear kept
    List<WindowAggregate> aggs = new ArrayList<>();
    List<Alert> warm = new ArrayList<>();
    Summary s =
        runExpand(
            options(
                "--archiveBase=" + base,
                "--from=2026-11-20T10:25:00Z",
                "--to=2026-11-20T11:00:00Z",
                "--outputBase=" + out),
            aggs,
            warm,
            new ArrayList<>());
    SameResults.assertSameAlerts(expected, warm);
    SameResults.assertSameAggregates(
        SameResults.finalPanes(
            fullAggs.stream().filter(a -> a.getWindowStartMs() >= from).toList()),
        SameResults.finalPanes(aggs));
    assertEquals(3 * 2 * 7, aggs.size());
    assertEquals(25 * 3, s.warmupMessages()); // the readings of 10:00-10:24
    // 10:25-10:59, and the unreadable payload ingested at 10:37 (the one of 10:07 is before)
    assertEquals(35 * 3 + 1, s.messagesInRange());
    assertEquals(1, s.messagesOutside());

    // without warm-up the range starts blank: the still-hot device "raises" a second time
    List<Alert> cold = new ArrayList<>();
    runExpand(
        options(
            "--archiveBase=" + base,
            "--from=2026-11-20T10:25:00Z",
            "--to=2026-11-20T11:00:00Z",
            "--outputBase=" + out,
            "--warmupMinutes=0"),
        new ArrayList<>(),
        cold,
        new ArrayList<>());
    assertThat(ruleIds(cold, AlertState.RAISED), hasItem("hot-01/temperature-critical-high"));
    assertThat(ruleIds(warm, AlertState.RAISED), not(hasItem("hot-01/temperature-critical-high")));
  }

  @Test
  public void emptyRangeFailsFastNamingTheHoursChecked() throws Exception {
    Path base = tmp.newFolder("raw").toPath();
    ArchiveFixture.standard(30).writeTo(base);
    BackfillPipeline.Options o =
        options(
            "--archiveBase=" + base,
            "--from=2026-11-21T10:00:00Z",
            "--to=2026-11-21T12:00:00Z",
            "--outputBase=" + tmp.newFolder("out"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BackfillPipeline.run(o));
    assertThat(
        e.getMessage(),
        containsString(
            "no raw archive files under "
                + base
                + " for [2026-11-21T10:00:00Z, 2026-11-21T12:00:00Z) (ingest hours "
                + "[2026-11-21T08:00:00Z, 2026-11-21T13:00:00Z)): checked "
                + base
                + "/dt=2026-11-21/hour=08/*.pb.gz, "
                + base
                + "/dt=2026-11-21/hour=09/*.pb.gz"));
  }

  @Test
  public void badRangeFailsFast() {
    BackfillPipeline.Options o =
        options(
            "--archiveBase=/nowhere",
            "--from=2026-11-21",
            "--to=2026-11-20",
            "--outputBase=/nowhere");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BackfillPipeline.run(o));
    assertThat(e.getMessage(), containsString("must be before --to"));
  }

  static Set<String> ruleIds(List<Alert> alerts, AlertState state) {
    Set<String> out = new TreeSet<>();
    for (Alert a : alerts) {
      if (a.getState() == state) {
        out.add(a.getDeviceId() + "/" + a.getRuleId());
      }
    }
    return out;
  }
}
