package org.iotbeam.pipelines.batch;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.proto.SourcePosition;
import org.iotbeam.proto.Telemetry;

/**
 * A small raw archive for tests: readings of a few devices every minute, one device running hot
 * (temperature 50 C, above the bundled 45 C rule, for several minutes), and a few payloads that do
 * not parse, each ingested half a second after its event time. Files are grouped by ingest hour as
 * the streaming pipeline archives them.
 */
final class ArchiveFixture {
  static final long T0 = java.time.Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
  static final long MINUTE = 60_000L;

  private final List<InboundMessage> messages = new ArrayList<>();
  private long offset;

  /**
   * {@code minutes} readings per device from {@code T0}, device "hot-01" at 50 C from 10:20 to
   * 10:29.
   */
  static ArchiveFixture standard(int minutes) {
    ArchiveFixture f = new ArchiveFixture();
    for (int i = 0; i < minutes; i++) {
      long t = T0 + i * MINUTE;
      for (String d : List.of("dev-a", "dev-b", "hot-01")) {
        double temp = d.equals("hot-01") && i >= 20 && i < 30 ? 50.0 : 20.0 + (i % 7) * 0.5;
        f.add(
            Telemetry.newBuilder()
                .setDeviceId(d)
                .setTimestampMs(t)
                .setSchemaVersion(3)
                .setTemperature(temp)
                .setHumidity(40 + (i % 5))
                .build()
                .toByteArray(),
            t + 500);
      }
      if (i % 30 == 7) {
        f.add(new byte[] {0x0a, (byte) 0xff, 0x01, 0x02}, t + 500); // truncated: dead letter
      }
    }
    return f;
  }

  void add(byte[] payload, long ingestMs) {
    messages.add(
        InboundMessage.newBuilder()
            .setPayload(ByteString.copyFrom(payload))
            .setIngestTimeMs(ingestMs)
            .setSource(
                SourcePosition.newBuilder()
                    .setSystem("test")
                    .setTopic("telemetry")
                    .setPartition(0)
                    .setOffset(offset++))
            .setKey("k")
            .build());
    // remember the partition: the archive files messages by ingest hour
    partitionOf.put(messages.size() - 1, RawArchiveFormat.partitionOf(ingestMs));
  }

  /** A reading of {@code device} at {@code eventTimeMs} that arrives at {@code ingestMs}. */
  ArchiveFixture reading(String device, long eventTimeMs, long ingestMs, double temperature) {
    add(
        Telemetry.newBuilder()
            .setDeviceId(device)
            .setTimestampMs(eventTimeMs)
            .setSchemaVersion(3)
            .setTemperature(temperature)
            .setHumidity(40)
            .build()
            .toByteArray(),
        ingestMs);
    return this;
  }

  private final Map<Integer, String> partitionOf = new TreeMap<>();

  List<InboundMessage> messages() {
    return List.copyOf(messages);
  }

  /** The archive as relative path -> gzip'd file bytes, one file per hour. */
  Map<String, byte[]> files() {
    Map<String, ByteArrayOutputStream> raw = new TreeMap<>();
    Map<String, OutputStream> gz = new TreeMap<>();
    try {
      for (int i = 0; i < messages.size(); i++) {
        String rel = partitionOf.get(i) + "part-00000" + RawArchiveFormat.SUFFIX;
        OutputStream out = gz.get(rel);
        if (out == null) {
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          raw.put(rel, b);
          out = new GZIPOutputStream(b);
          gz.put(rel, out);
        }
        RawArchiveFormat.write(messages.get(i), out);
      }
      for (OutputStream o : gz.values()) {
        o.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, byte[]> out = new TreeMap<>();
    raw.forEach((k, v) -> out.put(k, v.toByteArray()));
    return out;
  }

  void writeTo(Path base) throws IOException {
    for (Map.Entry<String, byte[]> e : files().entrySet()) {
      Path p = base.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
  }
}
