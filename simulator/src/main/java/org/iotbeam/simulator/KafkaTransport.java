package org.iotbeam.simulator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends to a Kafka topic, as devices behind IoT Hub reach Event Hubs: key = device id, value =
 * the protobuf bytes, header {@code traceparent}. Idempotent producer with {@code acks=all}.
 *
 * <p>Event Hubs: {@link #eventHubsProperties(String)} turns a connection string
 * ({@code Endpoint=sb://NS.servicebus.windows.net/;SharedAccessKeyName=...;SharedAccessKey=...
 * [;EntityPath=hub]}) into SASL_SSL + PLAIN with user {@code $ConnectionString} on
 * {@code NS.servicebus.windows.net:9093}. The CLI reads the string from the environment variable
 * {@code EVENTHUBS_CONNECTION_STRING}, never from a flag, so it stays out of shell history.
 */
public final class KafkaTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTransport.class);
  private static final Pattern ENDPOINT = Pattern.compile("Endpoint=sb://([^/;]+)/?",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern ENTITY = Pattern.compile("EntityPath=([^;]+)",
      Pattern.CASE_INSENSITIVE);

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong loggedFailures = new AtomicLong();

  /**
   * @param bootstrapServers host:port list
   * @param topic the topic (the event hub's name on Event Hubs)
   * @param extra more producer properties; they override the defaults
   */
  public KafkaTransport(String bootstrapServers, String topic, Map<String, String> extra) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "iotbeam-simulator");
    // Event Hubs drops idle connections after 240 s; refresh metadata before that
    p.put(ProducerConfig.METADATA_MAX_AGE_CONFIG, "180000");
    p.put(ProducerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG, "180000");
    p.putAll(extra);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  /** Producer properties for the Event Hubs Kafka endpoint, from a namespace connection string. */
  public static Map<String, String> eventHubsProperties(String connectionString) {
    if (connectionString == null || connectionString.isBlank()) {
      throw new IllegalArgumentException(
          "--eventhubs needs the environment variable EVENTHUBS_CONNECTION_STRING "
              + "(Endpoint=sb://NAMESPACE.servicebus.windows.net/;SharedAccessKeyName=...;"
              + "SharedAccessKey=...)");
    }
    String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required "
        + "username=\"$ConnectionString\" password=\""
        + connectionString.replace("\\", "\\\\").replace("\"", "\\\"") + "\";";
    return Map.of(
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL",
        SaslConfigs.SASL_MECHANISM, "PLAIN",
        SaslConfigs.SASL_JAAS_CONFIG, jaas,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "60000");
  }

  /** {@code NAMESPACE.servicebus.windows.net:9093} from a connection string. */
  public static String eventHubsBootstrap(String connectionString) {
    Matcher m = ENDPOINT.matcher(connectionString);
    if (!m.find()) {
      throw new IllegalArgumentException("EVENTHUBS_CONNECTION_STRING has no Endpoint=sb://...");
    }
    return m.group(1) + ":9093";
  }

  /** The event hub named in the connection string's EntityPath, or null. */
  public static String eventHubsEntity(String connectionString) {
    Matcher m = ENTITY.matcher(connectionString);
    return m.find() ? m.group(1) : null;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public void send(List<SimulatedMessage> batch) {
    for (SimulatedMessage m : batch) {
      ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, m.deviceId(), m.payload());
      r.headers().add("traceparent", m.traceparent().getBytes(StandardCharsets.US_ASCII));
      producer.send(r, (md, e) -> {
        if (e == null) {
          delivered.incrementAndGet();
        } else {
          failed.incrementAndGet();
          if (loggedFailures.incrementAndGet() <= 10) {
            LOG.warn("Kafka send of message {} failed: {}", m.index(), e.toString());
          }
        }
      });
    }
  }

  @Override
  public void flush() {
    producer.flush();
  }

  @Override
  public long delivered() {
    return delivered.get();
  }

  @Override
  public long failed() {
    return failed.get();
  }

  @Override
  public void close() {
    producer.close();
  }
}
