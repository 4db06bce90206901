package org.iotbeam.pipelines.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.proto.Telemetry;

/**
 * Throughput and latency of the streaming pipeline on Flink embedded against an in-process KRaft
 * broker. Not a test: prints figures.
 *
 * <ol>
 *   <li>throughput: pre-fill {@code -Dn} messages (default 1,000,000) from {@code -Ddevices}
 *       devices, run the pipeline bounded ({@code --maxReadRecords=n}) and time it;
 *   <li>latency: produce at {@code -Drate} msg/s (default 10,000) for {@code -Dseconds} (30); a
 *       few probe devices alternate hot/cold readings so each probe raises or clears an alert;
 *       latency = time the alert is read from the alerts topic - the reading's event time
 *       (= its produce time).
 * </ol>
 */
public final class StreamingBenchmark {
  private static final AtomicLong maxHeap = new AtomicLong();

  public static void main(String[] args) throws Exception {
    long n = Long.getLong("n", 1_000_000L);
    int devices = Integer.getInteger("devices", 1000);
    int rate = Integer.getInteger("rate", 10_000);
    int seconds = Integer.getInteger("seconds", 30);
    int parallelism = Integer.getInteger("parallelism", 2);
    Thread heap = new Thread(() -> {
      while (true) {
        Runtime r = Runtime.getRuntime();
        maxHeap.accumulateAndGet(r.totalMemory() - r.freeMemory(), Math::max);
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    heap.setDaemon(true);
    heap.start();
    Path work = Files.createTempDirectory("iotbeam-bench-");
    Path rules = work.resolve("rules.json");
    Files.writeString(rules, "{\"thresholds\": [{\"id\": \"probe-hot\", \"metric\": "
        + "\"temperature\", \"operator\": \">\", \"value\": 45.0, \"forReadings\": 1, "
        + "\"severity\": \"critical\", \"priority\": 1, \"cooldownMinutes\": 0}]}");
    try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
      String bs = kafka.bootstrapServers();
      for (String t : List.of("bench-in", "lat-in")) {
        createTopic(kafka, t, parallelism);
      }
      for (String t : List.of("aggregates", "alerts", "dead-letters", "lat-aggregates",
          "lat-alerts", "lat-dead-letters")) {
        createTopic(kafka, t, 1);
      }
      // 1. throughput
      long t0 = System.nanoTime();
      prefill(bs, "bench-in", n, devices);
      System.out.printf("prefill: %,d messages in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
      StreamingPipeline.Options o = options(bs, work.resolve("out-throughput"), rules,
          parallelism, "");
      o.setInputTopic("bench-in");
      o.setMaxReadRecords(n);
      FlinkPipelineOptions f = o.as(FlinkPipelineOptions.class);
      f.setAttachedMode(true);
      maxHeap.set(0);
      long s0 = System.nanoTime();
      PipelineResult r = StreamingPipeline.run(o);
      r.waitUntilFinish();
      double secs = (System.nanoTime() - s0) / 1e9;
      System.out.printf("THROUGHPUT: %,d messages in %.1f s (incl. job start and final "
          + "windows) = %,.0f msg/s; max heap used %,d MB%n", n, secs, n / secs,
          maxHeap.get() >> 20);

      // 2. latency at a fixed rate
      StreamingPipeline.Options l = options(bs, work.resolve("out-latency"), rules, parallelism,
          "lat-");
      l.setInputTopic("lat-in");
      l.setMaxOutOfOrderSeconds(0);
      l.as(FlinkPipelineOptions.class).setAttachedMode(false);
      maxHeap.set(0);
      PipelineResult lr = StreamingPipeline.run(l);
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean stop = new AtomicBoolean();
      Thread consumer = new Thread(() -> consumeAlerts(bs, "lat-alerts", latencies, stop));
      consumer.start();
      Thread.sleep(10_000); // job start
      long sent = produceAtRate(bs, "lat-in", rate, seconds, devices);
      Thread.sleep(5_000);
      stop.set(true);
      consumer.join();
      lr.cancel();
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      System.out.printf("LATENCY at %,d msg/s for %d s (%,d sent): %d alert events, "
          + "p50 %d ms, p95 %d ms, p99 %d ms, max %d ms; max heap used %,d MB%n", rate, seconds,
          sent, sorted.size(), pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
          sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1), maxHeap.get() >> 20);
    }
    System.exit(0);
  }

  /** On a loaded machine the broker may not host a new topic yet when it is described: retry. */
  static void createTopic(LocalKafkaBroker kafka, String topic, int partitions)
      throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        kafka.createTopic(topic, partitions);
        return;
      } catch (IllegalStateException e) {
        if (attempt == 5) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
  }

  static StreamingPipeline.Options options(String bs, Path out, Path rules, int parallelism,
      String topicPrefix) {
    StreamingPipeline.Options o = PipelineOptionsFactory.as(StreamingPipeline.Options.class);
    o.setRunner(FlinkRunner.class);
    FlinkPipelineOptions f = o.as(FlinkPipelineOptions.class);
    f.setFlinkMaster("[local]");
    f.setParallelism(parallelism);
    f.setCheckpointingInterval(10_000L);
    f.setObjectReuse(true);
    o.setStreaming(true);
    o.setBootstrapServers(bs);
    o.setConsumerGroup("bench-" + System.nanoTime());
    o.setOutputBase(out.toString());
    o.setRulesFile(rules.toString());
    o.setAggregatesTopic(topicPrefix + "aggregates");
    o.setAlertsTopic(topicPrefix + "alerts");
    o.setDeadLetterTopic(topicPrefix + "dead-letters");
    o.setFileFlushSeconds(30);
    return o;
  }

  static byte[] reading(String device, long ts, double temp) {
    return Telemetry.newBuilder().setDeviceId(device).setTimestampMs(ts).setTemperature(temp)
        .setHumidity(40 + (ts % 20)).setSchemaVersion(1).build().toByteArray();
  }

  static KafkaProducer<byte[], byte[]> producer(String bs) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bs);
    p.put("acks", "1");
    p.put("linger.ms", "5");
    p.put("batch.size", "262144");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** n readings, event times spread over the last 20 minutes, in order per device. */
  static void prefill(String bs, String topic, long n, int devices) {
    long now = System.currentTimeMillis();
    long start = now - 20 * 60_000L;
    double step = (20 * 60_000.0) / n;
    try (KafkaProducer<byte[], byte[]> p = producer(bs)) {
      for (long i = 0; i < n; i++) {
        String dev = "bench-" + (i % devices);
        p.send(new ProducerRecord<>(topic, dev.getBytes(StandardCharsets.UTF_8),
            reading(dev, start + (long) (i * step), 20 + (i % 10))));
      }
      p.flush();
    }
  }

