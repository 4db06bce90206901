package org.iotbeam.simulator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbeam.eventhubs.EventHubsKafka;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends to a Kafka topic, as devices behind IoT Hub reach Event Hubs: key = device id, value = the
 * protobuf bytes, header {@code traceparent}. Idempotent producer with {@code acks=all}.
 *
 * <p>Event Hubs: the CLI passes {@link EventHubsKafka#connectionString} as extra properties
 * (SASL_SSL + PLAIN on {@code NS.servicebus.windows.net:9093}), the string read from the
 * environment variable {@code EVENTHUBS_CONNECTION_STRING}, never from a flag.
 */
public final class KafkaTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTransport.class);

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
  public KafkaTransport(String bootstrapServers, String topic, Map<String, ?> extra) {
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

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public void send(List<SimulatedMessage> batch) {
    for (SimulatedMessage m : batch) {
      ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, m.deviceId(), m.payload());
      r.headers().add("traceparent", m.traceparent().getBytes(StandardCharsets.US_ASCII));
      producer.send(
          r,
          (md, e) -> {
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
