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
    assertArrayEquals(new String[] {"--archiveBase=/a", "--from=2026-11-20",
        "--runner=FlinkRunner"}, args);
    FlinkPipelineOptions o = PipelineOptionsFactory.fromArgs(args).withoutStrictParsing()
        .as(FlinkPipelineOptions.class);
    assertEquals(FlinkRunner.class, o.getRunner());
    // no --flinkMaster: [auto], i.e. embedded in this JVM outside a Flink client
    assertEquals("[auto]", o.getFlinkMaster());

    String[] direct = {"--runner=DirectRunner", "--x=1"};
    assertArrayEquals(direct, Main.onFlinkByDefault(direct));
    String[] cluster = {"--runner", "FlinkRunner", "--flinkMaster=127.0.0.1:8081"};
    assertArrayEquals(cluster, Main.onFlinkByDefault(cluster));
  }

  @Test
  public void onlyPipelineCommandsGetBeamFlags() {
    assertTrue(Main.COMMANDS.get("streaming").beamFlags());
    assertTrue(Main.COMMANDS.get("backfill").beamFlags());
    assertFalse("the demo has flags of its own (and runs on Flink anyway)",
        Main.COMMANDS.get("demo").beamFlags());
  }

  /** Runs Main on {@code args}: the exit code, then what it wrote to stdout and stderr. */
  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  public void helpListsEveryCommandWithOneLineEach() {
    assertEquals(List.of("streaming", "backfill", "demo", "simulate", "bridge", "query"),
        List.copyOf(Main.COMMANDS.keySet()));
    String[] r = run("--help");
    assertEquals(r[2], "0", r[0]);
    for (String name : Main.COMMANDS.keySet()) {
      assertTrue(name + " in\n" + r[1], r[1].lines().anyMatch(l -> l.matches("  " + name + " +\\S.*")));
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
    Map<String, String> aFlagOf = Map.of("streaming", "outputBase", "backfill", "archiveBase",
        "simulate", "--transport", "bridge", "--mqtt-url", "query", "--endpoint");
    aFlagOf.forEach((command, flag) -> {
      String[] r = run(command, "--help");
      assertEquals(command + ": " + r[2], "0", r[0]);
      assertTrue(command + " --help shows " + flag + ":\n" + r[1], r[1].contains(flag));
    });
    assertEquals("the demo prints its usage and exits 0", "0", run("demo", "--help")[0]);
  }

  @Test
  public void aBadFlagExitsTwo() {
    for (String command : Main.COMMANDS.keySet()) {
      if (command.equals("backfill")) {
        continue; // BackfillPipeline.main exits 2 itself (System.exit)
      }
      String[] r = run(command, "--no-such-flag=1");
      assertEquals(command + ": " + r[1] + r[2], "2", r[0]);
    }
  }
}
