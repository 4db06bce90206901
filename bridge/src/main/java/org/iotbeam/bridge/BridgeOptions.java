package org.iotbeam.bridge;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.iotbeam.cli.KafkaProducerFlags;

/**
 * The flags of {@code iotbeam bridge} ({@link MqttKafkaBridge}), in the one flag style of every
 * command: {@code --name=value} or {@code --name value}, parsed by {@code org.iotbeam.cli.Flags}.
 */
public interface BridgeOptions extends KafkaProducerFlags {
  @Description("MQTT broker")
  @Default.String("tcp://127.0.0.1:1883")
  String getMqttUrl();

  void setMqttUrl(String v);

  @Description("Kafka topic")
  @Default.String("telemetry")
  String getTopic();

  void setTopic(String v);

  @Description("MQTT client id (keep it fixed: the persistent session is keyed by it)")
  @Default.String("iotbeam-bridge")
  String getClientId();

  void setClientId(String v);

  @Description("stop after this many seconds (default: until interrupted)")
  Long getDuration();

  void setDuration(Long v);

  @Description("log the counters every N seconds (0: never)")
  @Default.Long(5)
  long getStatsInterval();

  void setStatsInterval(long v);

  @Description("check the flags and exit without connecting")
  boolean isDryRun();

  void setDryRun(boolean v);
}
