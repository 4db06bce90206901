package org.iotbeam.pipelines.kafka;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.iotbeam.eventhubs.EventHubsKafka;

/**
 * The Kafka client properties of the pipeline's consumer and producers, for a plain broker or for
 * the Event Hubs Kafka endpoint ({@link EventHubsKafka}: SASL_SSL on port 9093, with the client
 * settings Microsoft recommends for Event Hubs). The connection string is read from the
 * environment, never from a flag, and never appears in {@link #toString()} or a log line.
 */
public final class KafkaClientSettings implements Serializable {
  public static final String CONNECTION_STRING_ENV = EventHubsKafka.CONNECTION_STRING_ENV;

  /**
   * Where the connection string comes from: the process environment, or a map in tests.
   * Serializable, so settings shipped to a worker read the worker's environment there.
   */
  public interface Environment extends Function<String, String>, Serializable {}

  private final String bootstrapServers;
  private final EventHubsAuth auth;
  private final String groupId;
  private final Environment env;
  private final HashMap<String, Object> extra = new HashMap<>();

  private KafkaClientSettings(
      String bootstrapServers, EventHubsAuth auth, String groupId, Environment env) {
    this.bootstrapServers = bootstrapServers;
    this.auth = auth;
    this.groupId = groupId;
    this.env = env;
  }

  public static KafkaClientSettings of(
      String bootstrapServers, EventHubsAuth auth, String groupId) {
    return of(bootstrapServers, auth, groupId, System::getenv);
  }

  /** With an explicit environment, for tests. */
  public static KafkaClientSettings of(
      String bootstrapServers, EventHubsAuth auth, String groupId, Environment env) {
    return new KafkaClientSettings(bootstrapServers, auth, groupId, env);
  }

  /**
   * Extra client properties for both consumer and producers, e.g. {@code ssl.truststore.location}
   * for a broker with a private CA (tests); never put the connection string here.
   */
  public KafkaClientSettings withExtra(Map<String, Object> properties) {
    KafkaClientSettings s = new KafkaClientSettings(bootstrapServers, auth, groupId, env);
    s.extra.putAll(extra);
    s.extra.putAll(properties);
    return s;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public EventHubsAuth auth() {
    return auth;
  }

  /** Every problem with these settings, each saying what to fix; empty when they are usable. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      p.add("--bootstrapServers is empty; give host:port[,host:port...]");
    } else {
      for (String hp : bootstrapServers.split(",")) {
        String s = hp.trim();
        int colon = s.lastIndexOf(':');
        boolean ok = colon > 0 && colon < s.length() - 1;
        if (ok) {
          try {
            int port = Integer.parseInt(s.substring(colon + 1));
            ok = port > 0 && port < 65536;
          } catch (NumberFormatException e) {
            ok = false;
          }
        }
        if (!ok) {
          p.add("--bootstrapServers entry '" + s + "' is not host:port");
        }
      }
    }
    if (groupId == null || groupId.isBlank()) {
      p.add(
          "--consumerGroup is empty; offsets are committed to a consumer group "
              + "(commitOffsetsInFinalize needs one)");
    }
    if (auth == EventHubsAuth.CONNECTION_STRING) {
      String cs = env.apply(CONNECTION_STRING_ENV);
      if (cs == null || cs.isBlank()) {
        p.add(
            "--eventHubsAuth=CONNECTION_STRING needs the environment variable "
                + CONNECTION_STRING_ENV
                + " (the Event Hubs namespace connection string); "
                + "it is never taken from a flag");
      } else if (!cs.contains("Endpoint=")) {
        p.add(
            "environment variable "
                + CONNECTION_STRING_ENV
                + " does not look like an Event Hubs connection string (no Endpoint=...)");
      }
    }
    if (auth == EventHubsAuth.OAUTHBEARER && namespaceHost() == null) {
      p.add(
          "--eventHubsAuth=OAUTHBEARER needs --bootstrapServers=<namespace>"
              + ".servicebus.windows.net:9093 (the token scope is derived from the host)");
    }
    if (auth != EventHubsAuth.NONE
        && bootstrapServers != null
        && !bootstrapServers.trim().endsWith(":9093")
        && !bootstrapServers.startsWith("127.")
        && !bootstrapServers.startsWith("localhost")) {
      p.add(
          "Event Hubs' Kafka endpoint listens on port 9093; --bootstrapServers="
              + bootstrapServers
              + " looks wrong");
    }
    return p;
  }

  /** Properties both the consumer and the producers get. */
  public Map<String, Object> common() {
    Map<String, Object> m = new HashMap<>();
    m.put(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG, "use_all_dns_ips");
    m.putAll(extra);
    if (auth == EventHubsAuth.NONE) {
      return m;
    }
    m.putAll(
        auth == EventHubsAuth.CONNECTION_STRING
            ? EventHubsKafka.connectionString(env.apply(CONNECTION_STRING_ENV))
            : EventHubsKafka.oauthBearer(EventHubsOAuthCallbackHandler.class.getName()));
    return m;
  }

  /** The consumer: offsets committed by Beam on checkpoint finalization, never automatically. */
  public Map<String, Object> consumer() {
    Map<String, Object> m = common();
    m.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    m.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    if (auth != EventHubsAuth.NONE) {
      m.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30000);
      m.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3000);
      m.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 300000);
      m.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
      m.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1048576);
    }
    return m;
  }

  /**
   * The producers of the Kafka sinks. One request in flight per connection: the sinks' records go
   * out in the order they were sent (the last record per id is the best one), retries included,
   * with or without idempotence. With several in flight, an idempotent producer writing to a
   * partition the broker has only just created loses records (KAFKA-15591: the first request fails
   * NOT_LEADER_OR_FOLLOWER, a later one is appended, and the first is refused as out of order on
   * every retry until {@code delivery.timeout.ms}); the aggregates topic met it after a broker
   * restart. Sink traffic is small next to the input, and linger batches it.
   */
  public Map<String, Object> producer() {
    Map<String, Object> m = common();
    m.put(ProducerConfig.ACKS_CONFIG, "all");
    m.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    m.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    m.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    if (auth != EventHubsAuth.NONE) {
      // Event Hubs: no idempotent producer on Standard tier, bounded delivery time
      m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
      m.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1000000);
      m.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120000);
      m.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, 180000);
    }
    return m;
  }

  /** {@code <namespace>.servicebus.windows.net} from the first bootstrap server, or null. */
  public String namespaceHost() {
    if (bootstrapServers == null) {
      return null;
    }
    String first = bootstrapServers.split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    String host = colon > 0 ? first.substring(0, colon) : first;
    return host.endsWith(".servicebus.windows.net") ? host : null;
  }

  @Override
  public String toString() {
    return "KafkaClientSettings{bootstrapServers="
        + bootstrapServers
        + ", auth="
        + auth
        + ", groupId="
        + groupId
        + "}"; // never the connection string
  }
}
