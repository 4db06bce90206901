package org.iotbeam.simulator;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.proto.SourcePosition;

/**
 * Writes {@link RawArchiveFormat} files: gzip'd, length-delimited {@link InboundMessage}s under
 * {@code dir/dt=YYYY-MM-DD/hour=HH/}, partitioned by ingest hour as the streaming pipeline's raw
 * archive is, for batch backfills and benchmarks. Each envelope has the original payload, {@code
 * ingest_time_ms} = event time + the message's simulated delivery delay, {@code source = {system:
 * "file", topic: <file path relative to dir>, offset: <record index in the file>}}, the traceparent
 * and key = device id.
 *
 * <p>Fast: the caller's thread frames envelopes into 256 KiB chunks; one background thread
 * compresses and writes them (gzip level 1 by default), so generation and compression overlap. A
 * few files are open at once (messages come in near event-time order, so hours roll over); a file
 * is rolled after {@code maxRecordsPerFile}, and a partition reopened later gets a new file, never
 * an append. {@link #flush()} waits until everything handed over is written.
 */
public final class FileTransport implements Transport {
  private static final int MAX_OPEN = 4;
  private static final int CHUNK = 256 * 1024;

  private final Path dir;
  private final String filePrefix;
  private final int gzipLevel;
  private final long maxRecordsPerFile;
  private final Map<String, Writer> open = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Integer> fileCounter = new LinkedHashMap<>();
  private final List<Path> written = new ArrayList<>();
  private final ExecutorService io =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "file-transport-writer");
            t.setDaemon(true);
            return t;
          });
  private final Semaphore chunksInFlight = new Semaphore(8);
  private volatile long delivered;
  private volatile IOException ioError;
  private long cachedHour = Long.MIN_VALUE;
  private String cachedPartition;

  public FileTransport(Path dir, String filePrefix, int gzipLevel, long maxRecordsPerFile)
      throws IOException {
    if (gzipLevel < 0 || gzipLevel > 9) {
      throw new IllegalArgumentException("--gzipLevel must be 0..9, got " + gzipLevel);
    }
    if (maxRecordsPerFile < 1) {
      throw new IllegalArgumentException("--fileMaxRecords must be >= 1");
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
    checkError();
    for (SimulatedMessage m : batch) {
      long ingestTimeMs = m.eventTimeMs() + m.ingestDelayMs();
      String partition = partitionOf(ingestTimeMs);
      Writer w = open.get(partition);
      if (w == null || w.records >= maxRecordsPerFile) {
        if (w != null) {
          closeWriter(w);
          open.remove(partition);
        }
        w = openWriter(partition);
      }
      InboundMessage env =
          InboundMessage.newBuilder()
              .setPayload(ByteString.copyFrom(m.payload()))
              .setIngestTimeMs(ingestTimeMs)
              .setSource(
                  SourcePosition.newBuilder()
                      .setSystem("file")
                      .setTopic(w.relativePath)
                      .setPartition(0)
                      .setOffset(w.records))
              .setTraceparent(m.traceparent())
              .setKey(m.deviceId())
              .build();
      int size = env.getSerializedSize();
      int framed = CodedOutputStream.computeUInt32SizeNoTag(size) + size;
      if (w.coded.spaceLeft() < framed) {
        ship(w, Math.max(CHUNK, framed));
      }
      w.coded.writeUInt32NoTag(size); // the protobuf "delimited" framing
      env.writeTo(w.coded);
      w.chunkRecords++;
      w.records++;
    }
  }

  /** {@link RawArchiveFormat#partitionOf}, formatted once per ingest hour, not per message. */
  private String partitionOf(long ingestTimeMs) {
    long hour = Math.floorDiv(ingestTimeMs, 3_600_000L);
    if (hour != cachedHour) {
      cachedPartition = RawArchiveFormat.partitionOf(hour * 3_600_000L);
      cachedHour = hour;
    }
    return cachedPartition;
  }

  private Writer openWriter(String partition) throws IOException {
    while (open.size() >= MAX_OPEN) {
      Iterator<Map.Entry<String, Writer>> eldest = open.entrySet().iterator();
      closeWriter(eldest.next().getValue());
      eldest.remove();
    }
    int n = fileCounter.merge(partition, 1, Integer::sum);
    String rel = partition + filePrefix + "-" + String.format("%05d", n) + RawArchiveFormat.SUFFIX;
    Path file = dir.resolve(rel);
    Files.createDirectories(file.getParent());
    Writer w = new Writer(rel, file);
    open.put(partition, w);
    written.add(file);
    return w;
  }

  /** Hands the writer's framed chunk to the I/O thread and starts a new one. */
  private void ship(Writer w, int nextCapacity) throws IOException {
    byte[] data = w.chunk;
    int len = w.coded.getTotalBytesWritten();
    int records = w.chunkRecords;
    w.newChunk(nextCapacity);
    if (len == 0) {
      return;
    }
    acquireSlot();
    io.execute(
        () -> {
          try {
            if (ioError == null) {
              w.out().write(data, 0, len);
              delivered += records;
            }
          } catch (IOException e) {
            ioError = e;
          } finally {
            chunksInFlight.release();
          }
        });
  }

  private void closeWriter(Writer w) throws IOException {
    ship(w, 0);
    io.execute(
        () -> {
          try {
            w.closeOut();
          } catch (IOException e) {
            if (ioError == null) {
              ioError = e;
            }
          }
        });
  }

  private void acquireSlot() throws IOException {
    try {
      chunksInFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for the file writer");
    }
  }

  private void checkError() throws IOException {
    IOException e = ioError;
    if (e != null) {
      throw new IOException("writing the archive failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void flush() throws IOException {
    for (Writer w : open.values()) {
      ship(w, CHUNK);
    }
    try {
      io.submit(() -> {}).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted flushing the archive");
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    }
    checkError();
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
    try {
      for (Writer w : open.values()) {
        closeWriter(w);
      }
      open.clear();
    } finally {
      io.shutdown();
      try {
        if (!io.awaitTermination(10, TimeUnit.MINUTES)) {
          throw new IOException("the file writer did not finish within 10 minutes");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted closing the archive");
      }
    }
    checkError();
  }

  /** One archive file: framing state on the caller's thread, the stream on the I/O thread. */
  private final class Writer {
    final String relativePath;
    final Path file;
    byte[] chunk;
    CodedOutputStream coded;
    int chunkRecords;
    long records;
    private OutputStream out;

    Writer(String relativePath, Path file) {
      this.relativePath = relativePath;
      this.file = file;
      newChunk(CHUNK);
    }

    void newChunk(int capacity) {
      chunk = new byte[capacity];
      coded = CodedOutputStream.newInstance(chunk);
      chunkRecords = 0;
    }

    /** The gzip stream, opened on first use (on the I/O thread). */
    OutputStream out() throws IOException {
      if (out == null) {
        out =
            new GZIPOutputStream(
                new BufferedOutputStream(Files.newOutputStream(file), 256 * 1024), 64 * 1024) {
              {
                def.setLevel(gzipLevel);
              }
            };
      }
      return out;
    }

    void closeOut() throws IOException {
      out().close();
    }
  }
}
