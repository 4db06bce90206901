package org.iotbeam.pipelines.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The embedded configuration as Flink itself loads it (GlobalConfiguration, as the runner does):
 * REST and blob server on 127.0.0.1, no cancel from the web UI, the user's own keys kept and
 * winning, a cluster left alone.
 */
public class EmbeddedFlinkTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static FlinkPipelineOptions options(String master) {
    FlinkPipelineOptions f = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    f.setFlinkMaster(master);
    return f;
  }

  @Test
  public void embeddedFlinkListensOnLoopbackOnlyAndCannotBeCancelledFromTheUi() {
    FlinkPipelineOptions f = options("[local]");
    EmbeddedFlink.configure(f, Map.of());
    Configuration c = GlobalConfiguration.loadConfiguration(f.getFlinkConfDir());
    assertEquals("127.0.0.1", c.get(RestOptions.BIND_ADDRESS));
    assertEquals("127.0.0.1", c.get(RestOptions.ADDRESS));
    assertEquals("127.0.0.1", c.get(JobManagerOptions.BIND_HOST)); // the blob server's too
    assertFalse(c.get(WebOptions.CANCEL_ENABLE));
    assertFalse(c.get(WebOptions.SUBMIT_ENABLE));
  }

  @Test
  public void theUsersConfigurationIsKeptAndWins() throws Exception {
    Path dir = tmp.newFolder("conf").toPath();
    Files.writeString(
        dir.resolve("flink-conf.yaml"), "parallelism.default: 3\nweb.cancel.enable: true\n");
    FlinkPipelineOptions f = options("[auto]");
    f.setFlinkConfDir(dir.toString());
    EmbeddedFlink.configure(f, Map.of("metrics.reporter.x.port", "0"));
    Configuration c = GlobalConfiguration.loadConfiguration(f.getFlinkConfDir());
    assertEquals(3, (int) c.get(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM));
    assertTrue("asked for cancelling", c.get(WebOptions.CANCEL_ENABLE));
    assertEquals("127.0.0.1", c.get(RestOptions.BIND_ADDRESS));
    assertEquals("0", c.toMap().get("metrics.reporter.x.port"));
    assertThat(Files.readString(dir.resolve("flink-conf.yaml")), not(containsString("rest.")));
  }

  @Test
  public void aClusterIsLeftAlone() {
    FlinkPipelineOptions f = options("127.0.0.1:8081");
    EmbeddedFlink.configure(f, Map.of());
    assertEquals(null, f.getFlinkConfDir());
  }

  @Test
  public void theRunnerAndTheMasterDecideFlinkAndEmbedded() {
    PipelineOptions direct = PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create();
    assertFalse(EmbeddedFlink.isFlink(direct));
    assertFalse("not Flink at all", EmbeddedFlink.isEmbedded(direct));
    for (String master : new String[] {"[local]", "[auto]", ""}) {
      PipelineOptions o =
          PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkMaster=" + master)
              .create();
      assertTrue(master, EmbeddedFlink.isFlink(o));
      assertTrue(master, EmbeddedFlink.isEmbedded(o));
    }
    PipelineOptions cluster =
        PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkMaster=127.0.0.1:8081")
            .create();
    assertTrue(EmbeddedFlink.isFlink(cluster));
    assertFalse(EmbeddedFlink.isEmbedded(cluster));
    EmbeddedFlink.use(cluster);
    assertTrue("use() makes any options Flink embedded", EmbeddedFlink.isEmbedded(cluster));
  }
}
