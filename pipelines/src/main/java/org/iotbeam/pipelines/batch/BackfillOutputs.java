package org.iotbeam.pipelines.batch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.pipelines.azure.AzureSinkOptions;
import org.iotbeam.pipelines.kafka.KafkaClientSettings;
import org.iotbeam.pipelines.kafka.KafkaOptions;
import org.iotbeam.pipelines.sinks.AlertWebhookOptions;
import org.iotbeam.pipelines.sinks.DeadLetterHandler;
import org.iotbeam.pipelines.sinks.FileOutputOptions;
import org.iotbeam.pipelines.sinks.KafkaJsonSink;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.WindowAggregate;

/**
 * Writes a backfill's results where streaming writes them, behind the same flags:
 *
 * <ul>
 *   <li>files under {@code --outputBase} ({@code aggregates/}, {@code alerts/}, {@code
 *       dead-letters/}, by {@code dt=/hour=}), named from the range ({@link BackfillFiles});
 *   <li>the Kafka topics ({@code --aggregatesTopic}, {@code --alertsTopic}, {@code
 *       --deadLetterTopic}, keyed by record id) with {@code --writeKafka};
 *   <li>Cosmos DB with {@code --cosmosEndpoint}: the backfill's aggregates replace what streaming
 *       stored for their windows, never a newer window's latest item;
 *   <li>Service Bus and the alert webhook only with {@code --notifyAlerts}: reprocessing a day must
 *       not announce its alerts a second time unless asked.
 * </ul>
 *
 * Dead letters include the "recovered" records ({@link Recovery}) and the failures of the sinks,
 * through the same {@link DeadLetterHandler} as streaming's: logged, on the topic with {@code
 * --writeKafka} (what it refuses in the files only), in the files.
 */
final class BackfillOutputs {
  static final String AGGREGATES = "aggregates";
  static final String ALERTS = "alerts";
  static final String DEAD_LETTERS = "dead-letters";
  static final List<String> KINDS = List.of(AGGREGATES, ALERTS, DEAD_LETTERS);

  private BackfillOutputs() {}

  /** Applies every configured sink; returns where the results go, for the summary. */
  static List<String> write(
      BackfillPipeline.BackfillResults results,
      BackfillPipeline.Options options,
      MessageSelector selector) {
    ArchiveRange range = selector.range();
    List<String> where = new ArrayList<>();
    PCollection<WindowAggregate> aggregates = results.aggregates();
    PCollection<Alert> alerts = results.alerts();
    String base = FileOutputOptions.base(options);
    int shards = options.getFileShards();
    boolean kafka = Boolean.TRUE.equals(options.getWriteKafka());
    KafkaClientSettings settings = kafka(options);

    // every sink that can fail adds its dead letters here (docs: DeadLetterHandler)
    DeadLetterHandler deadLetters =
        DeadLetterHandler.of(aggregates.getPipeline())
            .withFiles(
                "DeadLetterFiles",
                new BackfillFiles<>(
                    base + DEAD_LETTERS + "/",
                    DEAD_LETTERS,
                    range,
                    shards,
                    DeadLetter::getId,
                    d -> selector.timeOf(d.getInbound())));
    if (kafka) {
      deadLetters.withTopic(
          "DeadLettersToKafka",
          new KafkaJsonSink<>(
              settings.bootstrapServers(),
              options.getDeadLetterTopic(),
              settings.producer(),
              DeadLetter::getId));
    }
    try (deadLetters) {
      deadLetters.add(results.deadLetters()).add(results.recovered());

      aggregates.apply(
          "AggregateFiles",
          new BackfillFiles<>(
              base + AGGREGATES + "/",
              AGGREGATES,
              range,
              shards,
              WindowAggregate::getId,
              WindowAggregate::getWindowStartMs));
      alerts.apply(
          "AlertFiles",
          new BackfillFiles<>(
              base + ALERTS + "/", ALERTS, range, shards, Alert::getId, Alert::getEventTimeMs));
      where.add("files " + base + "{" + String.join(",", KINDS) + "}/");

      boolean notify = Boolean.TRUE.equals(options.getNotifyAlerts());
      if (notify && AlertWebhookOptions.isConfigured(options)) {
        deadLetters.add(AlertWebhookOptions.sendTo(alerts, options));
        where.add("webhook " + options.getAlertWebhookUrl());
      }
      deadLetters.addAll(AzureSinkOptions.applyTo(aggregates, alerts, options, true, notify));
      if (options.getCosmosEndpoint() != null && !options.getCosmosEndpoint().isBlank()) {
        where.add(
            "Cosmos DB " + options.getCosmosEndpoint() + " (" + options.getCosmosDatabase() + ")");
      }
      if (notify
          && options.getServiceBusNamespace() != null
          && !options.getServiceBusNamespace().isBlank()) {
        where.add("Service Bus " + options.getServiceBusNamespace());
      }

      if (kafka) {
        deadLetters.add(
            aggregates.apply(
                "AggregatesToKafka",
                new KafkaJsonSink<>(
                    settings.bootstrapServers(),
                    options.getAggregatesTopic(),
                    settings.producer(),
                    WindowAggregate::getId)));
        deadLetters.add(
            alerts.apply(
                "AlertsToKafka",
                new KafkaJsonSink<>(
                    settings.bootstrapServers(),
                    options.getAlertsTopic(),
                    settings.producer(),
                    Alert::getId)));
        where.add(
            "Kafka "
                + options.getBootstrapServers()
                + " topics "
                + options.getAggregatesTopic()
                + ", "
                + options.getAlertsTopic()
                + ", "
                + options.getDeadLetterTopic());
      }
    }
    return where;
  }

  /** The group named in the client settings; a backfill only produces, it never consumes. */
  static final String CONSUMER_GROUP = "iotbeam-backfill";

  static KafkaClientSettings kafka(BackfillPipeline.Options options) {
    return KafkaOptions.settings(options, CONSUMER_GROUP);
  }

  /** After a successful run: this range's files written with another shard count. */
  static int deleteStaleFiles(BackfillPipeline.Options options, ArchiveRange range)
      throws IOException {
    int deleted = 0;
    for (String kind : KINDS) {
      deleted +=
          BackfillFiles.deleteOtherShardCounts(
              FileOutputOptions.base(options) + kind, kind, range, options.getFileShards());
    }
    return deleted;
  }
}
