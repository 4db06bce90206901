package org.iotbeam.pipelines.batch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.pipelines.common.InvalidOptionsException;
import org.junit.Test;

public class BackfillOptionsTest {
  /**
   * The flags a backfill shares with the streaming pipeline mean the same and default the same:
   * Beam refuses one JVM (the jar, a test run) where the two disagree.
   */
  @Test
  public void sharedFlagsAgreeWithTheStreamingPipelines() {
    PipelineOptionsFactory.register(StreamingPipeline.Options.class);
    PipelineOptionsFactory.register(BackfillPipeline.Options.class);
    BackfillPipeline.Options b =
        PipelineOptionsFactory.fromArgs().as(BackfillPipeline.Options.class);
    StreamingPipeline.Options s = b.as(StreamingPipeline.Options.class);
    assertEquals(s.getMaxOutOfOrderSeconds(), b.getMaxOutOfOrderSeconds());
    assertEquals(s.getIdlePartitionSeconds(), b.getIdlePartitionSeconds());
    assertEquals(s.getBootstrapServers(), b.getBootstrapServers());
    assertEquals(s.getDeadLetterTopic(), b.getDeadLetterTopic());
    assertEquals(s.getWebhookInitialBackoffMs(), b.getWebhookInitialBackoffMs());
    assertEquals(s.getFileShards(), b.getFileShards());
  }

  @Test
  public void everyBadFlagIsListedAtOnce() {
    BackfillPipeline.Options o =
        PipelineOptionsFactory.fromArgs(
                "--archiveBase=/a",
                "--from=2026-11-20T10:02:00Z",
                "--to=2026-11-20T11:00:00Z",
                "--fileShards=0",
                "--warmupMinutes=-5",
                "--extraIngestHours=-1",
                "--maxAgeHours=0",
                "--alertWebhookUrl=ftp://x",
                "--writeKafka=true",
                "--bootstrapServers=")
            .as(BackfillPipeline.Options.class);
    InvalidOptionsException e =
        assertThrows(InvalidOptionsException.class, () -> BackfillPipeline.plan(o));
    assertThat(e.getMessage(), containsString("--from=2026-11-20T10:02:00Z is not on a 5-minute"));
    assertThat(e.getMessage(), containsString("--outputBase is required"));
    assertThat(e.getMessage(), containsString("--fileShards must be 1..99, was 0"));
    assertThat(e.getMessage(), containsString("--warmupMinutes must be zero or more, was -5"));
    assertThat(e.getMessage(), containsString("--extraIngestHours must be zero or more"));
    assertThat(e.getMessage(), containsString("--maxAgeHours"));
    assertThat(e.getMessage(), containsString("--alertWebhookUrl must be an http"));
    assertThat(e.getMessage(), containsString("--bootstrapServers is empty"));
    assertEquals(8, e.problems().size());
  }

  @Test
  public void earlierDeadLettersAreBesideARawArchiveUnlessSaidOtherwise() {
    assertEquals(
        "azfs://acct/telemetry/dead-letters",
        BackfillPipeline.priorDeadLetters(options("--archiveBase=azfs://acct/telemetry/raw/")));
    assertEquals(
        "/x/dl",
        BackfillPipeline.priorDeadLetters(
            options("--archiveBase=/data/raw", "--priorDeadLetters=/x/dl")));
    assertNull(
        BackfillPipeline.priorDeadLetters(
            options("--archiveBase=/data/raw", "--priorDeadLetters=none")));
    assertNull(
        BackfillPipeline.priorDeadLetters(
            options("--archiveBase=azfs://acct/capture/ns/hub", "--archiveFormat=CAPTURE")));
  }

  private static BackfillPipeline.Options options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(BackfillPipeline.Options.class);
  }
}
