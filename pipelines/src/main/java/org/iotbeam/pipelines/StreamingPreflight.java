package org.iotbeam.pipelines;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.iotbeam.pipelines.azure.AzureSinkChecks;
import org.iotbeam.pipelines.azure.blob.AzureBlobChecks;
import org.iotbeam.pipelines.azure.blob.BlobClientFactory;
import org.iotbeam.pipelines.common.InvalidOptionsException;
import org.iotbeam.pipelines.kafka.KafkaPreflight;

/**
 * What the streaming pipeline checks with the real services before its job starts, within {@code
 * --startupCheckSeconds}: Kafka (Event Hubs) takes the credentials and has the topics ({@link
 * KafkaPreflight}), an {@code azfs://} output container exists and takes the storage credential
 * ({@link AzureBlobChecks}), and Cosmos DB and Service Bus, when configured, take theirs ({@link
 * AzureSinkChecks}). A bad credential fails the start, every problem listed with the credential to
 * check, instead of a job that runs and reads nothing.
 */
final class StreamingPreflight {
  private StreamingPreflight() {}

  static void check(StreamingPipeline.Options o) {
    if (o.getStartupCheckSeconds() == 0) {
      return;
    }
    Duration timeout = Duration.ofSeconds(o.getStartupCheckSeconds());
    List<String> problems =
        new ArrayList<>(
            KafkaPreflight.problems(
                StreamingPipeline.kafkaSettings(o),
                o.getInputTopic(),
                List.of(o.getAggregatesTopic(), o.getAlertsTopic(), o.getDeadLetterTopic()),
                timeout));
    BlobClientFactory.useForAzfs(o, o.getOutputBase());
    try {
      AzureBlobChecks.requireContainer(o.getOutputBase(), o);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    problems.addAll(AzureSinkChecks.problems(o, timeout));
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException("cannot start the streaming pipeline", problems);
    }
  }
}
