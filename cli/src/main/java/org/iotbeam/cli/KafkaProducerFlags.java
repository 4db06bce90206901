package org.iotbeam.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.iotbeam.eventhubs.EventHubsKafka;

/** The Kafka producer flags of the commands that publish telemetry: simulate and bridge. */
public interface KafkaProducerFlags extends PipelineOptions {
  /** The local broker the commands and the pipelines default to. */
  String LOCAL_KAFKA = "127.0.0.1:9092";

  @Description(
      "Kafka bootstrap servers; with --eventhubs and this default, the namespace of the "
          + "connection string")
  @Default.String(LOCAL_KAFKA)
  String getBootstrapServers();

  void setBootstrapServers(String v);

  @Description(
      "Event Hubs Kafka endpoint: SASL_SSL + PLAIN, connection string from env "
          + "EVENTHUBS_CONNECTION_STRING")
  boolean isEventhubs();

  void setEventhubs(boolean v);

  @Description("extra producer property key=value, repeatable")
  List<String> getKafkaProperty();

  void setKafkaProperty(List<String> v);

  /** The {@code --kafkaProperty} pairs; each malformed one adds a problem. */
  static Map<String, String> extraProducerProperties(KafkaProducerFlags o, List<String> problems) {
    Map<String, String> props = new LinkedHashMap<>();
    for (String kv : o.getKafkaProperty() == null ? List.<String>of() : o.getKafkaProperty()) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        problems.add("--kafkaProperty '" + kv + "' must be key=value");
      } else {
        props.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return props;
  }

  /**
   * Where and how a command publishes: the producer properties, the bootstrap servers and the
   * topic, after {@code --eventhubs} and {@code --kafkaProperty}.
   */
  final class Producer {
    public final Map<String, Object> properties;
    public final String bootstrapServers;
    public final String topic;

    Producer(Map<String, Object> properties, String bootstrapServers, String topic) {
      this.properties = properties;
      this.bootstrapServers = bootstrapServers;
      this.topic = topic;
    }
  }

  /**
   * The producer of a command with these flags and {@code topic} (its own flag, null when unset).
   * With {@code --eventhubs} the properties are Event Hubs' SASL_SSL + PLAIN settings with the
   * connection string from {@code env} ({@value EventHubsKafka#CONNECTION_STRING_ENV}); the
   * bootstrap servers, when unset or the default {@link #LOCAL_KAFKA}, are the namespace of the
   * connection string, and an unset topic is its {@code EntityPath} (null when it has none). The
   * {@code --kafkaProperty} pairs come last, so they override; malformed ones are left out (the
   * commands report them when they check their flags).
   *
   * @throws IllegalArgumentException with {@code --eventhubs}, when the variable is unset or blank,
   *     or its connection string has no endpoint
   */
  static Producer producer(KafkaProducerFlags o, String topic, Function<String, String> env) {
    Map<String, Object> props = new LinkedHashMap<>();
    String servers = o.getBootstrapServers();
    if (o.isEventhubs()) {
      String cs = EventHubsKafka.requireConnectionString(env, "--eventhubs");
      props.putAll(EventHubsKafka.connectionString(cs));
      if (servers == null || servers.equals(LOCAL_KAFKA)) {
        servers = EventHubsKafka.bootstrapServers(cs);
      }
      if (topic == null) {
        topic = EventHubsKafka.entityPath(cs);
      }
    }
    props.putAll(extraProducerProperties(o, new java.util.ArrayList<>()));
    return new Producer(props, servers, topic);
  }
}
