package org.iotbeam.runners;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.iotbeam.cli.Flags;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.pipelines.batch.BackfillPipeline;
import org.iotbeam.runners.demo.DemoOptions;
import org.junit.Test;

/**
 * The jar's one entry point: every command listed, each with its flags, bad input exits 2; every
 * pipeline command runs on Flink unless another runner is asked for.
 */
public class MainTest {
  @Test
  public void flinkEmbeddedUnlessAnotherRunnerIsAskedFor() {
    String[] given = {"--archiveBase=/a", "--from=2026-11-20"};
    String[] args = Main.onFlinkByDefault(given);
    assertArrayEquals(
        new String[] {"--archiveBase=/a", "--from=2026-11-20", "--runner=FlinkRunner"}, args);
    FlinkPipelineOptions o =
        PipelineOptionsFactory.fromArgs(args).withoutStrictParsing().as(FlinkPipelineOptions.class);
    assertEquals(FlinkRunner.class, o.getRunner());
    // no --flinkMaster: [auto], i.e. embedded in this JVM outside a Flink client
    assertEquals("[auto]", o.getFlinkMaster());

    String[] direct = {"--runner=DirectRunner", "--x=1"};
    assertArrayEquals(direct, Main.onFlinkByDefault(direct));
    String[] cluster = {"--runner", "FlinkRunner", "--flinkMaster=127.0.0.1:8081"};
    assertArrayEquals(cluster, Main.onFlinkByDefault(cluster));
  }

  @Test
  public void onlyPipelineCommandsGetBeamsRunnerFlags() {
    assertTrue(Main.COMMANDS.get("streaming").beamFlags());
    assertTrue(Main.COMMANDS.get("backfill").beamFlags());
    assertFalse(
        "the demo's flags are its own (and it runs on Flink anyway)",
        Main.COMMANDS.get("demo").beamFlags());
  }

  @Test
  public void pipelineFlagsTakeBothStyles() {
    PipelineOptionsFactory.register(StreamingPipeline.Options.class);
    assertArrayEquals(
        new String[] {
          "--windowMinutes=5", "--parallelism=3", "--writeKafka=true", "--runner=FlinkRunner"
        },
        Flags.checkPipeline(
            StreamingPipeline.Options.class,
            "--windowMinutes",
            "5",
            "--parallelism=3",
            "--writeKafka",
            "--runner",
            "FlinkRunner"));
  }

  /**
   * A tool's flag named like a pipeline's or the runner's (demo: windowMinutes, parallelism,
   * prometheusPort, smtp*) must agree with it in type and have no contradictory default: Beam
   * checks every interface against all registered ones.
   */
  @Test
  public void toolFlagsLiveAlongsideThePipelinesOptions() {
    PipelineOptionsFactory.register(StreamingPipeline.Options.class);
    PipelineOptionsFactory.register(BackfillPipeline.Options.class);
    DemoOptions d = DemoOptions.parse();
    assertEquals(1, DemoOptions.parse().windowMinutes());
    assertEquals("0", run("simulate", "--transport=kafka", "--count=1", "--dryRun")[0]);
    assertEquals("0", run("bridge", "--dryRun")[0]);
    assertEquals(
        d.toString(),
        7,
        DemoOptions.parse("--windowMinutes", "10", "--parallelism", "7").parallelism());
    String[] q = run("query", "--endpoint=nope");
    assertTrue(q[2], q[2].contains("--device is required"));
  }

  /** Runs Main on {@code args}: the exit code, then what it wrote to stdout and stderr. */
  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {
      String.valueOf(code),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
  }

  @Test
  public void helpListsEveryCommandWithOneLineEach() {
    assertEquals(
        List.of("streaming", "backfill", "demo", "simulate", "bridge", "query"),
        List.copyOf(Main.COMMANDS.keySet()));
    String[] r = run("--help");
    assertEquals(r[2], "0", r[0]);
    for (String name : Main.COMMANDS.keySet()) {
      assertTrue(
          name + " in\n" + r[1], r[1].lines().anyMatch(l -> l.matches("  " + name + " +\\S.*")));
    }
  }

  @Test
  public void unknownOrMissingCommandExitsTwoWithAMessage() {
    String[] r = run("frobnicate", "--x=1");
    assertEquals("2", r[0]);
    assertTrue(r[2], r[2].contains("unknown command 'frobnicate'"));
    assertTrue(r[2], r[2].contains("commands:"));
    assertEquals("2", run()[0]);
  }

  @Test
  public void everyCommandShowsItsFlags() {
    Map<String, String> aFlagOf =
        Map.of(
            "streaming",
            "outputBase",
            "backfill",
            "archiveBase",
            "simulate",
            "--transport",
            "bridge",
            "--mqttUrl",
            "query",
            "--endpoint",
            "demo",
            "--windowMinutes");
    aFlagOf.forEach(
        (command, flag) -> {
          String[] r = run(command, "--help");
          assertEquals(command + ": " + r[2], "0", r[0]);
          assertTrue(command + " --help shows " + flag + ":\n" + r[1], r[1].contains(flag));
        });
  }

  @Test
  public void badFlagsExitTwoWithEveryProblem() {
    for (String command : Main.COMMANDS.keySet()) {
      String[] r = run(command, "--no-such-flag=1", "--window-minutes", "5");
      assertEquals(command + ": " + r[1] + r[2], "2", r[0]);
      assertTrue(command + ": " + r[2], r[2].contains("unknown flag --no-such-flag"));
      assertTrue(command + ": " + r[2], r[2].contains("unknown flag --window-minutes"));
      assertTrue(command + ": " + r[2], r[2].contains("see: iotbeam " + command + " --help"));
    }
    String[] r = run("simulate", "--bogus", "--rate=x");
    assertEquals("2", r[0]);
    assertTrue(r[2], r[2].contains("unknown flag --bogus"));
    assertTrue(r[2], r[2].contains("--rate=x: not a number"));
    assertTrue(r[2], r[2].contains("--transport is required"));
    r = run("streaming", "--windowMinutes=x", "--parallelism", "two");
    assertEquals("2", r[0]);
    assertTrue(r[2], r[2].contains("--windowMinutes=x: not an integer"));
    assertTrue(r[2], r[2].contains("--parallelism=two: not an integer"));
    r = run("backfill", "--from=2026-01-01");
    assertEquals("2", r[0]);
    assertTrue("every missing required flag: " + r[2], r[2].contains("2 problems"));
  }
}
