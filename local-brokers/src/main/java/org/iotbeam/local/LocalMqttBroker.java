package org.iotbeam.local;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded Moquette 0.17 MQTT 3.1.1 broker for tests and the local demo: 127.0.0.1 only, a free
 * port, no persistence, anonymous clients allowed, no websocket listener, and a window of {@link
 * #INFLIGHT_WINDOW} unacknowledged QoS 1 deliveries per subscriber.
 *
 * <pre>{@code
 * try (LocalMqttBroker mqtt = LocalMqttBroker.start()) {
 *   new MqttClient(mqtt.url(), "client-1", new MemoryPersistence());
 * }
 * }</pre>
 */
public final class LocalMqttBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalMqttBroker.class);

  /**
   * Unacknowledged QoS 1 deliveries a subscribing session may have (Moquette's own is a fixed 10,
   * see {@link InflightWindow}); 1,000 lets the bridge forward at Kafka's pace, not at 10 per Kafka
   * round trip.
   */
  public static final int INFLIGHT_WINDOW = 1_000;

  private final Server server;
  private final InflightWindow window;
  private final int port;
  private final Path dataDir;
  private boolean closed;

  private LocalMqttBroker(Server server, InflightWindow window, int port, Path dataDir) {
    this.server = server;
    this.window = window;
    this.port = port;
    this.dataDir = dataDir;
  }

  public static LocalMqttBroker start() {
    IOException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      int port = FreePorts.pick();
      Path dataDir;
      try {
        dataDir = Files.createTempDirectory("iotbeam-mqtt-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Properties p = new Properties();
      p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
      p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
      p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, "disabled");
      p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
      p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
      p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dataDir.toString());
      p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
      p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(256 * 1024));
      // write PUBLISH/PUBACK at once instead of batching flushes (latency over throughput)
      p.setProperty(IConfig.BUFFER_FLUSH_MS_PROPERTY_NAME, "0");
      // room for bursts of publishes queued for the session event loops
      p.setProperty(IConfig.SESSION_QUEUE_SIZE, "16384");
      Server server = new Server();
      InflightWindow window = new InflightWindow(server, INFLIGHT_WINDOW);
      try {
        server.startServer(new MemoryConfig(p), List.of(window));
        LOG.info("MQTT broker (Moquette) up at tcp://127.0.0.1:{}", port);
        return new LocalMqttBroker(server, window, port, dataDir);
      } catch (IOException | RuntimeException e) {
        try {
          server.stopServer();
        } catch (RuntimeException ignored) {
          // not started
        }
        LocalKafkaBroker.deleteRecursively(dataDir);
        last = e instanceof IOException ? (IOException) e : new IOException(e);
        LOG.warn("MQTT broker start attempt {} failed: {}", attempt, e.toString());
      }
    }
    throw new UncheckedIOException("MQTT broker did not start", last);
  }

  /** {@code tcp://127.0.0.1:port}. */
  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The broker itself, e.g. to list or disconnect clients in a reconnect test. */
  public Server server() {
    return server;
  }

  /** Whether the client's session has the {@link #INFLIGHT_WINDOW} window yet (for tests). */
  boolean hasWideWindow(String clientId) {
    return window.isWidened(clientId);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.stopServer();
    } finally {
      LocalKafkaBroker.deleteRecursively(dataDir);
    }
  }
}
