package org.iotbeam.bridge;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.iotbeam.cli.Flags;
import org.iotbeam.cli.KafkaProducerFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for IoT Hub's message routing to Event Hubs: subscribes to {@code
 * devices/+/messages/events/#} on an MQTT broker and forwards every message to a Kafka topic, key =
 * the device id from the topic, value = the payload untouched, headers = the IoT Hub property bag's
 * entries (e.g. {@code traceparent}) plus {@code iothub-connection-device-id}.
 *
 * <p>At least once: Paho's automatic acknowledgement is off ({@code setManualAcks(true)}); the
 * PUBACK for a message is sent ({@code messageArrivedComplete}) only from the Kafka producer's
 * callback once Kafka acknowledged the record ({@code acks=all}, idempotent producer). A message
 * Kafka refused stays unacknowledged, and the broker delivers it again when the bridge reconnects
 * (persistent session: {@code cleanSession=false}, fixed client id).
 *
 * <pre>{@code
 * try (MqttKafkaBridge bridge = new MqttKafkaBridge(mqtt.url(), kafka.bootstrapServers(),
 *     "telemetry", "iotbeam-bridge", Map.of())) {
 *   bridge.start();
 *   ...
 *   bridge.forwarded();
 * }
 * }</pre>
 */
public final class MqttKafkaBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttKafkaBridge.class);
  public static final String SUBSCRIPTION = "devices/+/messages/events/#";
  public static final String DEVICE_ID_HEADER = "iothub-connection-device-id";

  private final String mqttUrl;
  private final String topic;
  private final String clientId;
  private final Properties producerProps;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private KafkaProducer<String, byte[]> producer;
  private MqttAsyncClient client;
  private ScheduledExecutorService stats;

  /**
   * @param mqttUrl e.g. tcp://127.0.0.1:1883
   * @param bootstrapServers Kafka
   * @param topic Kafka topic to forward to
   * @param clientId MQTT client id (keep it fixed: the persistent session is keyed by it)
   * @param extraProducerProps more producer properties (e.g. Event Hubs SASL); override defaults
   */
  public MqttKafkaBridge(
      String mqttUrl,
      String bootstrapServers,
      String topic,
      String clientId,
      Map<String, ?> extraProducerProps) {
    this.mqttUrl = mqttUrl;
    this.topic = topic;
    this.clientId = clientId;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "iotbeam-bridge");
    p.put(ProducerConfig.METADATA_MAX_AGE_CONFIG, "180000");
    p.put(ProducerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG, "180000");
    p.putAll(extraProducerProps);
    this.producerProps = p;
  }

  /** Connects to both sides and subscribes; returns once the subscription is in place. */
  public synchronized MqttKafkaBridge start() throws MqttException {
    producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
    client = new MqttAsyncClient(mqttUrl, clientId, new MemoryPersistence());
    client.setManualAcks(true);
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(false);
    o.setAutomaticReconnect(true);
    o.setKeepAliveInterval(30);
    o.setMaxInflight(65_535);
    CountDownLatch subscribed = new CountDownLatch(1);
    client.setCallback(
        new MqttCallbackExtended() {
          @Override
          public void connectComplete(boolean reconnect, String serverUri) {
            if (reconnect) {
              reconnects.incrementAndGet();
              LOG.info("bridge reconnected to {}", serverUri);
            }
            try {
              client.subscribe(SUBSCRIPTION, 1).waitForCompletion(30_000);
              subscribed.countDown();
            } catch (MqttException e) {
              LOG.error("bridge could not subscribe to {}: {}", SUBSCRIPTION, e.toString());
            }
          }

          @Override
          public void connectionLost(Throwable cause) {
            LOG.warn("bridge lost its MQTT connection: {}", String.valueOf(cause));
          }

          @Override
          public void messageArrived(String mqttTopic, MqttMessage message) {
            forward(mqttTopic, message);
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    client.connect(o).waitForCompletion(30_000);
    try {
      if (!subscribed.await(30, TimeUnit.SECONDS)) {
        throw new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MqttException(e);
    }
    LOG.info("bridge forwarding {} on {} to Kafka topic {}", SUBSCRIPTION, mqttUrl, topic);
    return this;
  }

  /** Logs the counters every {@code every}; stops with {@link #close()}. */
  public synchronized MqttKafkaBridge logStatsEvery(Duration every) {
    stats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bridge-stats");
              t.setDaemon(true);
              return t;
            });
    stats.scheduleAtFixedRate(
        () -> LOG.info("{}", this), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void forward(String mqttTopic, MqttMessage message) {
    received.incrementAndGet();
    Parsed parsed = parseTopic(mqttTopic);
    if (parsed == null) {
      // the subscription's pattern guarantees the prefix; still, never let one message jam us
      rejected.incrementAndGet();
      LOG.warn("bridge: cannot route topic {}", mqttTopic);
      ack(message);
      return;
    }
    ProducerRecord<String, byte[]> r =
        new ProducerRecord<>(topic, parsed.deviceId, message.getPayload());
    r.headers().add(DEVICE_ID_HEADER, parsed.deviceId.getBytes(StandardCharsets.UTF_8));
    parsed.properties.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    try {
      producer.send(
          r,
          (md, e) -> {
            if (e == null) {
              forwarded.incrementAndGet();
              ack(message);
            } else {
              // not acknowledged: the broker redelivers it after the next reconnect
              failed.incrementAndGet();
              LOG.warn("bridge: Kafka refused a message of {}: {}", parsed.deviceId, e.toString());
            }
          });
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      LOG.warn("bridge: Kafka send failed for {}: {}", parsed.deviceId, e.toString());
    }
  }

  private void ack(MqttMessage message) {
    try {
      client.messageArrivedComplete(message.getId(), message.getQos());
    } catch (MqttException e) {
      LOG.warn("bridge: could not acknowledge MQTT message {}: {}", message.getId(), e.toString());
    }
  }

  /** Device id and property bag of {@code devices/{id}/messages/events/{bag}}; null if not. */
  public static Parsed parseTopic(String mqttTopic) {
    String[] parts = mqttTopic.split("/", 5);
    if (parts.length < 4
        || !parts[0].equals("devices")
        || !parts[2].equals("messages")
        || !parts[3].equals("events")
        || parts[1].isEmpty()) {
      return null;
    }
    Map<String, String> props = new LinkedHashMap<>();
    if (parts.length == 5 && !parts[4].isEmpty()) {
      for (String kv : parts[4].split("&")) {
        if (kv.isEmpty()) {
          continue;
        }
        int eq = kv.indexOf('=');
        String k = decode(eq < 0 ? kv : kv.substring(0, eq));
        String v = eq < 0 ? "" : decode(kv.substring(eq + 1));
        props.put(k, v);
      }
    }
    return new Parsed(parts[1], props);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  public record Parsed(String deviceId, Map<String, String> properties) {}

  public long received() {
    return received.get();
  }

  public long forwarded() {
    return forwarded.get();
  }

  public long failed() {
    return failed.get();
  }

  /** Messages on a topic the bridge cannot route (acknowledged and dropped). */
  public long rejected() {
    return rejected.get();
  }

  public long reconnects() {
    return reconnects.get();
  }

  @Override
  public String toString() {
    return "bridge received="
        + received
        + " forwarded="
        + forwarded
        + " failed="
        + failed
        + " rejected="
        + rejected
        + " reconnects="
        + reconnects;
  }

  /** Disconnects from MQTT first (no new input), then flushes and closes the producer. */
  @Override
  public synchronized void close() {
    if (client == null && producer == null) {
      return;
    }
    if (stats != null) {
      stats.shutdownNow();
    }
    if (client != null) {
      try {
        if (client.isConnected()) {
          client.disconnect(5000).waitForCompletion(6000);
        }
      } catch (MqttException e) {
        LOG.debug("disconnect: {}", e.toString());
      }
      try {
        client.close(true);
      } catch (MqttException e) {
        LOG.debug("close: {}", e.toString());
      }
      client = null;
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(30));
      producer = null;
    }
    LOG.info("{} (closed)", this);
  }

  /** The command line: {@link BridgeOptions}. */
  static final class Cli {
    private final BridgeOptions o;

    Cli(BridgeOptions o) {
      this.o = o;
    }

    static void check(BridgeOptions o, java.util.List<String> problems) {
      if (o.getDuration() != null && o.getDuration() <= 0) {
        problems.add("--duration must be > 0 seconds, got " + o.getDuration());
      }
      if (o.getStatsInterval() < 0) {
        problems.add("--statsInterval must be >= 0 seconds, got " + o.getStatsInterval());
      }
      if (!o.getMqttUrl().matches("^(tcp|ssl|ws|wss)://.+:\\d+$")) {
        problems.add(
            "--mqttUrl '" + o.getMqttUrl() + "' must look like tcp://host:port or ssl://host:port");
      }
      KafkaProducerFlags.extraProducerProperties(o, problems);
      // --eventhubs' connection string is read when the bridge starts (not for --dryRun)
    }

    int call(java.io.PrintStream out) throws Exception {
      String mqttUrl = o.getMqttUrl();
      String bootstrapServers = o.getBootstrapServers();
      String topic = o.getTopic();
      if (o.isDryRun()) {
        out.println("flags are good: " + mqttUrl + " -> " + bootstrapServers + " " + topic);
        return 0;
      }
      // --topic has a default, so the connection string's EntityPath never replaces it here
      KafkaProducerFlags.Producer producer = KafkaProducerFlags.producer(o, topic, System::getenv);
      bootstrapServers = producer.bootstrapServers;
      Map<String, Object> props = producer.properties;
      CountDownLatch stop = new CountDownLatch(1);
      CountDownLatch closed = new CountDownLatch(1);
      // Ctrl-C / SIGTERM: stop taking messages, let Kafka ack what is in flight, then exit
      Thread hook =
          new Thread(
              () -> {
                stop.countDown();
                try {
                  closed.await(40, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "bridge-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try (MqttKafkaBridge bridge =
          new MqttKafkaBridge(mqttUrl, bootstrapServers, topic, o.getClientId(), props)) {
        bridge.start();
        if (o.getStatsInterval() > 0) {
          bridge.logStatsEvery(Duration.ofSeconds(o.getStatsInterval()));
        }
        if (o.getDuration() != null) {
          stop.await(o.getDuration(), TimeUnit.SECONDS);
        } else {
          stop.await();
        }
        bridge.close();
        out.println(bridge);
        return bridge.failed() == 0 ? 0 : 1;
      } finally {
        closed.countDown();
      }
    }
  }

  public static void main(String[] args) {
    System.exit(execute(System.out, System.err, args));
  }

  /** Runs the command line; returns the exit code (2 for bad flags, every problem listed). */
  public static int execute(java.io.PrintStream out, java.io.PrintStream err, String... args) {
    return Flags.run(
        "iotbeam bridge",
        "Forwards devices/+/messages/events/# from MQTT to a "
            + "Kafka topic, key = device id, property bag -> headers; acknowledges MQTT after Kafka "
            + "acked.",
        BridgeOptions.class,
        Cli::check,
        args,
        out,
        err,
        o -> new Cli(o).call(out));
  }
}
