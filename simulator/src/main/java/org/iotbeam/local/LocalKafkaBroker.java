package org.iotbeam.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka 3.9 broker in KRaft mode (combined broker + controller), in this JVM,
 * for tests and the local demo. It listens on 127.0.0.1 only, on free ports, with its log in a
 * temporary directory that {@link #close()} deletes.
 *
 * <pre>{@code
 * try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
 *   kafka.createTopic("telemetry", 4);
 *   producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 *
 * <p>The builder takes extra broker properties and extra listeners, e.g. a {@code SASL_SSL}
 * listener with PLAIN for an Event-Hubs-like endpoint:
 *
 * <pre>{@code
 * LocalKafkaBroker.builder()
 *     .listener("EXTERNAL", "SASL_SSL")
 *     .property("listener.name.external.sasl.enabled.mechanisms", "PLAIN")
 *     .property("listener.name.external.plain.sasl.jaas.config", "...")
 *     .property("listener.name.external.ssl.keystore.location", "...")
 *     .start();
 * kafka.bootstrapServers("EXTERNAL");
 * }</pre>
 *
 * Startup formats the storage as {@code kafka-storage.sh format} does ({@link StorageTool}), then
 * runs {@code new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM).startup()} and waits
 * until an admin client sees the broker.
 */
public final class LocalKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
  public static final String PLAINTEXT_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final Path dir;
  private final Map<String, Integer> ports;
  private final KafkaRaftServer server;
  private final String clusterId;
  private boolean closed;

  private LocalKafkaBroker(Path dir, Map<String, Integer> ports, KafkaRaftServer server,
      String clusterId) {
    this.dir = dir;
    this.ports = ports;
    this.server = server;
    this.clusterId = clusterId;
  }

  /** Starts a broker with the defaults (1 partition per auto-created topic). */
  public static LocalKafkaBroker start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code 127.0.0.1:port} of the PLAINTEXT listener. */
  public String bootstrapServers() {
    return bootstrapServers(PLAINTEXT_LISTENER);
  }

  /** {@code 127.0.0.1:port} of a named listener (see {@link Builder#listener}). */
  public String bootstrapServers(String listenerName) {
    Integer port = ports.get(listenerName.toUpperCase());
    if (port == null) {
      throw new IllegalArgumentException("no listener " + listenerName + "; have " + ports.keySet());
    }
    return "127.0.0.1:" + port;
  }

  public int port(String listenerName) {
    return Integer.parseInt(bootstrapServers(listenerName).substring("127.0.0.1:".length()));
  }

  public String clusterId() {
    return clusterId;
  }

  public Path logDir() {
    return dir;
  }

  /** An admin client on the PLAINTEXT listener; the caller closes it. */
  public Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000);
    return Admin.create(p);
  }

  /** Creates a topic (replication 1) and waits for it; an existing topic is left as it is. */
  public void createTopic(String name, int partitions) {
    try (Admin admin = admin()) {
      try {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
            .get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      // wait until every partition has a leader, so the first produce does not hit a retry
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        var desc = admin.describeTopics(List.of(name)).allTopicNames().get(30, TimeUnit.SECONDS)
            .get(name);
        if (desc.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topic " + name + " has partitions without a leader");
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + name, e);
    } catch (Exception e) {
      throw new IllegalStateException("could not create topic " + name + ": " + e, e);
    }
  }

  /** Shuts the broker down and deletes its log directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Kafka broker shutdown failed", e);
    } finally {
      deleteRecursively(dir);
    }
  }

  static void deleteRecursively(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", root, e.toString());
    }
  }

  /** Configures a broker; {@link #start()} formats the storage and starts it. */
  public static final class Builder {
    private final Map<String, String> listeners = new LinkedHashMap<>();
    private final Map<String, String> props = new LinkedHashMap<>();
    private int defaultPartitions = 1;
    private Path baseDir;
    private int startAttempts = 3;

    private Builder() {
      listeners.put(PLAINTEXT_LISTENER, "PLAINTEXT");
    }

    /** Partitions of auto-created topics ({@code num.partitions}); default 1. */
    public Builder defaultPartitions(int partitions) {
      this.defaultPartitions = partitions;
      return this;
    }

    /**
     * An extra listener on 127.0.0.1 and a free port, e.g. {@code ("EXTERNAL", "SASL_SSL")}. Its
     * security settings go in {@link #property} as {@code listener.name.external.*}.
     */
    public Builder listener(String name, String securityProtocol) {
      String n = name.toUpperCase();
      if (n.equals(CONTROLLER_LISTENER)) {
        throw new IllegalArgumentException(CONTROLLER_LISTENER + " is reserved");
      }
      listeners.put(n, securityProtocol);
      return this;
    }

    /** Any broker property; it overrides the defaults. */
    public Builder property(String key, String value) {
      props.put(key, value);
      return this;
    }

    /** Where the temporary log directory is created (default: java.io.tmpdir). */
    public Builder baseDir(Path baseDir) {
      this.baseDir = baseDir;
      return this;
    }

    public LocalKafkaBroker start() {
      RuntimeException last = null;
      for (int attempt = 1; attempt <= startAttempts; attempt++) {
        try {
          return tryStart();
        } catch (RuntimeException e) {
          // the ports are picked free but may be taken by someone else before we bind: retry
          last = e;
          LOG.warn("Kafka broker start attempt {} failed: {}", attempt, e.toString());
        }
      }
      throw last;
    }

    private LocalKafkaBroker tryStart() {
      Path dir;
      try {
        dir = baseDir == null
            ? Files.createTempDirectory("iotbeam-kafka-")
            : Files.createTempDirectory(baseDir, "iotbeam-kafka-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (String name : listeners.keySet()) {
        ports.put(name, FreePorts.pick());
      }
      int controllerPort = FreePorts.pick();

      Properties p = new Properties();
      p.put("process.roles", "broker,controller");
      p.put("node.id", "1");
      p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
      p.put("controller.listener.names", CONTROLLER_LISTENER);
      p.put("inter.broker.listener.name", PLAINTEXT_LISTENER);
      List<String> bind = new ArrayList<>();
      List<String> advertised = new ArrayList<>();
      List<String> protocolMap = new ArrayList<>();
      for (Map.Entry<String, Integer> e : ports.entrySet()) {
        bind.add(e.getKey() + "://127.0.0.1:" + e.getValue());
        advertised.add(e.getKey() + "://127.0.0.1:" + e.getValue());
        protocolMap.add(e.getKey() + ":" + listeners.get(e.getKey()));
      }
      bind.add(CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
      protocolMap.add(CONTROLLER_LISTENER + ":PLAINTEXT");
      p.put("listeners", String.join(",", bind));
      p.put("advertised.listeners", String.join(",", advertised));
      p.put("listener.security.protocol.map", String.join(",", protocolMap));
      // the log in a sub-directory: the config file for the storage tool sits in `dir`
      p.put("log.dirs", dir.resolve("data").toAbsolutePath().toString());
      p.put("num.partitions", Integer.toString(defaultPartitions));
      p.put("auto.create.topics.enable", "true");
      p.put("offsets.topic.replication.factor", "1");
      p.put("offsets.topic.num.partitions", "4");
      p.put("transaction.state.log.replication.factor", "1");
      p.put("transaction.state.log.min.isr", "1");
      p.put("transaction.state.log.num.partitions", "4");
      p.put("group.initial.rebalance.delay.ms", "0");
      p.put("num.network.threads", "2");
      p.put("num.io.threads", "2");
      p.put("num.recovery.threads.per.data.dir", "1");
      p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
      p.put("log.cleaner.threads", "1");
      p.put("socket.request.max.bytes", Integer.toString(100 * 1024 * 1024));
      p.putAll(props);

      String clusterId = Uuid.randomUuid().toString();
      KafkaRaftServer server = null;
      try {
        Path configFile = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
          p.store(out, "iotbeam LocalKafkaBroker");
        }
        ByteArrayOutputStream formatOut = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(formatOut, true, StandardCharsets.UTF_8)) {
          rc = StorageTool.execute(new String[] {
              "format", "-t", clusterId, "-c", configFile.toString(), "--ignore-formatted"}, ps);
        }
        if (rc != 0) {
          throw new IllegalStateException("kafka storage format failed (" + rc + "): "
              + formatOut.toString(StandardCharsets.UTF_8));
        }
        long t0 = System.nanoTime();
        server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
        server.startup();
        LocalKafkaBroker broker = new LocalKafkaBroker(dir, Map.copyOf(ports), server, clusterId);
        broker.awaitReady();
        LOG.info("Kafka broker up at {} in {} ms (listeners {}, dir {})", broker.bootstrapServers(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), ports, dir);
        return broker;
      } catch (Exception e) {
        if (server != null) {
          try {
            server.shutdown();
            server.awaitShutdown();
          } catch (RuntimeException ignored) {
            // already failing
          }
        }
        deleteRecursively(dir);
        throw e instanceof RuntimeException ? (RuntimeException) e
            : new IllegalStateException("Kafka broker did not start: " + e, e);
      }
    }
  }

  private void awaitReady() throws Exception {
    try (Admin admin = admin()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Kafka broker did not become ready within 60 s");
        }
        Thread.sleep(100);
      }
    }
  }
}
