package org.iotbeam.pipelines.batch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.pipelines.FlinkTestOptions;
import org.iotbeam.pipelines.KafkaTestIo;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.pipelines.azure.blob.BlobClientFactory;
import org.iotbeam.pipelines.azure.blob.LocalAzurite;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.proto.Telemetry;
import org.iotbeam.proto.WindowAggregate;
import org.junit.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reprocessing repairs a limit that was too tight, end to end: telemetry goes through a real KRaft
 * broker into the {@link StreamingPipeline} on Flink (embedded, streaming, unbounded), which writes
 * its raw archive and its files to Blob Storage (Azurite, {@code azfs://}) and rejects the larger
 * payloads with {@code --maxPayloadBytes} set too low. A backfill on Flink (embedded, batch) over
 * the same archive, with the limit corrected, turns exactly those messages into readings: its
 * aggregates are those of the data (computed here from the input, as a run with the right limit
 * from the start would have them), the earlier dead letters are superseded by "recovered" records
 * with the same ids in the dead-letter files and on the dead-letter topic, and the one message that
 * is invalid under any limit stays dead. Run again, the backfill leaves exactly one copy of each of
 * its files.
 */
public class StreamingRecoveryTest {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingRecoveryTest.class);
  private static final long MINUTE = 60_000L;
  private static final long WINDOW = 5 * MINUTE;
  private static final List<String> DEVICES = List.of("rec-a", "rec-b", "rec-c");
  private static final int PARTITIONS = 2;
  private static final int TOO_TIGHT = 100; // bytes; a plain reading is ~35, a noted one ~170
  private static final String CONTAINER = "telemetry";

  @Test(timeout = 900_000)
  public void aBackfillWithTheRightLimitRecoversExactlyWhatTheStreamRejected() throws Exception {
    long now = System.currentTimeMillis();
    long base = Math.floorDiv(now - 50 * MINUTE, WINDOW) * WINDOW;
    int minutes = 30; // the newest reading is 20-25 minutes old
    List<Telemetry> input = input(base, minutes);
    List<ByteString> big =
        input.stream().map(Telemetry::toByteString).filter(b -> b.size() > TOO_TIGHT).toList();
    assertTrue("the input has payloads above the tight limit", big.size() >= 10);
    Telemetry invalid =
        Telemetry.newBuilder()
            .setDeviceId("rec-a")
            .setTimestampMs(base + 7 * MINUTE + 500)
            .setSchemaVersion(3)
            .setTemperature(500)
            .build(); // out of range under any limit: stays dead

    try (LocalAzurite azurite = LocalAzurite.start().createContainers(CONTAINER);
        LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
      String bs = kafka.bootstrapServers();
      KafkaTestIo.createJobTopics(kafka, PARTITIONS);
      List<KafkaTestIo.Out> out = new ArrayList<>();
      for (Telemetry t : input) {
        out.add(new KafkaTestIo.Out(t.getDeviceId(), t.toByteArray(), null));
        if (t.getTimestampMs() == base + 10 * MINUTE) {
          out.add(new KafkaTestIo.Out(invalid.getDeviceId(), invalid.toByteArray(), null));
        }
      }
      // the stream goes on: a reading of now on each partition moves the watermark on
      for (int partition = 0; partition < PARTITIONS; partition++) {
        out.add(
            new KafkaTestIo.Out(
                "clock",
                Telemetry.newBuilder()
                    .setDeviceId("clock")
                    .setTimestampMs(now + partition)
                    .setSchemaVersion(3)
                    .setTemperature(20)
                    .build()
                    .toByteArray(),
                null,
                partition));
      }
      KafkaTestIo.produce(bs, "telemetry", out, Map.of());

      // 1. streaming with the limit too tight
      String iot = "azfs://" + LocalAzurite.ACCOUNT + "/" + CONTAINER + "/iot";
      StreamingPipeline.Options so =
          FlinkTestOptions.embedded(bs, java.nio.file.Path.of("unused"), "recovery");
      so.setOutputBase(iot);
      so.setMaxPayloadBytes(TOO_TIGHT);
      BlobstoreOptions blob = so.as(BlobstoreOptions.class);
      blob.setAzureConnectionString(azurite.connectionString());
      blob.setBlobstoreClientFactoryClass(BlobClientFactory.class);
      Map<String, WindowAggregate> expected = expectedAggregates(input);
      PipelineResult streaming = StreamingPipeline.run(so);
      BlobContainerClient container = azurite.client().getBlobContainerClient(CONTAINER);
      try {
        await(
            "streaming: archive, dead letters and aggregates",
            () ->
                archived(container) >= out.size()
                    && deadLetters(bs).size() == big.size() + 1
                    // the backfill finds the earlier dead letters in the files, written apart from
                    // the topic: cancelling before they are finalized would leave some out
                    && streamedDeadLetterFiles(iot) == big.size() + 1
                    && latestAggregates(bs).keySet().containsAll(expected.keySet()));
      } finally {
        streaming.cancel();
      }
      assertEquals("the archive holds every message once", out.size(), archived(container));
      Map<String, DeadLetter> streamDead = deadLetters(bs);
      Map<String, DeadLetter> tooLarge =
          streamDead.entrySet().stream()
              .filter(e -> e.getValue().getReason().equals("PAYLOAD_TOO_LARGE"))
              .collect(
                  Collectors.toMap(
                      Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
      assertEquals(big.size(), tooLarge.size());
      assertEquals(
          new java.util.HashSet<>(big),
          tooLarge.values().stream()
              .map(d -> d.getInbound().getPayload())
              .collect(Collectors.toSet()));
      // what the tight limit cost: windows short of the rejected readings
      Map<String, WindowAggregate> streamed = latestAggregates(bs);
      long short_ =
          expected.keySet().stream()
              .filter(id -> streamed.get(id).getCount() < expected.get(id).getCount())
              .count();
      assertTrue("windows lost readings to the tight limit: " + short_, short_ >= 5);

      // 2. the backfill with the limit corrected, over the same archive, to the same places
      List<String> args = new ArrayList<>(azurite.pipelineArgs());
      args.addAll(
          List.of(
              "--runner=FlinkRunner",
              "--flinkMaster=[local]",
              "--parallelism=2",
              "--archiveBase=" + iot + "/raw",
              "--outputBase=" + iot,
              "--from=" + java.time.Instant.ofEpochMilli(base),
              "--to=" + java.time.Instant.ofEpochMilli(base + minutes * MINUTE),
              // everything was ingested now, 20-50 minutes after its event time: devices' clocks
              // that trail the broker, beyond the watermark delay and the allowed lateness
              "--extraIngestHours=1",
              "--writeKafka=true",
              "--bootstrapServers=" + bs));
      BackfillPipeline.Options bo =
          PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
              .as(BackfillPipeline.Options.class);
      Summary s = BackfillPipeline.run(bo);
      LOG.info("{}", s);
      assertEquals(big.size(), s.recovered());
      assertEquals(1, s.stillDead());
      assertEquals(input.size(), s.valid());

      // the aggregates are those of all the data
      Map<String, WindowAggregate> backfilled =
          SameResults.finalPanes(
              OutputFiles.read(
                  iot, "aggregates", WindowAggregate::newBuilder, OutputFiles.BACKFILL));
      assertSameStatistics(expected, backfilled);
      // the recovered records supersede exactly the dead letters of the tight limit
      List<DeadLetter> backfillDead =
          OutputFiles.read(iot, "dead-letters", DeadLetter::newBuilder, OutputFiles.BACKFILL);
      assertEquals(
          tooLarge.keySet(),
          backfillDead.stream()
              .filter(d -> d.getStage().equals("recovered"))
              .map(DeadLetter::getId)
              .collect(Collectors.toCollection(java.util.TreeSet::new)));
      assertTrue(
          backfillDead.stream()
              .filter(d -> d.getStage().equals("recovered"))
              .allMatch(
                  d ->
                      d.getReason().equals("RECOVERED")
                          && d.getDetail().contains("was PAYLOAD_TOO_LARGE")));
      assertEquals(
          List.of("VALUE_OUT_OF_RANGE"),
          backfillDead.stream()
              .filter(d -> !d.getStage().equals("recovered"))
              .map(DeadLetter::getReason)
              .toList());
      // on the dead-letter topic the last record per id is the resolution
      Map<String, DeadLetter> latestDead = deadLetters(bs);
      assertTrue(
          tooLarge.keySet().stream()
              .allMatch(id -> latestDead.get(id).getStage().equals("recovered")));
      assertEquals(
          1,
          latestDead.values().stream()
              .filter(d -> d.getReason().equals("VALUE_OUT_OF_RANGE"))
              .count());
      // and the aggregates topic ends with the complete windows
      Map<String, WindowAggregate> onTopic = latestByOffset(bs);
      assertSameStatistics(
          expected,
          Map.copyOf(
              onTopic.entrySet().stream()
                  .filter(e -> expected.containsKey(e.getKey()))
                  .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));

      // 3. again: the same files, each record once
      List<String> files = new ArrayList<>();
      for (String kind : BackfillOutputs.KINDS) {
        files.addAll(OutputFiles.names(iot, kind, OutputFiles.BACKFILL));
      }
      Summary again = BackfillPipeline.run(bo);
      assertEquals(big.size(), again.recovered());
      List<String> filesAgain = new ArrayList<>();
      for (String kind : BackfillOutputs.KINDS) {
        filesAgain.addAll(OutputFiles.names(iot, kind, OutputFiles.BACKFILL));
      }
      assertEquals(files, filesAgain);
      List<WindowAggregate> aggs =
          OutputFiles.read(iot, "aggregates", WindowAggregate::newBuilder, OutputFiles.BACKFILL);
      assertEquals(expected.size(), aggs.size());
      assertEquals(
          backfillDead.size(),
          OutputFiles.<DeadLetter>read(
                  iot, "dead-letters", DeadLetter::newBuilder, OutputFiles.BACKFILL)
              .size());
    }
  }

  /**
   * One reading a minute per device, in event-time order; every fifth carries a note that makes its
   * payload larger than the tight limit.
   */
  private static List<Telemetry> input(long base, int minutes) {
    List<Telemetry> out = new ArrayList<>();
    for (int i = 0; i < minutes; i++) {
      for (int d = 0; d < DEVICES.size(); d++) {
        Telemetry.Builder t =
            Telemetry.newBuilder()
                .setDeviceId(DEVICES.get(d))
                .setTimestampMs(base + i * MINUTE + d * 1000L)
                .setSchemaVersion(3)
                .setTemperature(18 + d + (i % 7) * 0.4)
                .setHumidity(40 + (i % 5) + d);
        if ((i * DEVICES.size() + d) % 5 == 2) {
          t.putMetadata(
              "note",
              "recalibrated on site; the reading carries the technician's "
                  + "report of the visit and the sensor's serial number");
        }
        out.add(t.build());
      }
    }
    return out;
  }

  /** Statistics per aggregate id from the data alone (all readings, whatever their size). */
  private static Map<String, WindowAggregate> expectedAggregates(List<Telemetry> input) {
    Map<String, List<Double>> values = new TreeMap<>();
    for (Telemetry t : input) {
      long w = Math.floorDiv(t.getTimestampMs(), WINDOW) * WINDOW;
      values
          .computeIfAbsent(t.getDeviceId() + "|temperature|" + w, k -> new ArrayList<>())
          .add(t.getTemperature());
      values
          .computeIfAbsent(t.getDeviceId() + "|humidity|" + w, k -> new ArrayList<>())
          .add(t.getHumidity());
    }
    Map<String, WindowAggregate> out = new TreeMap<>();
    values.forEach(
        (id, v) ->
            out.put(
                id,
                WindowAggregate.newBuilder()
                    .setId(id)
                    .setCount(v.size())
                    .setMin(v.stream().mapToDouble(Double::doubleValue).min().orElseThrow())
                    .setMax(v.stream().mapToDouble(Double::doubleValue).max().orElseThrow())
                    .setMean(v.stream().mapToDouble(Double::doubleValue).average().orElseThrow())
                    .build()));
    return out;
  }

  private static void assertSameStatistics(
      Map<String, WindowAggregate> expected, Map<String, WindowAggregate> actual) {
    assertEquals(expected.keySet(), new java.util.TreeSet<>(actual.keySet()));
    for (WindowAggregate x : expected.values()) {
      WindowAggregate y = actual.get(x.getId());
      String what = x.getId() + ": " + y;
      assertEquals(what, x.getCount(), y.getCount());
      assertEquals(what, x.getMin(), y.getMin(), 0);
      assertEquals(what, x.getMax(), y.getMax(), 0);
      assertEquals(what, x.getMean(), y.getMean(), 1e-9);
    }
  }

  /** The last record per id on the dead-letter topic. */
  private static Map<String, DeadLetter> deadLetters(String bs) {
    return lastById(bs, "dead-letters", DeadLetter::newBuilder, DeadLetter::getId, (x, y) -> y);
  }

  /** Streaming's answer per aggregate id: its highest pane. */
  private static Map<String, WindowAggregate> latestAggregates(String bs) {
    return lastById(
        bs,
        "aggregates",
        WindowAggregate::newBuilder,
        WindowAggregate::getId,
        (x, y) -> y.getPaneIndex() >= x.getPaneIndex() ? y : x);
  }

  /** The last record per id on the aggregates topic: what a compacted topic keeps. */
  private static Map<String, WindowAggregate> latestByOffset(String bs) {
    return lastById(
        bs, "aggregates", WindowAggregate::newBuilder, WindowAggregate::getId, (x, y) -> y);
  }

  /** A topic's records by id, in offset order, {@code merge} deciding which one stays. */
  @SuppressWarnings("unchecked")
  private static <T extends com.google.protobuf.Message> Map<String, T> lastById(
      String bs,
      String topic,
      java.util.function.Supplier<? extends com.google.protobuf.Message.Builder> b,
      java.util.function.Function<T, String> id,
      java.util.function.BinaryOperator<T> merge) {
    Map<String, T> out = new TreeMap<>();
    for (String json : KafkaTestIo.values(KafkaTestIo.readAll(bs, topic, Map.of()))) {
      T r = (T) ProtoJson.parse(json, b.get()).build();
      out.merge(id.apply(r), r, merge);
    }
    return out;
  }

  /** Messages in the finished raw archive files. */
  /** Dead letters in streaming's finalized files (none before they can be listed). */
  private static long streamedDeadLetterFiles(String base) {
    try {
      return OutputFiles.read(
              base, "dead-letters", DeadLetter::newBuilder, OutputFiles.BACKFILL.negate())
          .size();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long archived(BlobContainerClient container) {
    long n = 0;
    for (BlobItem b : container.listBlobs(new ListBlobsOptions().setPrefix("iot/raw/"), null)) {
      if (b.getName().contains(".temp") || !b.getName().endsWith(RawArchiveFormat.SUFFIX)) {
        continue;
      }
      byte[] gz = container.getBlobClient(b.getName()).downloadContent().toBytes();
      try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
        var it = RawArchiveFormat.read(in);
        while (it.hasNext()) {
          it.next();
          n++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return n;
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long t0 = System.currentTimeMillis();
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() - t0 > 420_000) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(3000);
    }
    LOG.info("{} after {} ms", what, System.currentTimeMillis() - t0);
  }
}
