package org.iotbeam.pipelines.batch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.pipelines.FlinkTestOptions;
import org.iotbeam.pipelines.KafkaTestIo;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.proto.Telemetry;
import org.iotbeam.proto.WindowAggregate;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streaming and batch give the same results for the same input, record for record: telemetry goes
 * through a real KRaft broker into the {@link StreamingPipeline} on Flink (embedded, streaming),
 * which writes its raw archive; then the {@link BackfillPipeline} on Flink (embedded, batch) reads
 * that archive back, and the final aggregate per id and the alert events (raise and clear, by id)
 * of the two runs must be equal.
 *
 * <p>The input is free of droppably-late data, so the comparison is meaningful: every device sends
 * in event-time order, all devices are produced in global event-time order, and the newest reading
 * is minutes old, so the streaming watermark (newest event time minus {@code
 * --maxOutOfOrderSeconds}) never passes a reading before it arrives; a reading of "now" on each
 * partition after it moves the watermark past the input's windows. One device's readings arrive out
 * of order: alerts are evaluated in arrival order by both. Late data beyond the allowed lateness is
 * what streaming drops by design and a backfill would count; it has no place here. The archive
 * holds every message as it arrived (the input and the ticks), filed by ingest time.
 *
 * <p>What is not compared: pane bookkeeping (streaming's on-time pane is not the last pane while
 * the window may still get late data; in batch it is), and the last bits of mean and standard
 * deviation, which depend on the order the runner merges partial statistics (see {@link
 * SameResults}).
 */
