package org.iotbeam.pipelines.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.pipelines.KafkaTestIo;
import org.junit.Test;

/**
 * The Kafka sinks' producer settings ({@link KafkaClientSettings#producer()}) on a real broker,
 * writing to topics the broker creates on first use, as the aggregates, alerts and dead-letter
 * topics are on a plain Kafka broker: every record is acknowledged, and each key's records are in
 * the order they were sent (the sinks rely on it: the last record per id is the best one).
 *
 * <p>An idempotent producer with several requests in flight loses records here (KAFKA-15591): a
 * first request that reaches the broker before it hosts the new partition fails with
 * NOT_LEADER_OR_FOLLOWER, a later one is appended, and the first is then refused as out of order on
 * every retry until {@code delivery.timeout.ms}. The fault suite met it after a broker restart.
 * Topics of 64 partitions widen the broker's window between publishing a partition's leader and
 * hosting it (it creates the partitions' logs one by one): with 5 requests in flight, the first
 * round lost 418 of 20,000 records.
 */
public class SinkProducerOnNewTopicTest {
  private static final int ROUNDS = 3;
  private static final int RECORDS = 20000;
  private static final int KEYS = 400;

  @Test
  public void everyRecordOnAFreshTopicIsWrittenInOrderPerKey() throws Exception {
    try (LocalKafkaBroker kafka = LocalKafkaBroker.builder().defaultPartitions(64).start()) {
      Map<String, Object> config =
          new HashMap<>(
              KafkaClientSettings.of(kafka.bootstrapServers(), EventHubsAuth.NONE, "g").producer());
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      // small batches, so that several requests per partition are in flight at once
      config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512);
      config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20000);
      config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
      for (int round = 0; round < ROUNDS; round++) {
        String topic = "fresh-" + round;
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer =
            new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
          for (int i = 0; i < RECORDS; i++) {
            sends.add(producer.send(new ProducerRecord<>(topic, "k" + (i % KEYS), "" + i)));
          }
          producer.flush();
        }
        int failed = 0;
        String first = null;
        for (Future<RecordMetadata> f : sends) {
          try {
            f.get();
          } catch (ExecutionException e) {
            failed++;
            first = first == null ? String.valueOf(e.getCause()) : first;
          }
        }
        assertEquals("sends that failed on " + topic + "; first: " + first, 0, failed);
        List<ConsumerRecord<byte[], byte[]>> read =
            KafkaTestIo.readAll(kafka.bootstrapServers(), topic, Map.of());
        assertEquals("records in " + topic, RECORDS, read.size());
        Map<String, Integer> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : read) {
          String key = new String(r.key(), StandardCharsets.UTF_8);
          int value = Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8));
          Integer before = last.put(key, value);
          assertTrue(
              "key " + key + " in " + topic + ": " + value + " after " + before,
              before == null || before < value);
        }
      }
    }
  }
}
