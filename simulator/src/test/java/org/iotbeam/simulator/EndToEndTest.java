package org.iotbeam.simulator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.iotbeam.bridge.MqttKafkaBridge;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.local.LocalMqttBroker;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** Real brokers on 127.0.0.1: Moquette for MQTT, an in-process KRaft Kafka. */
public class EndToEndTest {
  private static LocalKafkaBroker kafka;

  @BeforeClass
  public static void startKafka() {
    kafka = LocalKafkaBroker.start();
  }

  @AfterClass
  public static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static SimulatorConfig config(int devices, int count, double rate) {
    return new SimulatorConfig()
        .devices(devices)
        .count(count)
        .rate(rate)
        .seed(2026)
        .malformedRatio(0.05)
        .anomalyRate(0.01)
        .progressInterval(Duration.ofSeconds(2));
  }

  /** Reads the topic until {@code expected} records arrived, then a little more for extras. */
  private static List<ConsumerRecord<String, byte[]>> consumeAll(String topic, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "count-" + topic);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    List<ConsumerRecord<String, byte[]>> got = new java.util.ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (got.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(got::add);
      }
      // anything beyond the expected count would be a duplicate: look for it briefly
      long extra = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (System.nanoTime() < extra) {
        c.poll(Duration.ofMillis(200)).forEach(got::add);
      }
    }
    return got;
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Every record matches a sent message by traceparent: same key and bytes, none missing. */
  private static void assertExactly(
      List<SimulatedMessage> sent, List<ConsumerRecord<String, byte[]>> got) {
    assertEquals("records in Kafka", sent.size(), got.size());
    Map<String, SimulatedMessage> byTrace = new HashMap<>();
    for (SimulatedMessage m : sent) {
      assertEquals(null, byTrace.put(m.traceparent(), m));
    }
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<String, byte[]> r : got) {
      String tp = header(r, "traceparent");
      assertNotNull("traceparent header", tp);
      assertTrue(tp, Traceparent.isValid(tp));
      assertTrue("duplicate " + tp, seen.add(tp));
      SimulatedMessage m = byTrace.get(tp);
      assertNotNull("unknown traceparent " + tp, m);
      assertEquals(m.deviceId(), r.key());
      assertArrayEquals(m.payload(), r.value());
    }
  }

  @Test(timeout = 180_000)
  public void simulatorOverMqttThroughBridgeIntoKafka() throws Exception {
    kafka.createTopic("from-mqtt", 4);
    try (LocalMqttBroker mqtt = LocalMqttBroker.start();
        MqttKafkaBridge bridge =
            new MqttKafkaBridge(
                    mqtt.url(), kafka.bootstrapServers(), "from-mqtt", "test-bridge", Map.of())
                .start()) {
      List<SimulatedMessage> sent = new java.util.ArrayList<>();
      SimulatorSummary s;
      try (MqttTransport t = MqttTransport.local(mqtt.url(), "test-sim")) {
        s = new Simulator(config(50, 2000, 1000), t, System.err).tap(sent::add).run();
      }
      System.out.println("mqtt run:\n" + s);
      assertEquals(2000, s.generated());
      assertEquals(2000, s.delivered());
      assertEquals(0, s.failed());

      List<ConsumerRecord<String, byte[]>> got = consumeAll("from-mqtt", 2000);
      System.out.println(bridge);
      assertExactly(sent, got);
      Set<String> keys = new HashSet<>();
      got.forEach(r -> keys.add(r.key()));
      assertEquals(50, keys.size());
      assertTrue(
          got.stream().allMatch(r -> r.key().equals(header(r, MqttKafkaBridge.DEVICE_ID_HEADER))));
      assertThat(bridge.forwarded(), equalTo(2000L));
      assertThat(bridge.received(), equalTo(2000L));
      assertThat(bridge.failed(), equalTo(0L));
    }
  }

  @Test(timeout = 180_000)
  public void simulatorOverKafkaDirectly() throws Exception {
    kafka.createTopic("direct", 4);
    List<SimulatedMessage> sent = new java.util.ArrayList<>();
    SimulatorSummary s;
    try (KafkaTransport t = new KafkaTransport(kafka.bootstrapServers(), "direct", Map.of())) {
      s =
          new Simulator(config(50, 3000, 3000).startTime(Instant.now()), t, System.err)
              .tap(sent::add)
              .run();
    }
    System.out.println("kafka run:\n" + s);
    assertEquals(3000, s.generated());
    assertEquals(3000, s.delivered());
    assertEquals(s.valid() + s.malformed(), 3000);
    assertExactly(sent, consumeAll("direct", 3000));
  }

  /** How fast the Kafka transport goes unthrottled (printed, loosely asserted). */
  @Test(timeout = 300_000)
  public void kafkaTransportThroughput() throws Exception {
    kafka.createTopic("bench", 4);
    int n = Integer.getInteger("bench.kafka.count", 300_000);
    SimulatorSummary s;
    try (KafkaTransport t =
        new KafkaTransport(
            kafka.bootstrapServers(),
            "bench",
            Map.of("linger.ms", "20", "compression.type", "lz4"))) {
      s =
          new Simulator(
                  new SimulatorConfig()
                      .devices(1000)
                      .count(n)
                      .unthrottled(true)
                      .batchSize(1000)
                      .seed(1)
                      .progressInterval(Duration.ofSeconds(2)),
                  t,
                  System.err)
              .run();
    }
    System.out.println("kafka unthrottled:\n" + s);
    assertEquals(n, s.delivered());
  }

  @Test(timeout = 120_000)
  public void cliOverKafka() throws Exception {
    kafka.createTopic("cli", 2);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int rc =
        DeviceSimulator.execute(
            new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
            System.err,
            "--transport",
            "kafka",
            "--bootstrapServers",
            kafka.bootstrapServers(),
            "--topic",
            "cli",
            "--devices",
            "20",
            "--count",
            "500",
            "--rate",
            "1000",
            "--malformedRatio",
            "0.1",
            "--seed",
            "3");
    String summary = out.toString(StandardCharsets.UTF_8);
    assertEquals(summary, 0, rc);
    assertTrue(summary, summary.contains("delivered: 500\n"));
    assertEquals(500, consumeAll("cli", 500).size());
  }

  /** Both command lines: the bridge's main options and the simulator's MQTT transport. */
  @Test(timeout = 120_000)
  public void cliOverMqttThroughBridgeCli() throws Exception {
    kafka.createTopic("cli-mqtt", 2);
    try (LocalMqttBroker mqtt = LocalMqttBroker.start()) {
      java.util.concurrent.ExecutorService ex =
          java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        java.util.concurrent.Future<Integer> bridgeRc =
            ex.submit(
                () ->
                    MqttKafkaBridge.execute(
                        System.out,
                        System.err,
                        "--mqttUrl",
                        mqtt.url(),
                        "--bootstrapServers",
                        kafka.bootstrapServers(),
                        "--topic",
                        "cli-mqtt",
                        "--clientId",
                        "cli-bridge",
                        "--duration",
                        "8",
                        "--statsInterval",
                        "2"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (mqtt.server().listConnectedClients().stream()
            .noneMatch(c -> c.getClientID().equals("cli-bridge"))) {
          assertTrue("bridge connected", System.nanoTime() < deadline);
          Thread.sleep(50);
        }
        Thread.sleep(300); // its subscription follows the connection
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int rc =
            DeviceSimulator.execute(
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                System.err,
                "--transport",
                "mqtt",
                "--mqttUrl",
                mqtt.url(),
                "--devices",
                "10",
                "--count",
                "300",
                "--rate",
                "500",
                "--seed",
                "9");
        String summary = out.toString(StandardCharsets.UTF_8);
        assertEquals(summary, 0, rc);
        assertTrue(summary, summary.contains("delivered: 300\n"));
        assertEquals(300, consumeAll("cli-mqtt", 300).size());
        assertEquals(Integer.valueOf(0), bridgeRc.get(30, TimeUnit.SECONDS));
      } finally {
        ex.shutdownNow();
      }
    }
  }
}
