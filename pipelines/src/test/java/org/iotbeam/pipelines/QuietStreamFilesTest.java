package org.iotbeam.pipelines;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.proto.Telemetry;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * When the stream goes quiet, what was read still reaches the files: the streaming job on Flink
 * embedded, fed bursts of readings with silences between them, must have every reading of a burst
 * in the finished raw-archive files before the next burst, with no newer data and no watermark move
 * to push it out.
 *
 * <p>Flink's Beam operators finish a bundle inside a checkpoint's snapshot unless told to finish it
 * before, and hold what {@code @FinishBundle} emits (the raw archive's chunks, the written files'
 * results) until the operator's next element or watermark. Checkpoints every 200 ms here make a
 * snapshot catch the last bundle of a burst almost every time; the idle-partition timeout is an
 * hour, so nothing but the next burst would release it. Without {@code
 * finishBundleBeforeCheckpointing} (StreamingPipeline sets it) a burst's last chunk waits for the
 * next burst and this test fails.
 */
public class QuietStreamFilesTest {
  private static final int BURSTS = 4;
  private static final int PER_BURST = 30;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 300_000)
  public void everyBurstIsArchivedBeforeTheNextOneArrives() throws Exception {
    try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
      String bs = kafka.bootstrapServers();
      KafkaTestIo.createJobTopics(kafka, 2);
      Path out = tmp.newFolder("out").toPath();
      StreamingPipeline.Options o = FlinkTestOptions.embedded(bs, out, "quiet");
      o.as(FlinkPipelineOptions.class).setCheckpointingInterval(200L);
      o.setFileFlushSeconds(1);
      o.setIdlePartitionSeconds(3600);
      PipelineResult result = StreamingPipeline.run(o);
      try {
        long now = System.currentTimeMillis();
        int sent = 0;
        for (int burst = 0; burst < BURSTS; burst++) {
          List<KafkaTestIo.Out> readings = new ArrayList<>();
          for (int i = 0; i < PER_BURST; i++, sent++) {
            Telemetry t =
                Telemetry.newBuilder()
                    .setDeviceId("quiet-" + (i % 5))
                    .setTimestampMs(now + sent * 100L)
                    .setTemperature(20 + i % 7)
                    .setSchemaVersion(1)
                    .build();
            readings.add(new KafkaTestIo.Out(t.getDeviceId(), t.toByteArray(), null));
          }
          KafkaTestIo.produce(bs, "telemetry", readings, Map.of());
          // a file pane: 1 s to its early firing, a checkpoint, the rename; 30 s is ample (the
          // first burst also waits for the job to start)
          long deadline = System.currentTimeMillis() + (burst == 0 ? 120_000 : 30_000);
          int archived = 0;
          while (System.currentTimeMillis() < deadline
              && (archived = StreamingPipelineFlinkTest.archived(out).size()) < sent) {
            Thread.sleep(500);
          }
          assertEquals("readings archived after burst " + burst, sent, archived);
        }
      } finally {
        result.cancel();
      }
    }
  }
}
