package org.iotbeam.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

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
}
