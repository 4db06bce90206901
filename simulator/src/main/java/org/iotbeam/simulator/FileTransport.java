package org.iotbeam.simulator;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.proto.SourcePosition;

/**
 * Writes {@link RawArchiveFormat} files: gzip'd, length-delimited {@link InboundMessage}s under
 * {@code dir/dt=YYYY-MM-DD/hour=HH/}, partitioned by event hour, for batch backfills and
 * benchmarks. Each envelope has the original payload, {@code ingest_time_ms} = event time + the
 * message's simulated delivery delay, {@code source = {system: "file", topic: <file path relative
 * to dir>, offset: <record index in the file>}}, the traceparent and key = device id.
 *
 * <p>Fast: one writer thread, a few open files (messages arrive in near event-time order, so hours
 * roll over), a 256 KiB buffer and gzip at level 1 by default. A file is rolled after
 * {@code maxRecordsPerFile}; a partition reopened later gets a new file, never an append.
 */
public final class FileTransport implements Transport {
  private static final int MAX_OPEN = 4;

  private final Path dir;
  private final String filePrefix;
  private final int gzipLevel;
  private final long maxRecordsPerFile;
  private final Map<String, Writer> open = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Integer> fileCounter = new LinkedHashMap<>();
  private final List<Path> written = new ArrayList<>();
  private volatile long delivered;

  public FileTransport(Path dir, String filePrefix, int gzipLevel, long maxRecordsPerFile)
      throws IOException {
    if (gzipLevel < 0 || gzipLevel > 9) {
      throw new IllegalArgumentException("--gzip-level must be 0..9, got " + gzipLevel);
    }
    if (maxRecordsPerFile < 1) {
      throw new IllegalArgumentException("--file-max-records must be >= 1");
    }
    this.dir = dir;
    this.filePrefix = filePrefix;
    this.gzipLevel = gzipLevel;
    this.maxRecordsPerFile = maxRecordsPerFile;
    Files.createDirectories(dir);
  }

  public FileTransport(Path dir) throws IOException {
    this(dir, "sim", Deflater.BEST_SPEED, 1_000_000);
  }

  @Override
  public String name() {
    return "file";
  }

  @Override
  public void send(List<SimulatedMessage> batch) throws IOException {
    for (SimulatedMessage m : batch) {
      String partition = RawArchiveFormat.partitionOf(m.eventTimeMs());
      Writer w = open.get(partition);
      if (w == null || w.records >= maxRecordsPerFile) {
        if (w != null) {
          w.close();
          open.remove(partition);
        }
        w = openWriter(partition);
      }
      InboundMessage env = InboundMessage.newBuilder()
          .setPayload(ByteString.copyFrom(m.payload()))
          .setIngestTimeMs(m.eventTimeMs() + m.ingestDelayMs())
          .setSource(SourcePosition.newBuilder().setSystem("file").setTopic(w.relativePath)
              .setPartition(0).setOffset(w.records))
          .setTraceparent(m.traceparent())
          .setKey(m.deviceId())
          .build();
      w.coded.writeUInt32NoTag(env.getSerializedSize()); // the "delimited" framing
      env.writeTo(w.coded);
      w.records++;
      delivered++;
    }
  }

  private Writer openWriter(String partition) throws IOException {
    while (open.size() >= MAX_OPEN) {
      Iterator<Map.Entry<String, Writer>> eldest = open.entrySet().iterator();
      eldest.next().getValue().close();
      eldest.remove();
    }
    int n = fileCounter.merge(partition, 1, Integer::sum);
    String rel = partition + filePrefix + "-" + String.format("%05d", n) + RawArchiveFormat.SUFFIX;
    Path file = dir.resolve(rel);
    Files.createDirectories(file.getParent());
    Writer w = new Writer(rel, file, gzipLevel);
    open.put(partition, w);
    written.add(file);
    return w;
  }

  @Override
  public void flush() throws IOException {
    for (Writer w : open.values()) {
      w.coded.flush();
    }
  }

  /** Every file this transport created, in creation order. */
  public List<Path> files() {
    return List.copyOf(written);
  }

  @Override
  public long delivered() {
    return delivered;
  }

  @Override
  public long failed() {
    return 0;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Writer w : open.values()) {
      try {
        w.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    open.clear();
    if (first != null) {
      throw first;
    }
  }

  private static final class Writer {
    final String relativePath;
    final OutputStream out;
    final CodedOutputStream coded;
    long records;

    Writer(String relativePath, Path file, int level) throws IOException {
      this.relativePath = relativePath;
      OutputStream fileOut = Files.newOutputStream(file);
      this.out = new GZIPOutputStream(new BufferedOutputStream(fileOut, 256 * 1024), 64 * 1024) {
        {
          def.setLevel(level);
        }
      };
      this.coded = CodedOutputStream.newInstance(out, 64 * 1024);
    }

    void close() throws IOException {
      coded.flush();
      out.close();
    }
  }
}
