package org.iotbeam.pipelines;

import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** The streaming pipeline on Flink embedded as the integration tests run it. */
public final class FlinkTestOptions {
  private FlinkTestOptions() {}

  /**
   * Parallelism 2, checkpoints every 2 s (files and offsets are finalized on checkpoints), started
   * detached so the test can watch the outputs and cancel, sources kept alive when idle (the
   * watermark must keep advancing), files flushed after 2 s, one shard, and a consumer group of its
   * own.
   */
  public static StreamingPipeline.Options embedded(String bootstrap, Path out, String group) {
    StreamingPipeline.Options o = PipelineOptionsFactory.as(StreamingPipeline.Options.class);
    o.setRunner(FlinkRunner.class);
    FlinkPipelineOptions f = o.as(FlinkPipelineOptions.class);
    f.setFlinkMaster("[local]");
    f.setParallelism(2);
    f.setCheckpointingInterval(2000L);
    f.setAttachedMode(false);
    f.setShutdownSourcesAfterIdleMs(Long.MAX_VALUE);
    o.setStreaming(true);
    o.setBootstrapServers(bootstrap);
    o.setConsumerGroup(group + "-" + System.nanoTime());
    o.setOutputBase(out.toString());
    o.setFileFlushSeconds(2);
    o.setFileShards(1);
    return o;
  }
}
