package org.iotbeam.pipelines.batch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.TimestampedValue;
import org.iotbeam.pipelines.azure.blob.LocalAzurite;
import org.iotbeam.pipelines.sinks.FileWindowing;
import org.iotbeam.pipelines.sinks.RawArchiveSink;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.proto.SourcePosition;
import org.iotbeam.proto.Telemetry;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.Coders;
import org.joda.time.Duration;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Both archive layouts on Blob Storage (Azurite, through Beam's {@code azfs://}): the raw archive
 * as the streaming pipeline's sink writes it, and Event Hubs Capture files as Azure writes them,
 * read back by a backfill.
 */
public class ArchivesOnAzuriteTest {
  private static final String ACCOUNT = LocalAzurite.ACCOUNT;
  private static final long T0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
  private static final long MIN = 60_000L;
  private static LocalAzurite azurite;

  @BeforeClass
  public static void startAzurite() throws Exception {
    azurite = LocalAzurite.start().createContainers("archive", "capture", "processed");
  }

  @AfterClass
  public static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  /**
   * Every message, valid or not, lands once under the hour of its ingest time, whatever its event
   * time (the source stamps messages with their event time; the sink files them by ingest time).
   */
  @Test
  public void theRawArchiveHoldsEveryMessageUnderItsIngestHour() throws Exception {
    List<TimestampedValue<InboundMessage>> in =
        List.of(
            // a reading of 09:50 that arrived at 10:20 (a gateway's buffer)
            stamped(message(reading("dev-a", T0 - 10 * MIN), T0 + 20 * MIN, 1), T0 - 10 * MIN),
            // a device clock 2 minutes ahead: event 11:01, ingested 10:59
            stamped(message(reading("dev-b", T0 + 61 * MIN), T0 + 59 * MIN, 2), T0 + 61 * MIN),
            // bytes that do not parse, and an empty payload: stamped with the broker's time
            stamped(message(new byte[] {0x0a, (byte) 0xff}, T0 + 65 * MIN, 3), T0 + 65 * MIN),
            stamped(message(new byte[0], T0 + 5 * MIN, 4), T0 + 5 * MIN));
    PipelineOptions o = PipelineOptionsFactory.fromArgs(args("--runner=DirectRunner")).create();
    Pipeline p = Pipeline.create(o);
    p.apply(Create.timestamped(in).withCoder(Coders.INBOUND))
        .apply(
            new RawArchiveSink(
                "azfs://" + ACCOUNT + "/archive/raw/",
                FileWindowing.of(
                    Duration.standardMinutes(5),
                    Duration.standardHours(169),
                    Duration.standardSeconds(60)),
                1));
    p.run().waitUntilFinish();

    BlobContainerClient archive = azurite.client().getBlobContainerClient("archive");
    Map<String, List<Long>> offsetsByHour = new TreeMap<>();
    for (BlobItem b : archive.listBlobs()) {
      assertTrue(b.getName(), b.getName().endsWith(RawArchiveFormat.SUFFIX));
      byte[] gz = archive.getBlobClient(b.getName()).downloadContent().toBytes();
      try (var stream = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
        RawArchiveFormat.read(stream)
            .forEachRemaining(
                m -> {
                  assertTrue(
                      b.getName() + " holds a message ingested at " + m.getIngestTimeMs(),
                      b.getName()
                          .startsWith("raw/" + RawArchiveFormat.partitionOf(m.getIngestTimeMs())));
                  offsetsByHour
                      .computeIfAbsent(b.getName().substring(0, 27), k -> new ArrayList<>())
                      .add(m.getSource().getOffset());
                });
      }
    }
    assertEquals(2, offsetsByHour.size());
    assertThat(offsetsByHour.get("raw/dt=2026-11-20/hour=10/r"), containsInAnyOrder(1L, 2L, 4L));
    assertThat(offsetsByHour.get("raw/dt=2026-11-20/hour=11/r"), containsInAnyOrder(3L));
  }

  /**
   * Event Hubs Capture files (Avro, Capture's schema and path layout, written here with the Avro
   * library) are a source: the backfill maps each event to the message streaming would have read
   * from the Kafka endpoint, and processes the range.
   */
  @Test
  public void theBackfillReadsEventHubsCaptureFiles() throws Exception {
    BlobContainerClient capture = azurite.client().getBlobContainerClient("capture");
    // 15-minute capture windows starting at 09:58: the first file (hour 09) holds events of 10:xx
    Map<String, List<GenericRecord>> files = new TreeMap<>();
    Map<Integer, Long> sequence = new HashMap<>();
    List<String> devices = List.of("dev-a", "dev-b", "hot-01");
    for (int i = 0; i < 60; i++) {
      for (int d = 0; d < devices.size(); d++) {
        String dev = devices.get(d);
        long t = T0 + i * MIN + d * 1000L;
        double temp = dev.equals("hot-01") && i >= 20 && i < 30 ? 50.0 : 20.0 + (i % 7) * 0.5;
        byte[] body =
            Telemetry.newBuilder()
                .setDeviceId(dev)
                .setTimestampMs(t)
                .setSchemaVersion(3)
                .setTemperature(temp)
                .setHumidity(40)
                .build()
                .toByteArray();
        event(files, sequence, d == 1 ? 1 : 0, t + 2000, body, dev);
      }
    }
    event(files, sequence, 1, T0 + 20 * MIN + 500, new byte[] {0x0a, (byte) 0xff, 1}, "dev-b");
    event(files, sequence, 0, T0 + 30 * MIN + 500, null, "dev-a");
    for (Map.Entry<String, List<GenericRecord>> f : files.entrySet()) {
      capture
          .getBlobClient("iotbeam-ns/telemetry/" + f.getKey())
          .upload(BinaryData.fromBytes(avro(f.getValue())));
    }
    assertTrue(files.containsKey("0/2026/11/20/09/58/00.avro"));

    String out = "azfs://" + ACCOUNT + "/processed/capture-backfill";
    BackfillPipeline.Options o =
        PipelineOptionsFactory.fromArgs(
                args(
                    "--runner=DirectRunner",
                    "--archiveFormat=CAPTURE",
                    "--archiveBase=azfs://" + ACCOUNT + "/capture/iotbeam-ns/telemetry",
                    "--from=2026-11-20T10:00:00Z",
                    "--to=2026-11-20T11:00:00Z",
                    "--outputBase=" + out))
            .as(BackfillPipeline.Options.class);
    Summary s = BackfillPipeline.run(o);
    assertEquals(files.size(), s.files());
    assertEquals(182, s.messagesRead());
    assertEquals(180, s.valid());
    List<WindowAggregate> aggs = OutputFiles.read(out, "aggregates", WindowAggregate::newBuilder);
    assertEquals(3 * 2 * 12, aggs.size());
    assertTrue(aggs.stream().allMatch(a -> a.getCount() == 5));
    List<DeadLetter> dead = OutputFiles.read(out, "dead-letters", DeadLetter::newBuilder);
    Map<String, String> reasons = new TreeMap<>();
    dead.forEach(d -> reasons.put(d.getId(), d.getReason()));
    // the ids streaming gives the same events read from the Kafka endpoint
    assertEquals(
        Map.of(
            "kafka:telemetry:1:60", "MALFORMED_PROTOBUF", "kafka:telemetry:0:120", "EMPTY_PAYLOAD"),
        reasons);
    InboundMessage broken =
        dead.stream()
            .filter(d -> d.getInbound().getSource().getPartition() == 1)
            .findFirst()
            .orElseThrow()
            .getInbound();
    assertEquals(T0 + 20 * MIN, broken.getIngestTimeMs()); // Capture's time has whole seconds
    assertEquals("dev-b", broken.getKey());
    assertEquals(
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", broken.getTraceparent());
  }

  private static final DateTimeFormatter PATH =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/mm/ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DOTNET =
      DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

  /** Appends an event to the Capture file of its partition and 15-minute window (from 09:58). */
  private static void event(
      Map<String, List<GenericRecord>> files,
      Map<Integer, Long> sequence,
      int partition,
      long enqueuedMs,
      byte[] body,
      String key) {
    long windowStart =
        T0 - 2 * MIN + Math.floorDiv(enqueuedMs - (T0 - 2 * MIN), 15 * MIN) * 15 * MIN;
    GenericRecord r = new GenericData.Record(CaptureFiles.SCHEMA);
    long seq = sequence.merge(partition, 1L, Long::sum) - 1;
    r.put("SequenceNumber", seq);
    r.put("Offset", Long.toString(seq * 512));
    r.put("EnqueuedTimeUtc", DOTNET.format(Instant.ofEpochMilli(enqueuedMs)));
    Map<String, Object> system = new HashMap<>();
    system.put(CaptureFiles.PARTITION_KEY, key);
    system.put("x-opt-sequence-number", seq);
    r.put("SystemProperties", system);
    Map<String, Object> props = new HashMap<>();
    props.put(
        CaptureFiles.TRACEPARENT,
        ByteBuffer.wrap(
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
                .getBytes(StandardCharsets.UTF_8)));
    r.put("Properties", props);
    r.put("Body", body == null ? null : ByteBuffer.wrap(body));
    files
        .computeIfAbsent(
            partition + "/" + PATH.format(Instant.ofEpochMilli(windowStart)) + CaptureFiles.SUFFIX,
            k -> new ArrayList<>())
        .add(r);
  }

  private static byte[] avro(List<GenericRecord> records) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataFileWriter<GenericRecord> w =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(CaptureFiles.SCHEMA))) {
      w.setCodec(CodecFactory.deflateCodec(6));
      w.create(CaptureFiles.SCHEMA, out);
      for (GenericRecord r : records) {
        w.append(r);
      }
    }
    return out.toByteArray();
  }

  private static String[] args(String... extra) {
    List<String> all = new ArrayList<>(azurite.pipelineArgs());
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }

  private static byte[] reading(String device, long eventMs) {
    return Telemetry.newBuilder()
        .setDeviceId(device)
        .setTimestampMs(eventMs)
        .setSchemaVersion(3)
        .setTemperature(21)
        .build()
        .toByteArray();
  }

  private static InboundMessage message(byte[] payload, long ingestMs, long offset) {
    return InboundMessage.newBuilder()
        .setPayload(ByteString.copyFrom(payload))
        .setIngestTimeMs(ingestMs)
        .setSource(
            SourcePosition.newBuilder().setSystem("kafka").setTopic("telemetry").setOffset(offset))
        .build();
  }

  private static TimestampedValue<InboundMessage> stamped(InboundMessage m, long ts) {
    return TimestampedValue.of(m, new org.joda.time.Instant(ts));
  }
}
