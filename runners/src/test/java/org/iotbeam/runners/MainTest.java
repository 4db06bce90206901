package org.iotbeam.runners;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/** Every pipeline command of the jar runs on Flink unless another runner is asked for. */
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
}
