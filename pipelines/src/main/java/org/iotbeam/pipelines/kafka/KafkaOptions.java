package org.iotbeam.pipelines.kafka;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where a pipeline's results go on Kafka (or Event Hubs' Kafka endpoint): the broker, its
 * authentication and the output topics. Shared by the streaming pipeline and the backfill ({@code
 * --writeKafka}), so both write to the same topics under the same flags; the streaming pipeline's
 * input adds {@link KafkaSourceOptions}.
 */
public interface KafkaOptions extends PipelineOptions {
  @Description("Kafka bootstrap servers; for Event Hubs <namespace>.servicebus.windows.net:9093.")
  @Default.String("127.0.0.1:9092")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description(
      "Authentication: NONE (plain broker), CONNECTION_STRING (SASL PLAIN with the "
          + "connection string from env EVENTHUBS_CONNECTION_STRING) or OAUTHBEARER (Entra token "
          + "from DefaultAzureCredential).")
  @Default.Enum("NONE")
  EventHubsAuth getEventHubsAuth();

  void setEventHubsAuth(EventHubsAuth value);

  @Description("Topic the window aggregates go to (key = aggregate id).")
  @Default.String("aggregates")
  String getAggregatesTopic();

  void setAggregatesTopic(String value);

  @Description("Topic the alert events go to (key = alert id).")
  @Default.String("alerts")
  String getAlertsTopic();

  void setAlertsTopic(String value);

  @Description(
      "Topic the dead letters go to (key = dead-letter id); a backfill's records of "
          + "recovered messages too.")
  @Default.String("dead-letters")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  /** The client settings these flags describe, with {@code consumerGroup} for a consumer. */
  static KafkaClientSettings settings(KafkaOptions o, String consumerGroup) {
    return KafkaClientSettings.of(o.getBootstrapServers(), o.getEventHubsAuth(), consumerGroup);
  }

  /** Every problem with these flags: the client settings' and the output topics' names. */
  static List<String> problems(KafkaOptions o, String consumerGroup) {
    List<String> p = new ArrayList<>(settings(o, consumerGroup).problems());
    topicNameProblem(p, "--aggregatesTopic", o.getAggregatesTopic());
    topicNameProblem(p, "--alertsTopic", o.getAlertsTopic());
    topicNameProblem(p, "--deadLetterTopic", o.getDeadLetterTopic());
    return p;
  }

  /** The output topics, for checks against the input. */
  static List<String> outputTopics(KafkaOptions o) {
    return java.util.Arrays.asList(
        o.getAggregatesTopic(), o.getAlertsTopic(), o.getDeadLetterTopic());
  }

  /** Adds a problem when {@code topic} is not a legal Kafka topic (or event hub) name. */
  static void topicNameProblem(List<String> problems, String flag, String topic) {
    if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
      problems.add(
          flag + "='" + topic + "' is not a valid topic name ([A-Za-z0-9._-], 1-249 " + "chars)");
    }
  }
}
