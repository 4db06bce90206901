package org.iotbeam.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * The job arguments each environment's Terraform gives the FlinkDeployment
 * (terraform/modules/aks_flink, rendered by terraform/flink-job.mjs) mean something to the code:
 * every flag is an option of {@link StreamingPipeline.Options}, every value parses, and the
 * pipeline's own checks ({@link StreamingPipeline#create}: {@code checkOptions}, {@code
 * ProcessingConfigs}, the Kafka settings) pass and build the pipeline, as deployed and with the
 * local endpoints the standalone-cluster smoke test runs with.
 */
@RunWith(Parameterized.class)
public class DeployedJobArgsTest {
  @Parameters(name = "{0}")
  public static List<String> environments() {
    return List.of("dev", "prod");
  }

  @Parameterized.Parameter public String environment;

  private DeployedJob job() {
    return DeployedJob.of(environment);
  }

  @Test
  public void deployedArgumentsAreOptionsOfThePipelineAndPassItsChecks() {
    List<String> args = job().args();
    StreamingPipeline.Options o = parse(args);
    assertEquals("FlinkRunner", o.getRunner().getSimpleName());
    assertTrue(environment + ": the files go to azfs://", o.getOutputBase().startsWith("azfs://"));
    Pipeline p = build(args, o);
    assertFalse(p.getOptions().as(FlinkPipelineOptions.class).getCheckpointingInterval() <= 0);
  }

  @Test
  public void localArgumentsAreTheDeployedOnesWithLocalEndpoints() {
    DeployedJob job = job();
    List<String> deployed = withoutSubstituted(job.args(), job);
    List<String> local = withoutSubstituted(job.localArgs(), job);
    assertEquals("only the endpoint flags differ: " + job.substitutions(), deployed, local);
    StreamingPipeline.Options o = parse(job.localArgs());
    assertEquals(DeployedJob.LOCAL_OUT.toString(), o.getOutputBase());
    assertEquals(DeployedJob.LOCAL_BOOTSTRAP, o.getBootstrapServers());
    build(job.localArgs(), o);
  }

  /** Parses as StreamingPipeline.main does; a flag the pipeline lacks fails here. */
  private StreamingPipeline.Options parse(List<String> args) {
    PipelineOptionsFactory.register(StreamingPipeline.Options.class);
    try {
      return PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
          .withValidation()
          .as(StreamingPipeline.Options.class);
    } catch (RuntimeException e) {
      throw new AssertionError(
          environment
              + ": the FlinkDeployment's arguments do not parse: "
              + e.getMessage()
              + "\n  args: "
              + args,
          e);
    }
  }

  private Pipeline build(List<String> args, StreamingPipeline.Options o) {
    try {
      return StreamingPipeline.create(o);
    } catch (RuntimeException e) {
      throw new AssertionError(
          environment
              + ": the pipeline rejects the FlinkDeployment's "
              + "arguments: "
              + e.getMessage()
              + "\n  args: "
              + args,
          e);
    }
  }

  private static List<String> withoutSubstituted(List<String> args, DeployedJob job) {
    List<String> flags = new ArrayList<>();
    job.json.get("substituted").forEach(s -> flags.add(s.get("flag").asText() + "="));
    List<String> out = new ArrayList<>();
    for (String a : args) {
      if (flags.stream().noneMatch(a::startsWith)) {
        out.add(a);
      }
    }
    return out;
  }
}