  /** {@code rate} msg/s for {@code seconds}; 10 probe devices alternate hot and cold. */
  static long produceAtRate(String bs, String topic, int rate, int seconds, int devices)
      throws InterruptedException {
    long sent = 0;
    long t0 = System.nanoTime();
    long total = (long) rate * seconds;
    try (KafkaProducer<byte[], byte[]> p = producer(bs)) {
      while (sent < total) {
        long due = (long) ((System.nanoTime() - t0) / 1e9 * rate);
        if (sent >= due) {
          Thread.sleep(1);
          continue;
        }
        long now = System.currentTimeMillis();
        String dev;
        double temp;
        if (sent % 1000 == 0) { // 10 probes a second at 10k/s
          long probe = sent / 1000;
          dev = "probe-" + (probe % 10);
          temp = (probe / 10) % 2 == 0 ? 50 : 20;
        } else {
          dev = "bench-" + (sent % devices);
          temp = 20 + (sent % 10);
        }
        p.send(new ProducerRecord<>(topic, dev.getBytes(StandardCharsets.UTF_8),
            reading(dev, now, temp)));
        sent++;
      }
      p.flush();
    }
    return sent;
  }

  static void consumeAlerts(String bs, String topic, List<Long> latencies, AtomicBoolean stop) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bs);
    p.put("group.id", "bench-latency");
    p.put("auto.offset.reset", "earliest");
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      while (!stop.get()) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
          long received = System.currentTimeMillis();
          String v = r.value();
          int i = v.indexOf("\"eventTimeMs\":\"");
          if (i >= 0) {
            long ev = Long.parseLong(v.substring(i + 15, v.indexOf('"', i + 15)));
            latencies.add(received - ev);
          }
        }
      }
    }
  }

  static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
