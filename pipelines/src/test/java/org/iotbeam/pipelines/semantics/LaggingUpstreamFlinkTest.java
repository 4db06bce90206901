package org.iotbeam.pipelines.semantics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.pipelines.FlinkTestOptions;
import org.iotbeam.pipelines.KafkaTestIo;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.PaneTiming;
import org.iotbeam.proto.Telemetry;
import org.iotbeam.proto.WindowAggregate;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The streaming job with the shipped defaults (60 s watermark delay, 60 s idle timeout, 10 minutes
 * of allowed lateness, late panes every 30 s) on Flink embedded, reading a real broker unbounded,
 * under what production does to a stream, all at once on a 4-partition topic of unequal partitions:
 *
 * <ul>
 *   <li>partitions 0 and 1: 200 devices at 1,000 msg/s for 90 s whose readings reach Kafka a
 *       constant 3 minutes behind their event time (an upstream that lags), one of them with a
 *       scripted excursion that must raise and clear, one sending out of order;
 *   <li>partition 2: a device 30 minutes behind everyone for 10 s, then silent (a minute later its
 *       partition is idle: the watermark leaps past its windows' end plus lateness in one step); at
 *       80 s another device back from "offline" uploads 8 minutes of buffered readings at once
 *       (late, within the lateness);
 *   <li>partition 3: never used.
 * </ul>
 *
 * <p>Expected results are computed here from the data alone. The old watermark (a caught-up reader
 * counted as idle and moved to the wall clock) made every lagging reading late: no alert, one late
 * pane per reading.
 */
public class LaggingUpstreamFlinkTest {
  private static final long SECOND = 1000L;
  private static final long MINUTE = 60 * SECOND;
  private static final long WINDOW = 5 * MINUTE;
  private static final long LAG = 3 * MINUTE;
  private static final int DEVICES = 200;
  private static final int RATE = 1000;
  private static final int SECONDS = 90;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** What was produced per aggregate id, to compute the expected statistics. */
  private final Map<String, List<Double>> samples = new TreeMap<>();

  @Test(timeout = 900_000)
  public void laggingIdleEmptyAndBufferedPartitionsGiveCompleteAggregatesAndAlertsOnArrival()
      throws Exception {
    try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
      String bs = kafka.bootstrapServers();
      KafkaTestIo.createJobTopics(kafka, 4);
      Path out = tmp.newFolder("out").toPath();
      Path rules = tmp.newFile("rules.json").toPath();
      Files.writeString(
          rules,
          "{\"thresholds\": [{\"id\": \"hot\", \"metric\": \"temperature\","
              + " \"operator\": \">\", \"value\": 45.0, \"forReadings\": 3, \"severity\": "
              + "\"critical\", \"priority\": 1, \"cooldownMinutes\": 10}]}");
      StreamingPipeline.Options o = FlinkTestOptions.embedded(bs, out, "lag");
      o.setRulesFile(rules.toString()); // everything else: the shipped defaults
      PipelineResult job = StreamingPipeline.run(o);
      List<String> expectedAlerts = new ArrayList<>();
      long start;
      try (KafkaProducer<String, byte[]> producer = producer(bs)) {
        Thread.sleep(10_000); // the job subscribes (the consumer starts at the latest offset)
        start = System.currentTimeMillis();
        long slowBase = start - 30 * MINUTE;
        for (int s = 0; s < SECONDS; s++) {
          long second = start + s * SECOND;
          for (int i = 0; i < RATE; i++) {
            int d = i % DEVICES;
            String dev = "lag-" + d;
            long event = second - LAG + (i / DEVICES) * (SECOND / (RATE / DEVICES));
            double temp = 20 + (d % 10) + (s % 7) * 0.1;
            if (d == 7 && s >= 30 && s < 32) { // 10 readings above 45 C
              temp = 50;
            }
            if (d == 11 && (i / DEVICES) % 2 == 1) {
              event -= 500; // each second's second reading arrives 500 ms out of order
            }
            send(producer, d % 2, dev, event, temp);
          }
          if (s < 10) { // the slow device on partition 2: 30 minutes behind, then silent
            send(producer, 2, "slow", slowBase + s * SECOND, 10 + s);
          }
          if (s == 80) { // partition 2 idle since ~70 s; back from offline: 8 minutes of
            // buffered readings at once, behind the watermark (late, within the lateness)
            long from = second - LAG - 9 * MINUTE;
            for (int k = 0; k < 48; k++) {
              double temp = k >= 20 && k < 23 ? 47 + k * 0.1 : 15 + k * 0.1;
              send(producer, 2, "offline", from + k * 10 * SECOND, temp);
            }
            expectedAlerts.add("offline|hot|" + (from + 22 * 10 * SECOND) + " RAISED");
            expectedAlerts.add("offline|hot|" + (from + 22 * 10 * SECOND) + " CLEARED");
          }
          producer.flush();
          long sleep = start + (s + 1) * SECOND - System.currentTimeMillis();
          if (sleep > 0) {
            Thread.sleep(sleep);
          }
        }
        // the stream goes on: newer readings close the windows of the run
        long now = System.currentTimeMillis();
        send(producer, 0, "tick", now + 4 * MINUTE, 20);
        send(producer, 1, "tick", now + 4 * MINUTE, 20);
        producer.flush();
      }
      // the excursion: readings at s = 30, 31 (5 each per device per second), third one raises
      expectedAlerts.add("lag-7|hot|" + raisedAt(start) + " RAISED");
      expectedAlerts.add("lag-7|hot|" + raisedAt(start) + " CLEARED");

      Map<String, double[]> expected = expectedStats();
      try {
        await(
            "every window's final aggregate",
            () -> missing(expected, bs).isEmpty(),
            300,
            () -> "missing " + missing(expected, bs));
        await(
            "late panes of the buffered upload",
            () -> statsEqual(expected, lastPerId(bs)),
            120,
            () -> "last per id differs from the data");
        await(
            "aggregate files",
            () ->
                fromFiles(out).stream()
                    .map(WindowAggregate::getId)
                    .collect(Collectors.toSet())
                    .containsAll(expected.keySet()),
            120,
            () -> "files incomplete");
      } finally {
        job.cancel();
      }
      List<WindowAggregate> files = fromFiles(out);
      assertTrue("no empty aggregate in the files", files.stream().allMatch(a -> a.getCount() > 0));
      assertEquals(
          "one record per lagging window in the files too",
          files.stream()
              .filter(a -> a.getDeviceId().startsWith("lag-"))
              .map(WindowAggregate::getId)
              .distinct()
              .count(),
          files.stream().filter(a -> a.getDeviceId().startsWith("lag-")).count());
      List<WindowAggregate> all = aggregates(bs);
      Map<String, WindowAggregate> last = lastPerId(bs);
      assertTrue("no empty aggregate", all.stream().allMatch(a -> a.getCount() > 0));
      for (Map.Entry<String, double[]> e : expected.entrySet()) {
        WindowAggregate a = last.get(e.getKey());
        assertEquals(e.getKey(), (long) e.getValue()[0], a.getCount());
        assertEquals(e.getKey(), e.getValue()[1], a.getMean(), 1e-6);
      }
      Map<String, Long> panes =
          all.stream()
              .filter(a -> expected.containsKey(a.getId()))
              .collect(Collectors.groupingBy(WindowAggregate::getId, Collectors.counting()));
      long lagLate =
          all.stream()
              .filter(
                  a -> a.getDeviceId().startsWith("lag-") && a.getPaneTiming() == PaneTiming.LATE)
              .count();
      assertEquals("lagging readings are on time: no late pane", 0, lagLate);
      panes.forEach(
          (id, n) -> {
            if (id.startsWith("offline|")) {
              assertTrue(id + " corrected in a bounded number of late panes: " + n, n <= 3);
            } else {
              assertEquals(id + " has exactly one pane", 1L, (long) n);
            }
          });
      List<String> alerts =
          KafkaTestIo.values(KafkaTestIo.readAll(bs, "alerts", Map.of())).stream()
              .map(j -> ProtoJson.parse(j, Alert.newBuilder()).build())
              .map(a -> a.getId() + " " + a.getState())
              .sorted()
              .collect(Collectors.toList());
      assertEquals(expectedAlerts.stream().sorted().collect(Collectors.toList()), alerts);
    }
  }

  /** lag-7's third reading above 45 C: its readings at s=30 are at second - LAG + k * 200 ms. */
  private static long raisedAt(long start) {
    return start + 30 * SECOND - LAG + 2 * 200L;
  }

  private void send(
      KafkaProducer<String, byte[]> producer, int partition, String dev, long ts, double temp) {
    producer.send(
        new ProducerRecord<>(
            "telemetry",
            partition,
            dev,
            Telemetry.newBuilder()
                .setDeviceId(dev)
                .setTimestampMs(ts)
                .setTemperature(temp)
                .setSchemaVersion(3)
                .build()
                .toByteArray()));
    if (!dev.equals("tick")) {
      long w = Math.floorDiv(ts, WINDOW) * WINDOW;
      samples.computeIfAbsent(dev + "|temperature|" + w, k -> new ArrayList<>()).add(temp);
    }
  }

  /** count and mean per aggregate id. */
  private Map<String, double[]> expectedStats() {
    Map<String, double[]> m = new TreeMap<>();
    samples.forEach(
        (id, v) ->
            m.put(
                id,
                new double[] {
                  v.size(), v.stream().mapToDouble(Double::doubleValue).average().orElseThrow()
                }));
    return m;
  }

  private static boolean statsEqual(
      Map<String, double[]> expected, Map<String, WindowAggregate> got) {
    for (Map.Entry<String, double[]> e : expected.entrySet()) {
      WindowAggregate a = got.get(e.getKey());
      if (a == null || a.getCount() != (long) e.getValue()[0]) {
        return false;
      }
    }
    return true;
  }

  private static List<WindowAggregate> fromFiles(Path out) {
    List<WindowAggregate> l = new ArrayList<>();
    for (Path f : KafkaTestIo.files(out.resolve("aggregates"), ".jsonl.gz")) {
      for (String line : KafkaTestIo.gzipLines(f)) {
        WindowAggregate a = ProtoJson.parse(line, WindowAggregate.newBuilder()).build();
        if (a.getMetric().equals("temperature")) {
          l.add(a);
        }
      }
    }
    return l;
  }

  private static List<WindowAggregate> aggregates(String bs) {
    return KafkaTestIo.values(KafkaTestIo.readAll(bs, "aggregates", Map.of())).stream()
        .map(j -> ProtoJson.parse(j, WindowAggregate.newBuilder()).build())
        .filter(a -> a.getMetric().equals("temperature"))
        .collect(Collectors.toList());
  }

  /** The last record per id in topic order: what a compacted topic or an upsert keeps. */
  private static Map<String, WindowAggregate> lastPerId(String bs) {
    Map<String, WindowAggregate> m = new HashMap<>();
    aggregates(bs).forEach(a -> m.put(a.getId(), a));
    return m;
  }

  private static KafkaProducer<String, byte[]> producer(String bs) {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", bs);
    p.put("acks", "1");
    p.put("linger.ms", "5");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** The expected ids not yet on the aggregates topic (at most 10 of them, and how many). */
  private static String missing(Map<String, double[]> expected, String bs) {
    Map<String, WindowAggregate> got = lastPerId(bs);
    List<String> m =
        expected.keySet().stream().filter(id -> !got.containsKey(id)).collect(Collectors.toList());
    return m.isEmpty() ? "" : m.size() + ": " + m.subList(0, Math.min(10, m.size()));
  }

  private static void await(
      String what, BooleanSupplier done, int seconds, java.util.function.Supplier<String> why)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what + ": " + why.get());
      }
      Thread.sleep(2000);
    }
  }
}
