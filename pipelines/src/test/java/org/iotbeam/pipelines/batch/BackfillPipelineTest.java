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
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.iotbeam.pipelines.common.ProcessingConfigs;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.ProcessingConfig;
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

  /** Runs the reading side and the composite; returns the summary, the outputs land in sinks. */
  static Summary runExpand(BackfillPipeline.Options o, List<WindowAggregate> aggregates,
      List<Alert> alerts, List<DeadLetter> deadLetters) {
    ProcessingConfig config = ProcessingConfigs.fromOptions(o);
    ArchiveRange range = ArchiveRange.parse(o.getFrom(), o.getTo(), 300_000L);
    Pipeline p = Pipeline.create(o);
    BackfillPipeline.BackfillResults r =
        BackfillPipeline.expand(p, o.getArchiveBase(), range, o.getWarmupMinutes() * 60_000L,
            config, 1000);
    String run = java.util.UUID.randomUUID().toString();
    PAssert.that(r.aggregates()).satisfies(it -> collect(run + "/aggregates", it));
    PAssert.that(r.alerts()).satisfies(it -> collect(run + "/alerts", it));
    PAssert.that(r.deadLetters()).satisfies(it -> collect(run + "/dead", it));
    long start = System.nanoTime();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Summary summary = Summary.of(result, range, System.nanoTime() - start);
    aggregates.addAll(collected(run + "/aggregates"));
    alerts.addAll(collected(run + "/alerts"));
    deadLetters.addAll(collected(run + "/dead"));
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
  public void readsOnlyTheRangeAndProcessesItAsStreamingDoes() throws Exception {
    Path base = tmp.newFolder("raw").toPath();
    ArchiveFixture.standard(150).writeTo(base); // 10:00 .. 12:29
    List<WindowAggregate> aggs = new ArrayList<>();
    List<Alert> alerts = new ArrayList<>();
    List<DeadLetter> dead = new ArrayList<>();
    Summary s = runExpand(options("--archiveBase=" + base, "--from=2026-11-20T10:00:00Z",
        "--to=2026-11-20T12:00:00Z", "--outputBase=" + tmp.newFolder("out")), aggs, alerts, dead);

    // 3 devices x 2 metrics x 24 five-minute windows, one final pane each
    assertEquals(144, aggs.size());
    assertEquals(144, aggs.stream().map(WindowAggregate::getId).distinct().count());
    assertTrue(aggs.stream().allMatch(a -> a.getFinalPane() && a.getCount() == 5));
    assertTrue(aggs.stream().allMatch(a -> a.getWindowStartMs() >= ArchiveFixture.T0
        && a.getWindowEndMs() <= ArchiveFixture.T0 + 120 * ArchiveFixture.MINUTE));
    // the broken payloads of 10:07, 10:37, 11:07, 11:37 (not 12:07: outside the range)
    assertEquals(4, dead.size());
    assertTrue(dead.stream().allMatch(d -> d.getReason().equals("MALFORMED_PROTOBUF")));
    assertThat(ruleIds(alerts, AlertState.RAISED), hasItem("hot-01/temperature-critical-high"));
    // files of hours 10 and 11 only: 12 was not listed
    assertEquals(2, s.files());
    assertEquals(2 * 60 * 3 + 4, s.messagesRead());
    assertEquals(s.messagesRead(), s.messagesInRange());
    assertEquals(360, s.valid());
    assertEquals(4, s.deadLetters());
  }

  @Test
  public void writesTheStreamingSinksFilesAndARerunOverwritesThem() throws Exception {
    Path base = tmp.newFolder("raw").toPath();
    ArchiveFixture.standard(60).writeTo(base);
    String out = tmp.newFolder("out").toString();
    BackfillPipeline.Options o = options("--archiveBase=" + base, "--from=2026-11-20T10:00:00Z",
        "--to=2026-11-20T11:00:00Z", "--outputBase=" + out);
    Summary first = BackfillPipeline.run(o);
    List<String> files = OutputFiles.names(out, "aggregates");
    assertTrue(files.stream().allMatch(f -> f.contains("/aggregates/dt=2026-11-20/hour=10/"
        + "aggregates-20261120T10")));
    List<WindowAggregate> aggs = OutputFiles.read(out, "aggregates", WindowAggregate::newBuilder);
    assertEquals(3 * 2 * 12, aggs.size());
    assertEquals(aggs.size(), aggs.stream().map(WindowAggregate::getId).distinct().count());
    assertEquals(2, OutputFiles.<DeadLetter>read(out, "dead-letters", DeadLetter::newBuilder)
        .size());
    List<Alert> alerts = OutputFiles.read(out, "alerts", Alert::newBuilder);
    assertThat(ruleIds(alerts, AlertState.RAISED), hasItem("hot-01/temperature-critical-high"));
    assertEquals(first.aggregates(), aggs.size());
    assertThat(first.toString(), containsString("1 files, 182 messages read"));

    BackfillPipeline.run(options("--archiveBase=" + base, "--from=2026-11-20T10:00:00Z",
        "--to=2026-11-20T11:00:00Z", "--outputBase=" + out));
    // Same window, pane and shard give the same file name, but which of the --fileShards files
    // a record lands in is the runner's choice: a rerun may leave an earlier run's other shard
    // behind. What holds is by id: the same ids with the same values, nothing else.
    List<WindowAggregate> again = OutputFiles.read(out, "aggregates", WindowAggregate::newBuilder);
    assertTrue(files.size() <= OutputFiles.names(out, "aggregates").size());
    SameResults.assertSameAggregates(SameResults.finalPanes(aggs), SameResults.finalPanes(again));
  }

  @Test
  public void reprocessingWithOtherRulesRecomputesTheAlerts() throws Exception {
    Path base = tmp.newFolder("raw").toPath();
    ArchiveFixture.standard(60).writeTo(base);
    Path rules = tmp.newFile("rules.json").toPath();
    Files.writeString(rules, """
        {"thresholds": [
          {"id": "warm", "metric": "temperature", "operator": ">", "value": 22.0,
           "forReadings": 2, "severity": "warning", "priority": 3, "cooldownMinutes": 0}
        ]}
        """, StandardCharsets.UTF_8);
    String[] common = {"--archiveBase=" + base, "--from=2026-11-20T10:00:00Z",
        "--to=2026-11-20T11:00:00Z", "--outputBase=" + tmp.newFolder("out")};

    List<Alert> before = new ArrayList<>();
    runExpand(options(common), new ArrayList<>(), before, new ArrayList<>());
    List<Alert> after = new ArrayList<>();
    List<String> withRules = new ArrayList<>(List.of(common));
    withRules.add("--rulesFile=" + rules);
    runExpand(options(withRules.toArray(String[]::new)), new ArrayList<>(), after,
        new ArrayList<>());

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
    runExpand(options("--archiveBase=" + base, "--from=2026-11-20T10:00:00Z",
        "--to=2026-11-20T11:00:00Z", "--outputBase=" + out), fullAggs, full, new ArrayList<>());
    long from = ArchiveFixture.T0 + 25 * ArchiveFixture.MINUTE;
    List<Alert> expected = full.stream().filter(a -> a.getEventTimeMs() >= from).toList();
    assertTrue(expected.stream().anyMatch(a -> a.getState() == AlertState.CLEARED
        && a.getRuleId().equals("temperature-critical-high")));

    // [10:25, 11:00) warmed up on the hour before: the raise of 10:22 is known, its clear kept
    List<WindowAggregate> aggs = new ArrayList<>();
    List<Alert> warm = new ArrayList<>();
    Summary s = runExpand(options("--archiveBase=" + base, "--from=2026-11-20T10:25:00Z",
        "--to=2026-11-20T11:00:00Z", "--outputBase=" + out), aggs, warm, new ArrayList<>());
    SameResults.assertSameAlerts(expected, warm);
    SameResults.assertSameAggregates(SameResults.finalPanes(fullAggs.stream()
        .filter(a -> a.getWindowStartMs() >= from).toList()), SameResults.finalPanes(aggs));
    assertEquals(3 * 2 * 7, aggs.size());
    assertEquals(25 * 3, s.warmupMessages()); // the readings of 10:00-10:24
    // 10:25-10:59, and both unreadable payloads of hour 10 (placed by their partition)
    assertEquals(35 * 3 + 2, s.messagesInRange());

    // without warm-up the range starts blank: the still-hot device "raises" a second time
    List<Alert> cold = new ArrayList<>();
    runExpand(options("--archiveBase=" + base, "--from=2026-11-20T10:25:00Z",
        "--to=2026-11-20T11:00:00Z", "--outputBase=" + out, "--warmupMinutes=0"),
        new ArrayList<>(), cold, new ArrayList<>());
    assertThat(ruleIds(cold, AlertState.RAISED), hasItem("hot-01/temperature-critical-high"));
    assertThat(ruleIds(warm, AlertState.RAISED), not(hasItem("hot-01/temperature-critical-high")));
  }

  @Test
  public void emptyRangeFailsFastNamingTheHoursChecked() throws Exception {
    Path base = tmp.newFolder("raw").toPath();
    ArchiveFixture.standard(30).writeTo(base);
    BackfillPipeline.Options o = options("--archiveBase=" + base, "--from=2026-11-21T10:00:00Z",
        "--to=2026-11-21T12:00:00Z", "--outputBase=" + tmp.newFolder("out"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BackfillPipeline.run(o));
    assertThat(e.getMessage(), containsString("no raw archive files under " + base
        + " for [2026-11-21T10:00:00Z, 2026-11-21T12:00:00Z): checked dt=2026-11-21/hour=10, "
        + "dt=2026-11-21/hour=11"));
  }

  @Test
  public void badRangeFailsFast() {
    BackfillPipeline.Options o = options("--archiveBase=/nowhere", "--from=2026-11-21",
        "--to=2026-11-20", "--outputBase=/nowhere");
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
