package org.iotbeam.simulator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.iotbeam.bridge.MqttKafkaBridge;
import org.iotbeam.local.LocalMqttBroker;
import org.junit.Test;

public class MqttReconnectTest {
  /** The broker drops the simulator's connection mid-run: it reconnects and loses nothing. */
  @Test(timeout = 120_000)
  public void survivesADroppedConnection() throws Exception {
    try (LocalMqttBroker mqtt = LocalMqttBroker.start()) {
      Set<String> traces = ConcurrentHashMap.newKeySet();
      MqttClient sub = new MqttClient(mqtt.url(), "counter", new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(true);
      sub.connect(o);
      sub.subscribe(
          MqttKafkaBridge.SUBSCRIPTION,
          1,
          (topic, msg) ->
              traces.add(MqttKafkaBridge.parseTopic(topic).properties().get("traceparent")));
      ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
      SimulatorSummary s;
      try (MqttTransport t = MqttTransport.local(mqtt.url(), "sim-reconnect")) {
        killer.schedule(
            () -> mqtt.server().disconnectClient("sim-reconnect"), 700, TimeUnit.MILLISECONDS);
        s =
            new Simulator(
                    new SimulatorConfig()
                        .devices(20)
                        .count(1000)
                        .rate(500)
                        .seed(4)
                        .progressInterval(Duration.ofSeconds(1)),
                    t,
                    System.err)
                .run();
      } finally {
        killer.shutdownNow();
      }
      System.out.println("reconnect run:\n" + s);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (traces.size() < 1000 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      sub.disconnect();
      sub.close();
      assertEquals(1000, s.delivered());
      assertEquals(0, s.failed());
      assertThat(s.reconnects(), greaterThanOrEqualTo(1L));
      assertEquals("every message arrived (at least once)", 1000, traces.size());
    }
  }
}
