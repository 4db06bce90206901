package org.iotbeam.pipelines;

import static org.junit.Assume.assumeTrue;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The end-to-end scenario of {@link StreamingPipelineFlinkTest}, submitted to a standalone Flink
 * cluster: the same results as on Flink embedded. Runs only when given a cluster and the job jar
 * (runners/scripts/flink-cluster-smoke.sh does both):
 * {@code -Diotbeam.flinkMaster=127.0.0.1:8081 -Diotbeam.jobJar=runners/target/...-shaded.jar}.
 */
public class StreamingPipelineFlinkClusterTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 480_000)
  public void sameResultsOnAStandaloneCluster() throws Exception {
    String master = System.getProperty("iotbeam.flinkMaster", "");
    String jar = System.getProperty("iotbeam.jobJar", "");
    assumeTrue("no -Diotbeam.flinkMaster / -Diotbeam.jobJar: no cluster to submit to",
        !master.isEmpty() && !jar.isEmpty());
    StreamingPipelineFlinkTest.scenario(master, jar, tmp);
  }
}
