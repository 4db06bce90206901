package org.iotbeam.pipelines.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.pipelines.common.InvalidOptionsException;
import org.junit.Test;

public class KafkaOptionsTest {
  @Test
  public void theDefaultsAreFine() {
    assertEquals(List.of(), KafkaSourceOptions.problems(source()));
    assertEquals(
        List.of(), KafkaOptions.problems(PipelineOptionsFactory.as(KafkaOptions.class), "g"));
  }

  @Test
  public void topicNamesAndTheInputAgainstTheOutputs() {
    List<String> p =
        KafkaSourceOptions.problems(
            source(
                "--inputTopic=alerts",
                "--deadLetterTopic=dead letters",
                "--bootstrapServers=nohost"));
    assertThat(
        p,
        hasItem(
            "--deadLetterTopic='dead letters' is not a valid topic name "
                + "([A-Za-z0-9._-], 1-249 chars)"));
    assertThat(
        p,
        hasItem(
            "--inputTopic must differ from the output topics (the pipeline would "
                + "read its own output)"));
    assertThat(p, hasItem("--bootstrapServers entry 'nohost' is not host:port"));
    assertEquals(p.toString(), 3, p.size());
  }

  /** Each interface checks its own flags, and the pipeline lists every problem at once. */
  @Test
  public void theStreamingPipelineListsEveryProblemAtOnce() {
    PipelineOptionsFactory.register(StreamingPipeline.Options.class);
    StreamingPipeline.Options o =
        PipelineOptionsFactory.fromArgs(
                "--outputBase=/tmp/x",
                "--aggregatesTopic=telemetry",
                "--alertWebhookUrl=ftp://hook",
                "--webhookMaxAttempts=0",
                "--fileShards=0",
                "--maxAgeHours=0")
            .as(StreamingPipeline.Options.class);
    InvalidOptionsException e =
        assertThrows(InvalidOptionsException.class, () -> StreamingPipeline.create(o));
    assertThat(e.getMessage(), containsString("--inputTopic must differ from the output"));
    assertThat(e.getMessage(), containsString("--alertWebhookUrl must be an http"));
    assertThat(e.getMessage(), containsString("--webhookMaxAttempts must be 1..20, was 0"));
    assertThat(e.getMessage(), containsString("--fileShards must be 1..1000, was 0"));
    assertThat(e.getMessage(), containsString("--maxAgeHours"));
    assertEquals(e.problems().toString(), 5, e.problems().size());
  }

  private static KafkaSourceOptions source(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(KafkaSourceOptions.class);
  }
}
