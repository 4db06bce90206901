package org.iotbeam.pipelines;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.pipelines.sinks.FinishedFiles;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;

/** Small helpers the pipeline tests share: produce, read a topic from the start, read files. */
public final class KafkaTestIo {
  private KafkaTestIo() {}

  /** The output topics a streaming job writes with the default options. */
  public static final List<String> OUTPUT_TOPICS = List.of("aggregates", "alerts", "dead-letters");

  /**
   * The topics a streaming job with the default options uses: {@code telemetry} with {@code
   * partitions}, and one partition for each of {@link #OUTPUT_TOPICS}.
   */
  public static void createJobTopics(LocalKafkaBroker kafka, int partitions) {
    kafka.createTopic("telemetry", partitions);
    for (String t : OUTPUT_TOPICS) {
      kafka.createTopic(t, 1);
    }
  }

  /** One message to produce: key, value, optional traceparent and partition (null: by key). */
  public record Out(String key, byte[] value, String traceparent, Integer partition) {
    public Out(String key, byte[] value, String traceparent) {
      this(key, value, traceparent, null);
    }
  }

  public static void produce(
      String bootstrap, String topic, List<Out> messages, Map<String, Object> extra) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("linger.ms", "5");
    p.putAll(extra);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Out m : messages) {
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(
                topic,
                m.partition(),
                m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8),
                m.value());
        if (m.traceparent() != null) {
          r.headers().add("traceparent", m.traceparent().getBytes(StandardCharsets.UTF_8));
        }
        producer.send(r);
      }
      producer.flush();
    }
  }

  /** Every record of a topic from the beginning up to its current end. */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrap, String topic, Map<String, Object> extra) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("enable.auto.commit", "false");
    p.putAll(extra);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          c.partitionsFor(topic, Duration.ofSeconds(20)).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .collect(Collectors.toList());
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end");
        }
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  public static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
        .collect(Collectors.toList());
  }

  /** Finished files under dir whose name ends with suffix (Beam's temp files are skipped). */
  public static List<Path> files(Path dir, String suffix) {
    return FinishedFiles.list(dir, suffix);
  }

  public static List<String> gzipLines(Path file) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  static List<InboundMessage> archive(Path file) {
    List<InboundMessage> out = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      Iterator<InboundMessage> it = RawArchiveFormat.read(in);
      it.forEachRemaining(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
    return out;
  }
}
