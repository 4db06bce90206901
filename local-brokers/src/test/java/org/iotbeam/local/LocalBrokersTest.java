package org.iotbeam.local;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Test;

public class LocalBrokersTest {

  @Test(timeout = 120_000)
  public void kafkaBrokerProducesAndConsumesAndCleansUp() throws Exception {
    Path dir;
    // an extra listener, as an Event-Hubs-like SASL_SSL one would be added
    try (LocalKafkaBroker kafka =
        LocalKafkaBroker.builder()
            .listener("EXTERNAL", "PLAINTEXT")
            .property("message.max.bytes", "2000000")
            .start()) {
      dir = kafka.logDir();
      assertThat(kafka.bootstrapServers(), startsWith("127.0.0.1:"));
      assertThat(kafka.bootstrapServers("external"), startsWith("127.0.0.1:"));
      assertTrue(kafka.port("EXTERNAL") != kafka.port(LocalKafkaBroker.PLAINTEXT_LISTENER));
      kafka.createTopic("t", 3);
      kafka.createTopic("t", 3); // existing topic: no error

      Properties pp = new Properties();
      pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers("EXTERNAL"));
      pp.put(ProducerConfig.ACKS_CONFIG, "all");
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>("t", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
        }
      }

      Properties cp = new Properties();
      cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      cp.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
      cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      List<ConsumerRecord<String, String>> got = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of("t"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (got.size() < 10 && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(got::add);
        }
      }
      assertThat(got.size(), equalTo(10));
      assertTrue(got.stream().allMatch(r -> r.value().equals("v" + r.key().substring(1))));
      assertTrue(Files.exists(dir));
    }
    assertFalse("log dir deleted on close", Files.exists(dir));
  }

  /**
   * Topics are usable as soon as createTopic returns: 20 topics in a row, several partitions each,
   * one record produced to every partition right away by a producer that does not retry (a
   * NOT_LEADER / UNKNOWN_TOPIC_OR_PARTITION answer would fail the send). Two threads create topics
   * at the same time to load the broker.
   */
  @Test(timeout = 180_000)
  public void createdTopicsAreUsableAtOnce() throws Exception {
    try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
      Properties pp = new Properties();
      pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      pp.put(ProducerConfig.ACKS_CONFIG, "all");
      pp.put(ProducerConfig.RETRIES_CONFIG, "0");
      pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
      pp.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
      int topics = 20;
      int partitions = 4;
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
          int worker = w;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < topics / 2; i++) {
                      String topic = "burst-" + worker + "-" + i;
                      kafka.createTopic(topic, partitions);
                      for (int part = 0; part < partitions; part++) {
                        producer
                            .send(new ProducerRecord<>(topic, part, "k", "v" + part))
                            .get(20, TimeUnit.SECONDS);
                      }
                    }
                    return null;
                  }));
        }
        for (java.util.concurrent.Future<?> f : done) {
          f.get(150, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
        assertThat(
            admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith("burst-"))
                .count(),
            equalTo((long) topics));
      }
    }
  }

  @Test(timeout = 120_000)
  public void createTopicFailsClearlyAfterItsBound() throws Exception {
    try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
      try {
        kafka.createTopic("never-in-time", 1, Duration.ofMillis(1));
        org.junit.Assert.fail("a 1 ms bound cannot be met");
      } catch (IllegalStateException e) {
        assertThat(
            e.getMessage(),
            org.hamcrest.Matchers.containsString(
                "topic never-in-time (1 partitions) not usable after 1 ms"));
      }
    }
  }

  @Test(timeout = 60_000)
  public void mqttBrokerDeliversAMessage() throws Exception {
    try (LocalMqttBroker mqtt = LocalMqttBroker.start()) {
      assertThat(mqtt.url(), startsWith("tcp://127.0.0.1:"));
      BlockingQueue<String> got = new ArrayBlockingQueue<>(10);
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(true);
      MqttClient sub = new MqttClient(mqtt.url(), "sub", new MemoryPersistence());
      MqttClient pub = new MqttClient(mqtt.url(), "pub", new MemoryPersistence());
      try {
        sub.connect(o);
        sub.subscribe(
            "a/#",
            1,
            (topic, msg) ->
                got.add(topic + "=" + new String(msg.getPayload(), StandardCharsets.UTF_8)));
        pub.connect(o);
        pub.publish("a/b", "hello".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(got.poll(20, TimeUnit.SECONDS), equalTo("a/b=hello"));
      } finally {
        pub.disconnect();
        sub.disconnect();
        pub.close();
        sub.close();
      }
    }
  }

  /**
   * Moquette 0.17 alone stops after 10 unacknowledged QoS 1 deliveries to a subscriber; the local
   * broker lets one that acknowledges late (as the bridge does, after Kafka) have many more.
   */
  @Test(timeout = 60_000)
  public void aSubscriberGetsManyUnacknowledgedMessages() throws Exception {
    int messages = 200;
    try (LocalMqttBroker mqtt = LocalMqttBroker.start()) {
      BlockingQueue<MqttMessage> got = new java.util.concurrent.LinkedBlockingQueue<>();
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(true);
      MqttClient sub = new MqttClient(mqtt.url(), "slow-acker", new MemoryPersistence());
      MqttClient pub = new MqttClient(mqtt.url(), "pub", new MemoryPersistence());
      try {
        sub.setManualAcks(true);
        sub.connect(o);
        sub.subscribe("a/#", 1, (topic, msg) -> got.add(msg));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!mqtt.hasWideWindow("slow-acker") && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        // Paho counts a publish as in flight until its callback thread has run, which can be after
        // the synchronous publish returned: at its default limit of 10 a fast loop can trip over
        // it (REASON_CODE_MAX_INFLIGHT; eclipse-paho/paho.mqtt.java#551), so the publisher gets
        // room for every message
        MqttConnectOptions pubOptions = new MqttConnectOptions();
        pubOptions.setCleanSession(true);
        pubOptions.setMaxInflight(messages);
        pub.connect(pubOptions);
        for (int i = 0; i < messages; i++) {
          pub.publish("a/" + i, new byte[] {(byte) i}, 1, false);
        }
        // distinct payloads: Moquette redelivers an unacknowledged message when the line is idle
        java.util.Set<Byte> distinct = new java.util.HashSet<>();
        List<MqttMessage> unacknowledged = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (distinct.size() < messages && System.nanoTime() < until) {
          MqttMessage m = got.poll(100, TimeUnit.MILLISECONDS);
          if (m != null && distinct.add(m.getPayload()[0])) {
            unacknowledged.add(m);
          }
        }
        assertThat(distinct.size(), equalTo(messages));
        for (MqttMessage m : unacknowledged) {
          sub.messageArrivedComplete(m.getId(), m.getQos());
        }
      } finally {
        // forcibly: a clean disconnect would wait for the unacknowledged messages first
        pub.disconnectForcibly(1000, 1000);
        sub.disconnectForcibly(1000, 1000);
        pub.close();
        sub.close();
      }
    }
  }
}
