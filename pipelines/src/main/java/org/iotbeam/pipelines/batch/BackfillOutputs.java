package org.iotbeam.pipelines.batch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.iotbeam.pipelines.azure.AzureSinkOptions;
import org.iotbeam.pipelines.kafka.KafkaClientSettings;
import org.iotbeam.pipelines.sinks.AlertWebhookSink;
import org.iotbeam.pipelines.sinks.FileOutputOptions;
import org.iotbeam.pipelines.sinks.KafkaJsonSink;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.Coders;

/**
 * Writes a backfill's results where streaming writes them, behind the same flags:
 *
 * <ul>
 *   <li>files under {@code --outputBase} ({@code aggregates/}, {@code alerts/},
 *       {@code dead-letters/}, by {@code dt=/hour=}), named from the range ({@link
 *       BackfillFiles});</li>
 *   <li>the Kafka topics ({@code --aggregatesTopic}, {@code --alertsTopic},
 *       {@code --deadLetterTopic}, keyed by record id) with {@code --writeKafka};</li>
 *   <li>Cosmos DB with {@code --cosmosEndpoint}: the backfill's aggregates replace what streaming
 *       stored for their windows, never a newer window's latest item;</li>
 *   <li>Service Bus and the alert webhook only with {@code --notifyAlerts}: reprocessing a day
 *       must not announce its alerts a second time unless asked.</li>
 * </ul>
 *
 * Dead letters include the "recovered" records ({@link Recovery}) and the failures of the sinks.
 */
final class BackfillOutputs {
  static final String AGGREGATES = "aggregates";
  static final String ALERTS = "alerts";
  static final String DEAD_LETTERS = "dead-letters";
  static final List<String> KINDS = List.of(AGGREGATES, ALERTS, DEAD_LETTERS);

  private BackfillOutputs() {}

  /** Applies every configured sink; returns where the results go, for the summary. */
  static List<String> write(BackfillPipeline.BackfillResults results,
      BackfillPipeline.Options options, MessageSelector selector) {
    ArchiveRange range = selector.range();
    List<String> where = new ArrayList<>();
    PCollection<WindowAggregate> aggregates = results.aggregates();
    PCollection<Alert> alerts = results.alerts();
    List<PCollection<DeadLetter>> dead = new ArrayList<>(
        List.of(results.deadLetters(), results.recovered()));
    boolean notify = Boolean.TRUE.equals(options.getNotifyAlerts());
    String hook = options.getAlertWebhookUrl();
    if (notify && hook != null && !hook.isBlank()) {
      dead.add(alerts.apply("AlertWebhook", new AlertWebhookSink(hook,
          options.getWebhookMaxAttempts(), options.getWebhookInitialBackoffMs(),
          options.getWebhookTimeoutMs())));
      where.add("webhook " + hook);
    }
    dead.addAll(AzureSinkOptions.applyTo(aggregates, alerts, options, true, notify));
    if (options.getCosmosEndpoint() != null && !options.getCosmosEndpoint().isBlank()) {
      where.add("Cosmos DB " + options.getCosmosEndpoint() + " (" + options.getCosmosDatabase()
          + ")");
    }
    if (notify && options.getServiceBusNamespace() != null
        && !options.getServiceBusNamespace().isBlank()) {
      where.add("Service Bus " + options.getServiceBusNamespace());
    }
    PCollection<DeadLetter> deadLetters = PCollectionList.of(dead)
        .apply("AllDeadLetters", Flatten.pCollections())
        .setCoder(Coders.DEAD_LETTER);

    String base = FileOutputOptions.base(options);
    int shards = options.getFileShards();
    aggregates.apply("AggregateFiles", new BackfillFiles<>(base + AGGREGATES + "/", AGGREGATES,
        range, shards, WindowAggregate::getId, WindowAggregate::getWindowStartMs));
    alerts.apply("AlertFiles", new BackfillFiles<>(base + ALERTS + "/", ALERTS, range, shards,
        Alert::getId, Alert::getEventTimeMs));
    deadLetters.apply("DeadLetterFiles", new BackfillFiles<>(base + DEAD_LETTERS + "/",
        DEAD_LETTERS, range, shards, DeadLetter::getId, d -> selector.timeOf(d.getInbound())));
    where.add(0, "files " + base + "{" + String.join(",", KINDS) + "}/");

    if (Boolean.TRUE.equals(options.getWriteKafka())) {
      KafkaClientSettings kafka = kafka(options);
      aggregates.apply("AggregatesToKafka", new KafkaJsonSink<>(kafka.bootstrapServers(),
          options.getAggregatesTopic(), kafka.producer(), WindowAggregate::getId));
      alerts.apply("AlertsToKafka", new KafkaJsonSink<>(kafka.bootstrapServers(),
          options.getAlertsTopic(), kafka.producer(), Alert::getId));
      deadLetters.apply("DeadLettersToKafka", new KafkaJsonSink<>(kafka.bootstrapServers(),
          options.getDeadLetterTopic(), kafka.producer(), DeadLetter::getId));
      where.add("Kafka " + options.getBootstrapServers() + " topics "
          + options.getAggregatesTopic() + ", " + options.getAlertsTopic() + ", "
          + options.getDeadLetterTopic());
    }
    return where;
  }

  static KafkaClientSettings kafka(BackfillPipeline.Options options) {
    return KafkaClientSettings.of(options.getBootstrapServers(), options.getEventHubsAuth(),
        "iotbeam-backfill");
  }

  /** After a successful run: this range's files written with another shard count. */
  static int deleteStaleFiles(BackfillPipeline.Options options, ArchiveRange range)
      throws IOException {
    int deleted = 0;
    for (String kind : KINDS) {
      deleted += BackfillFiles.deleteOtherShardCounts(FileOutputOptions.base(options) + kind,
          kind, range, options.getFileShards());
    }
    return deleted;
  }
}
