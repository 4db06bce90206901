package org.iotbeam.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
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
 * runs {@code new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM).startup()} and waits until
 * an admin client sees the broker.
 */
public final class LocalKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
  public static final String PLAINTEXT_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final int NODE_ID = 1;

  private final Path dir;
  private final Map<String, Integer> ports;
  private final KafkaRaftServer server;
  private final String clusterId;
  private boolean closed;
  private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);

  private LocalKafkaBroker(
      Path dir, Map<String, Integer> ports, KafkaRaftServer server, String clusterId) {
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
      throw new IllegalArgumentException(
          "no listener " + listenerName + "; have " + ports.keySet());
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

  /**
   * Creates a topic (replication 1) and waits until it can be used; an existing topic is left as it
   * is. Equivalent to {@code createTopic(name, partitions, Duration.ofSeconds(30))}.
   */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, TOPIC_READY_TIMEOUT);
  }

  /**
   * Creates a topic (replication 1; {@link TopicExistsException} tolerated) and waits, with bounded
   * backoff, until it is usable: every partition has a leader in the broker's metadata ({@code
   * describeTopics}) and the leader serves it ({@code listOffsets}, answered by the partition's
   * log, not only the metadata cache). In KRaft the controller acknowledges the creation before the
   * broker has applied it, so right after {@code createTopics} the broker may still answer "does
   * not host this topic-partition" ({@link UnknownTopicOrPartitionException}) or {@link
   * LeaderNotAvailableException}: those (and any other retriable error or a request timeout) mean
   * "not yet". After {@code timeout} it fails with an {@link IllegalStateException} naming the
   * topic, the time waited and the last answer.
   */
  public void createTopic(String name, int partitions, Duration timeout) {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    String last = "no answer yet";
    long backoffMs = 20;
    try (Admin admin = admin()) {
      boolean created = false;
      while (true) {
        try {
          if (!created) {
            try {
              admin
                  .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                  .all()
                  .get(remainingMs(deadline, 10_000), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
              if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
              }
            }
            created = true;
          }
          String notReady = notReady(admin, name, deadline);
          if (notReady == null) {
            LOG.debug(
                "topic {} ready after {} ms",
                name,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return;
          }
          last = notReady;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          if (!(cause instanceof RetriableException)) {
            throw new IllegalStateException("could not create topic " + name + ": " + cause, cause);
          }
          last = cause.toString(); // e.g. UnknownTopicOrPartition, LeaderNotAvailable: not yet
        } catch (java.util.concurrent.TimeoutException e) {
          last = "request timed out";
        }
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) > deadline) {
          throw new IllegalStateException(
              "topic "
                  + name
                  + " ("
                  + partitions
                  + " partitions) not usable after "
                  + timeout.toMillis()
                  + " ms"
                  + " on "
                  + bootstrapServers()
                  + (created ? "" : " (creation not acknowledged)")
                  + "; last answer: "
                  + last);
        }
        Thread.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + name, e);
    }
  }

  /** Null when every partition of the topic has a leader that serves it, else why not. */
  private static String notReady(Admin admin, String name, long deadline)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    TopicDescription desc =
        admin
            .describeTopics(List.of(name))
            .allTopicNames()
            .get(remainingMs(deadline, 10_000), TimeUnit.MILLISECONDS)
            .get(name);
    if (desc == null || desc.partitions().isEmpty()) {
      return "topic not in the metadata";
    }
    List<Integer> leaderless =
        desc.partitions().stream()
            .filter(p -> p.leader() == null || p.leader().isEmpty())
            .map(TopicPartitionInfo::partition)
            .collect(Collectors.toList());
    if (!leaderless.isEmpty()) {
      return "partitions without a leader: " + leaderless;
    }
    // the leader's log answers (the metadata cache is updated before the log is created)
    Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
    desc.partitions()
        .forEach(p -> specs.put(new TopicPartition(name, p.partition()), OffsetSpec.latest()));
    admin.listOffsets(specs).all().get(remainingMs(deadline, 10_000), TimeUnit.MILLISECONDS);
    return null;
  }

  private static long remainingMs(long deadlineNanos, long capMs) {
    long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    return Math.max(1, Math.min(capMs, left));
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

    private static int distinctFreePort(java.util.Set<Integer> taken) {
      for (int i = 0; i < 20; i++) {
        int port = FreePorts.pick();
        if (taken.add(port)) {
          return port;
        }
      }
      throw new IllegalStateException("no distinct free port on 127.0.0.1");
    }

    private LocalKafkaBroker tryStart() {
      Path dir;
      try {
        dir =
            baseDir == null
                ? Files.createTempDirectory("iotbeam-kafka-")
                : Files.createTempDirectory(baseDir, "iotbeam-kafka-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // distinct free ports (the OS may hand out a just-closed port twice)
      java.util.Set<Integer> taken = new java.util.HashSet<>();
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (String name : listeners.keySet()) {
        ports.put(name, distinctFreePort(taken));
      }
      int controllerPort = distinctFreePort(taken);

      Properties p = new Properties();
      p.put("process.roles", "broker,controller");
      p.put("node.id", Integer.toString(NODE_ID));
      p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
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
          rc =
              StorageTool.execute(
                  new String[] {
                    "format", "-t", clusterId, "-c", configFile.toString(), "--ignore-formatted"
                  },
                  ps);
        }
        if (rc != 0) {
          throw new IllegalStateException(
              "kafka storage format failed ("
                  + rc
                  + "): "
                  + formatOut.toString(StandardCharsets.UTF_8));
        }
        long t0 = System.nanoTime();
        server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
        server.startup();
        LocalKafkaBroker broker = new LocalKafkaBroker(dir, Map.copyOf(ports), server, clusterId);
        broker.awaitReady();
        LOG.info(
            "Kafka broker up at {} in {} ms (listeners {}, dir {})",
            broker.bootstrapServers(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
            ports,
            dir);
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
        throw e instanceof RuntimeException
            ? (RuntimeException) e
            : new IllegalStateException("Kafka broker did not start: " + e, e);
      }
    }
  }

  /**
   * Waits (up to 60 s) until the broker is really serving: every listener accepts TCP connections
   * (a listener can still be binding when {@code startup()} returns on a loaded machine) and the
   * broker is registered and unfenced (an admin client's {@code describeCluster} lists node 1). A
   * slow answer is "not yet", not a failed start.
   */
  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "no answer yet";
    for (Map.Entry<String, Integer> l : ports.entrySet()) {
      while (!accepts(l.getValue())) {
        last =
            "listener "
                + l.getKey()
                + " on 127.0.0.1:"
                + l.getValue()
                + " does not accept connections";
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Kafka broker did not become ready within 60 s: " + last);
        }
        Thread.sleep(100);
      }
    }
    try (Admin admin = admin()) {
      while (true) {
        try {
          var nodes =
              admin
                  .describeCluster()
                  .nodes()
                  .get(remainingMs(deadline, 10_000), TimeUnit.MILLISECONDS);
          if (nodes.stream().anyMatch(n -> n.id() == NODE_ID)) {
            return;
          }
          last = "describeCluster lists " + nodes;
        } catch (ExecutionException e) {
          last = String.valueOf(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
          last = "describeCluster timed out";
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Kafka broker did not become ready within 60 s: " + last);
        }
        Thread.sleep(100);
      }
    }
  }

  private static boolean accepts(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(
          new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
