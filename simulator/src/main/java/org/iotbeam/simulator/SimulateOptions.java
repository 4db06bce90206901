package org.iotbeam.simulator;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.iotbeam.cli.KafkaProducerFlags;

/**
 * The flags of {@code iotbeam simulate} ({@link DeviceSimulator}), in the one flag style of every
 * command: {@code --name=value} or {@code --name value}, parsed by {@code org.iotbeam.cli.Flags}.
 * Durations are text in the simulator's syntax (500ms, 90s, 5m, 1h, 2d or ISO PT1M).
 */
public interface SimulateOptions extends KafkaProducerFlags {

  /** Where the messages go. */
  enum TransportKind {
    mqtt,
    kafka,
    file
  }

  @Description("mqtt (IoT Hub style), kafka (Event Hubs style) or file (raw archive files)")
  @Validation.Required
  TransportKind getTransport();

  void setTransport(TransportKind v);

  @Description("number of devices")
  @Default.Integer(1000)
  int getDevices();

  void setDevices(int v);

  @Description("messages per second over all devices")
  @Default.Double(1000)
  double getRate();

  void setRate(double v);

  @Description("no rate limit: as fast as the transport takes")
  boolean isUnthrottled();

  void setUnthrottled(boolean v);

  @Description("messages per batch")
  @Default.Integer(50)
  int getBatchSize();

  void setBatchSize(int v);

  @Description(
      "check the flags, print the configuration and exit without connecting (exit 0: "
          + "the flags are good, 2: they are not)")
  boolean isDryRun();

  void setDryRun(boolean v);

  @Description("stop after this many messages")
  Long getCount();

  void setCount(Long v);

  @Description("stop after this long: 90s, 5m, 1h or ISO PT1M")
  String getDuration();

  void setDuration(String v);

  @Description("random seed")
  @Default.Long(42)
  long getSeed();

  void setSeed(long v);

  @Description("event time of the first reading, ISO-8601 UTC (2026-01-01T00:00:00Z); default now")
  String getStartTime();

  void setStartTime(String v);

  @Description("event-time spacing of one device's readings (default devices/rate s)")
  String getInterval();

  void setInterval(String v);

  @Description("fractions of devices on schema v1,v2,v3")
  @Default.String("0.2,0.3,0.5")
  String getVersionMix();

  void setVersionMix(String v);

  @Description("fraction of malformed messages, 0..1")
  @Default.Double(0.01)
  double getMalformedRatio();

  void setMalformedRatio(double v);

  @Description("chance per reading that an anomaly starts, 0..1")
  @Default.Double(0.001)
  double getAnomalyRate();

  void setAnomalyRate(double v);

  @Description(
      "name:lat:lon[:altitudeM[:meanTempC]], repeatable (default: amsterdam, seattle, "
          + "singapore, sao-paulo, denver)")
  List<String> getSite();

  void setSite(List<String> v);

  @Description("device id prefix: ids are prefix + 6 digits")
  @Default.String("dev-")
  String getDevicePrefix();

  void setDevicePrefix(String v);

  @Description("progress on stderr this often; 0 = never")
  @Default.String("5s")
  String getProgressInterval();

  void setProgressInterval(String v);

  // --- mqtt ---
  @Description("MQTT broker (--transport=mqtt)")
  @Default.String("tcp://127.0.0.1:1883")
  String getMqttUrl();

  void setMqttUrl(String v);

  @Description("client id of the shared MQTT connection")
  @Default.String("iotbeam-simulator")
  String getMqttClientId();

  void setMqttClientId(String v);

  @Description(
      "Azure IoT Hub host, e.g. myhub.azure-devices.net: TLS on 8883, one connection "
          + "per device, SAS from env IOTHUB_DEVICE_KEY or IOTHUB_GROUP_KEY")
  String getIothubHost();

  void setIothubHost(String v);

  // --- kafka ---
  @Description(
      "Kafka topic / event hub (default telemetry, or the connection string's "
          + "EntityPath with --eventhubs)")
  String getTopic();

  void setTopic(String v);

  // --- file ---
  @Description("archive directory (--transport=file)")
  String getOutputDir();

  void setOutputDir(String v);

  @Description("gzip level of the archive files, 0..9")
  @Default.Integer(1)
  int getGzipLevel();

  void setGzipLevel(int v);

  @Description("roll an archive file after this many records")
  @Default.Long(1000000)
  long getFileMaxRecords();

  void setFileMaxRecords(long v);
}
