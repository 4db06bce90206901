package org.iotbeam.local;

import io.moquette.broker.Server;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptSubscribeMessage;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Widens the window of unacknowledged QoS 1 deliveries of every subscribing session of an embedded
 * Moquette 0.17 broker.
 *
 * <p>Why: Moquette 0.17 fixes that window at 10 per session (a constant in its {@code Session},
 * compiled into the constructor as {@code new AtomicInteger(10)}; no configuration reaches it). A
 * subscriber that acknowledges only after its own downstream acknowledged, as the MQTT -> Kafka
 * bridge does (PUBACK once Kafka has the record), then gets 10 messages per Kafka round trip: about
 * 450 msg/s on a loaded 2-core machine, far below what the bridge stands in for (IoT Hub's routing
 * to Event Hubs) and what the pipeline takes. Mosquitto's equivalent, {@code
 * max_inflight_messages}, is a setting; here the session's free-slot counter is raised once by
 * {@code window - 10}, when the client connects (the interceptor runs asynchronously, so again at
 * its subscription in case the connect notification came late: a session whose 10 slots are taken
 * by unacknowledged messages would only see the wider window at its next PUBACK).
 *
 * <p>It reaches into Moquette's private fields (Server.sessions, SessionRegistry.pool,
 * Session.inflightSlots), so it is pinned to 0.17: if a field is missing it logs once and leaves
 * the broker as it is (correct, only slower); {@code LocalBrokersTest} fails in that case.
 */
final class InflightWindow extends AbstractInterceptHandler {
  private static final Logger LOG = LoggerFactory.getLogger(InflightWindow.class);

  /** Moquette 0.17's fixed window. */
  static final int MOQUETTE_WINDOW = 10;

  private final Server server;
  private final int window;

  /** Sessions already widened: a persistent session survives reconnects and resubscribes. */
  private final Set<Object> widened = Collections.newSetFromMap(new WeakHashMap<>());

  private volatile boolean broken;

  InflightWindow(Server server, int window) {
    if (window < MOQUETTE_WINDOW) {
      throw new IllegalArgumentException("window must be >= " + MOQUETTE_WINDOW + ": " + window);
    }
    this.server = server;
    this.window = window;
  }

  @Override
  public String getID() {
    return "iotbeam-inflight-window";
  }

  @Override
  public Class<?>[] getInterceptedMessageTypes() {
    return new Class<?>[] {InterceptConnectMessage.class, InterceptSubscribeMessage.class};
  }

  @Override
  public void onConnect(InterceptConnectMessage msg) {
    if (!broken) {
      widen(msg.getClientID());
    }
  }

  @Override
  public void onSubscribe(InterceptSubscribeMessage msg) {
    if (!broken) {
      widen(msg.getClientID());
    }
  }

  @Override
  public void onSessionLoopError(Throwable error) {
    // Moquette logs its own session loop errors; nothing of this handler's
  }

  /** Whether the client's current session has the wide window (for tests). */
  boolean isWidened(String clientId) {
    try {
      Object session = session(clientId);
      synchronized (widened) {
        return session != null && widened.contains(session);
      }
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  private Object session(String clientId) throws ReflectiveOperationException {
    Object registry = field(Server.class, "sessions").get(server);
    Map<?, ?> pool = (Map<?, ?>) field(registry.getClass(), "pool").get(registry);
    return pool.get(clientId);
  }

  private void widen(String clientId) {
    try {
      Object session = session(clientId);
      if (session == null) {
        return; // gone again already
      }
      synchronized (widened) {
        if (!widened.add(session)) {
          return;
        }
      }
      AtomicInteger slots = (AtomicInteger) field(session.getClass(), "inflightSlots").get(session);
      slots.addAndGet(window - MOQUETTE_WINDOW);
    } catch (ReflectiveOperationException | RuntimeException e) {
      broken = true;
      LOG.warn(
          "could not widen Moquette's in-flight window (not Moquette 0.17?): {}; subscribers get "
              + "{} unacknowledged QoS 1 messages at a time",
          e.toString(),
          MOQUETTE_WINDOW);
    }
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