public class StreamingBackfillParityTest {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingBackfillParityTest.class);
  private static final long MINUTE = 60_000L;
  private static final long WINDOW = 5 * MINUTE;
  private static final List<String> DEVICES =
      List.of("par-a", "par-b", "par-c", "par-d", "par-hot", "par-trend", "par-ooo");
  private static final int PARTITIONS = 2;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 600_000)
  public void streamingAndBackfillAgreeRecordForRecord() throws Exception {
    long now = System.currentTimeMillis();
    long base = Math.floorDiv(now - 70 * MINUTE, WINDOW) * WINDOW;
    int minutes = 45; // the newest reading is 25-30 minutes old
    List<Telemetry> input = input(base, minutes);
    Path out = tmp.newFolder("streaming").toPath();
    Path archive = out.resolve("raw");

    try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
      String bs = kafka.bootstrapServers();
      KafkaTestIo.createJobTopics(kafka, PARTITIONS);
      produce(bs, input, now);
      PipelineResult streaming = StreamingPipeline.run(streamingOptions(bs, out));
      try {
        int expectedAggregates = DEVICES.size() * 2 * (minutes / 5);
        await(
            "streaming raw archive and aggregates",
            () ->
                archivedCount(archive) >= input.size() + PARTITIONS
                    && SameResults.finalPanes(read(out.toString(), "aggregates", true)).size()
                        >= expectedAggregates);
        // alerts are evaluated as the same watermark passes; let their files settle
        int[] last = {-1};
        await(
            "streaming alert files stable",
            () -> {
              int n = read(out.toString(), "alerts", false).size();
              boolean stable = n >= 4 && n == last[0];
              last[0] = n;
              return stable;
            });
      } finally {
        streaming.cancel();
      }
    }
    assertEquals(
        "the archive holds every reading (and the ticks) once",
        input.size() + PARTITIONS,
        archivedCount(archive));

    Path batchOut = tmp.newFolder("backfill").toPath();
    BackfillPipeline.Options o =
        PipelineOptionsFactory.fromArgs(
                "--runner=FlinkRunner",
                "--flinkMaster=[local]",
                "--parallelism=2",
                "--archiveBase=" + archive,
                "--outputBase=" + batchOut,
                "--from=" + java.time.Instant.ofEpochMilli(base),
                "--to=" + java.time.Instant.ofEpochMilli(base + minutes * MINUTE),
                // all of it was ingested now, 25-70 minutes after its event times: the devices'
                // clocks
                // trail the broker by that much, beyond the watermark delay and the allowed
                // lateness
                "--extraIngestHours=2",
                "--fileShards=1")
            .as(BackfillPipeline.Options.class);
    Summary s = BackfillPipeline.run(o);
    LOG.info("{}", s);
    assertEquals(input.size(), s.messagesInRange());

    Map<String, WindowAggregate> streamAggs =
        SameResults.finalPanes(read(out.toString(), "aggregates", true));
    Map<String, WindowAggregate> batchAggs =
        SameResults.finalPanes(read(batchOut.toString(), "aggregates", true));
    assertEquals(DEVICES.size() * 2 * (minutes / 5), batchAggs.size());
    SameResults.assertSameAggregates(streamAggs, batchAggs);

    List<Alert> streamAlerts = read(out.toString(), "alerts", false);
    List<Alert> batchAlerts = read(batchOut.toString(), "alerts", false);
    assertTrue("the input raises alerts", streamAlerts.size() >= 4);
    assertTrue(
        "the out-of-order device raises hot",
        streamAlerts.stream()
            .anyMatch(
                a -> a.getDeviceId().equals("par-ooo") && a.getRuleId().contains("critical")));
    LOG.info(
        "alerts: streaming {}, backfill {}; aggregates {}",
        streamAlerts.size(),
        batchAlerts.size(),
        batchAggs.size());
    SameResults.assertSameAlerts(streamAlerts, batchAlerts);
    assertEquals(new TreeSet<>(streamAggs.keySet()), new TreeSet<>(batchAggs.keySet()));
  }

  /**
   * One reading a minute per device, in event-time order. par-hot runs above 45 C for four readings
   * (threshold raise and clear); par-trend climbs 3 C a minute for a while (trend).
   */
  private static List<Telemetry> input(long base, int minutes) {
    List<Telemetry> out = new ArrayList<>();
    for (int i = 0; i < minutes; i++) {
      for (int d = 0; d < DEVICES.size(); d++) {
        String dev = DEVICES.get(d);
        double temp = 18 + d + (i % 7) * 0.4;
        if (dev.equals("par-hot") && i >= 12 && i < 16) {
          temp = 47 + i * 0.1;
        }
        if (dev.equals("par-trend") && i >= 20 && i < 30) {
          temp = 20 + (i - 20) * 3.0;
        }
        if (dev.equals("par-ooo")) {
          // two readings a minute that arrive in reverse order (20 s apart, within the
          // watermark delay): alerts are evaluated in arrival order in both pipelines, so the
          // streak that raises "hot" completes at the same reading
          double hot = i >= 30 && i < 33 ? 50 + i * 0.1 : temp;
          long t = base + i * MINUTE + d * 1000L;
          out.add(reading(dev, t + 25_000L, hot, 40 + (i % 5) + d));
          out.add(reading(dev, t + 5_000L, hot + 0.05, 41 + (i % 5) + d));
          continue;
        }
        out.add(
            Telemetry.newBuilder()
                .setDeviceId(dev)
                .setTimestampMs(base + i * MINUTE + d * 1000L)
                .setSchemaVersion(3)
                .setTemperature(temp)
                .setHumidity(40 + (i % 5) + d)
                .build());
      }
    }
    return out;
  }

  private static Telemetry reading(String dev, long ts, double temp, double humidity) {
    return Telemetry.newBuilder()
        .setDeviceId(dev)
        .setTimestampMs(ts)
        .setSchemaVersion(3)
        .setTemperature(temp)
        .setHumidity(humidity)
        .build();
  }

  /**
   * The input in order, then a reading of "now" on every partition: the stream goes on, and newer
   * data is what moves the watermark past the input's windows (it is outside the range the backfill
   * reprocesses).
   */
  private static void produce(String bootstrap, List<Telemetry> input, long now) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (Telemetry t : input) {
        producer.send(new ProducerRecord<>("telemetry", t.getDeviceId(), t.toByteArray()));
      }
      for (int partition = 0; partition < PARTITIONS; partition++) {
        producer.send(
            new ProducerRecord<>(
                "telemetry",
                partition,
                "clock",
                reading("clock", now + partition, 20, 40).toByteArray()));
      }
      producer.flush();
    }
  }

  private static StreamingPipeline.Options streamingOptions(String bootstrap, Path out) {
    StreamingPipeline.Options o = FlinkTestOptions.embedded(bootstrap, out, "parity");
    o.setMaxOutOfOrderSeconds(60);
    return o;
  }

  private static <T extends com.google.protobuf.Message> List<T> read(
      String base, String kind, boolean aggregates) {
    try {
      return aggregates
          ? OutputFiles.read(base, kind, WindowAggregate::newBuilder)
          : OutputFiles.read(base, kind, Alert::newBuilder);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long archivedCount(Path archive) {
    if (!Files.isDirectory(archive)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(archive)) {
      long n = 0;
      for (Path f :
          files
              .filter(
                  f ->
                      f.toString().endsWith(RawArchiveFormat.SUFFIX)
                          && !archive.relativize(f).toString().contains(".temp"))
              .toList()) {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(f))) {
          var it = RawArchiveFormat.read(in);
          while (it.hasNext()) {
            it.next();
            n++;
          }
        }
      }
      return n;
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long t0 = System.currentTimeMillis();
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() - t0 > 300_000) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(3000);
    }
    LOG.info("{} after {} ms", what, System.currentTimeMillis() - t0);
  }
}
