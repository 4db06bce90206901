package org.iotbeam.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes as devices do to Azure IoT Hub over MQTT 3.1.1 (Paho 1.2.5): topic {@code
 * devices/{deviceId}/messages/events/{property bag}}, the property bag carrying the application
 * property {@code traceparent} ({@code traceparent=00-...-01}, URL-encoded), QoS 1. Up to {@link
 * #IN_FLIGHT_WINDOW} publishes await their PUBACK at a time ({@link #flush} waits for all of them;
 * one instance serves one sending thread); a publish that finds the client disconnected waits with
 * exponential backoff (100 ms .. 5 s) while Paho reconnects (automatic reconnect, 1 s doubling to 2
 * min), and one whose PUBACK does not come (or whose connection dropped before it) is published
 * again, up to 5 times: at least once.
 *
 * <h2>Against a local broker</h2>
 *
 * {@code --transport mqtt --mqttUrl tcp://127.0.0.1:1883}: one shared connection publishes for
 * every device (a local broker does not check who may publish where).
 *
 * <h2>Against a real IoT Hub</h2>
 *
 * IoT Hub allows a device to publish only on its own topic, with its own connection, so {@code
 * --iothubHost myhub.azure-devices.net} switches to one connection per device:
 *
 * <ul>
 *   <li>URL {@code ssl://myhub.azure-devices.net:8883} (TLS; the JDK's trust store has the roots);
 *   <li>client id = the device id;
 *   <li>user name {@code myhub.azure-devices.net/{deviceId}/?api-version=2021-04-12};
 *   <li>password = a SAS token ({@link SasToken}) for resource {@code
 *       myhub.azure-devices.net/devices/{deviceId}}, signed with the device's key, valid for an
 *       hour and renewed on every reconnect.
 * </ul>
 *
 * The key comes from the environment, never from a flag: {@code IOTHUB_DEVICE_KEY} (one key for all
 * simulated devices, e.g. a single registered device with {@code --devices 1}) or {@code
 * IOTHUB_GROUP_KEY} (a DPS enrollment-group key from which each device's key is derived, {@link
 * SasToken#deriveDeviceKey}). The devices must exist in the hub's registry.
 */
public final class MqttTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(MqttTransport.class);
  private static final String SHARED = "*";

  private final String serverUri;
  private final String iotHubHost;
  private final Function<String, String> deviceKey;
  private final String clientIdPrefix;
  private final Map<String, MqttAsyncClient> clients = new ConcurrentHashMap<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final long ackTimeoutMs;

  /**
   * Publishes awaiting their PUBACK, oldest first. A sliding window rather than stop-and-wait per
   * batch: waiting for a whole batch's PUBACKs before the next batch held one connection to about
   * 3,500 msg/s against a local broker, whatever its speed.
   */
  private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();

  static final int IN_FLIGHT_WINDOW = 1_000;

  private record Pending(SimulatedMessage message, IMqttDeliveryToken token) {}

  /** A transport that shares one connection for all devices (local brokers). */
  public static MqttTransport local(String serverUri, String clientIdPrefix) throws MqttException {
    return new MqttTransport(serverUri, null, null, clientIdPrefix, 10_000);
  }

  /**
   * A transport for Azure IoT Hub: one TLS connection per device, SAS-token passwords.
   *
   * @param deviceKey the base64 symmetric key of a device id
   */
  public static MqttTransport iotHub(String hubHost, Function<String, String> deviceKey)
      throws MqttException {
    return new MqttTransport("ssl://" + hubHost + ":8883", hubHost, deviceKey, "", 60_000);
  }

  private MqttTransport(
      String serverUri,
      String iotHubHost,
      Function<String, String> deviceKey,
      String clientIdPrefix,
      long ackTimeoutMs)
      throws MqttException {
    this.serverUri = serverUri;
    this.iotHubHost = iotHubHost;
    this.deviceKey = deviceKey;
    this.clientIdPrefix = clientIdPrefix;
    this.ackTimeoutMs = ackTimeoutMs;
    if (iotHubHost == null) {
      clientFor(SHARED); // fail fast on a wrong URL
    }
  }

  /** IoT Hub's device-to-cloud topic with a property bag. */
  public static String topic(String deviceId, String traceparent) {
    return "devices/"
        + deviceId
        + "/messages/events/traceparent="
        + URLEncoder.encode(traceparent, StandardCharsets.UTF_8);
  }

  @Override
  public String name() {
    return "mqtt";
  }

  private MqttAsyncClient clientFor(String deviceId) throws MqttException {
    String key = iotHubHost == null ? SHARED : deviceId;
    MqttAsyncClient c = clients.get(key);
    if (c != null) {
      return c;
    }
    String clientId = iotHubHost == null ? clientIdPrefix : deviceId;
    MqttAsyncClient client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setAutomaticReconnect(true);
    // clean session: on a lost connection Paho fails the in-flight tokens, and send() publishes
    // those messages again after the reconnect (at least once, without relying on the broker's
    // session resume, which Moquette 0.17 gets wrong without persistence)
    o.setCleanSession(true);
    o.setMaxInflight(65_535);
    o.setKeepAliveInterval(60);
    o.setConnectionTimeout(30);
    if (iotHubHost != null) {
      o.setUserName(SasToken.mqttUsername(iotHubHost, deviceId));
      o.setPassword(freshToken(deviceId).toCharArray());
    }
    client.setCallback(
        new MqttCallbackExtended() {
          @Override
          public void connectComplete(boolean reconnect, String uri) {
            if (reconnect) {
              reconnects.incrementAndGet();
              LOG.info("MQTT client {} reconnected to {}", clientId, uri);
            }
          }

          @Override
          public void connectionLost(Throwable cause) {
            LOG.warn("MQTT client {} lost its connection: {}", clientId, String.valueOf(cause));
            if (iotHubHost != null) {
              o.setPassword(freshToken(deviceId).toCharArray()); // the reconnect reuses `o`
            }
          }

          @Override
          public void messageArrived(String topic, MqttMessage message) {}

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    long backoff = 200;
    for (int attempt = 1; ; attempt++) {
      try {
        client.connect(o).waitForCompletion(35_000);
        break;
      } catch (MqttException e) {
        if (attempt >= 6) {
          client.close();
          throw e;
        }
        LOG.warn(
            "MQTT connect to {} failed (attempt {}): {}; retrying in {} ms",
            serverUri,
            attempt,
            e.toString(),
            backoff);
        sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
    clients.put(key, client);
    return client;
  }

  private String freshToken(String deviceId) {
    long expiry = Instant.now().getEpochSecond() + 3600;
    return SasToken.forDevice(iotHubHost, deviceId, deviceKey.apply(deviceId), expiry);
  }

  @Override
  public void send(List<SimulatedMessage> batch) throws MqttException {
    for (SimulatedMessage m : batch) {
      while (inFlight.size() >= IN_FLIGHT_WINDOW) {
        awaitOldest();
      }
      IMqttDeliveryToken t = publish(m);
      if (t != null) {
        inFlight.add(new Pending(m, t));
      }
    }
  }

  /**
   * Waits for the PUBACK of the oldest publish still in flight; publishes it again when it does not
   * come (or the connection dropped before it), up to 5 attempts.
   */
  private void awaitOldest() throws MqttException {
    Pending p = inFlight.poll();
    IMqttDeliveryToken t = p.token();
    int attempts = 1;
    while (t != null) {
      try {
        t.waitForCompletion(ackTimeoutMs);
        delivered.incrementAndGet();
        return;
      } catch (MqttException e) {
        if (attempts++ >= 5) {
          LOG.warn(
              "giving up on message {} of {}: {}",
              p.message().index(),
              p.message().deviceId(),
              e.toString());
          failed.incrementAndGet();
          return;
        }
        retries.incrementAndGet();
        t = publish(p.message());
      }
    }
  }

  private IMqttDeliveryToken publish(SimulatedMessage m) throws MqttException {
    MqttAsyncClient client = clientFor(m.deviceId());
    String topic = topic(m.deviceId(), m.traceparent());
    long backoff = 100;
    long deadline = System.currentTimeMillis() + 120_000;
    while (true) {
      try {
        return client.publish(topic, m.payload(), 1, false);
      } catch (MqttException e) {
        int code = e.getReasonCode();
        boolean transientError =
            code == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
                || code == MqttException.REASON_CODE_CONNECTION_LOST
                || code == MqttException.REASON_CODE_CLIENT_DISCONNECTING
                || code == MqttException.REASON_CODE_MAX_INFLIGHT
                || code == MqttException.REASON_CODE_CLIENT_TIMEOUT
                || code == MqttException.REASON_CODE_WRITE_TIMEOUT;
        if (!transientError || System.currentTimeMillis() > deadline) {
          LOG.warn("publish of message {} failed: {}", m.index(), e.toString());
          failed.incrementAndGet();
          return null;
        }
        sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Waits for the PUBACK of every message sent. */
  @Override
  public void flush() throws MqttException {
    while (!inFlight.isEmpty()) {
      awaitOldest();
    }
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
  public long reconnects() {
    return reconnects.get();
  }

  /** Messages published again after a missing PUBACK. */
  public long retries() {
    return retries.get();
  }

  @Override
  public void close() {
    for (MqttAsyncClient c : clients.values()) {
      try {
        if (c.isConnected()) {
          c.disconnect(5000).waitForCompletion(6000);
        }
      } catch (MqttException e) {
        LOG.debug("disconnect: {}", e.toString());
      } finally {
        try {
          c.close(true);
        } catch (MqttException e) {
          LOG.debug("close: {}", e.toString());
        }
      }
    }
    clients.clear();
  }
}
