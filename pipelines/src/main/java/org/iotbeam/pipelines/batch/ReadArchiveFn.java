package org.iotbeam.pipelines.batch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.Iterator;
import org.apache.avro.AvroRuntimeException;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.transforms.TelemetryMetrics;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one archive file ({@link ArchiveFormat}) and emits the messages a backfill processes, in
 * {@link ArchiveChunk}s, stamped as {@link MessageSelector} places them: those of the range, and
 * those of the warm-up before it (for the alert and de-duplication state; their own outputs are
 * dropped downstream).
 *
 * <p>{@link FileIO.ReadableFile#open()} undoes the compression that {@code readMatches()} chose
 * (AUTO: gzip by the {@code .gz} suffix; Avro files compress inside), so the stream here is the
 * format itself.
 *
 * <p>Logs a progress line ({@link ReadProgress}) at most every {@code logEveryMs}, and one when the
 * last listed file has been read.
 */
class ReadArchiveFn extends DoFn<FileIO.ReadableFile, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(ReadArchiveFn.class);
  static final String FILES_READ = "archive_files_read";
  static final String MESSAGES_READ = "archive_messages_read";
  static final String IN_RANGE = "archive_messages_in_range";
  static final String OUT_OF_RANGE = "archive_messages_outside_range";
  static final String WARMUP = "archive_messages_warmup";
  static final String BYTES_READ = "archive_bytes_read";

  // this JVM's progress, shared by every instance of the DoFn of one run
  private static final Object LOCK = new Object();
  private static String progressRun;
  private static ReadProgress progress;
  private static long lastLogNanos;

  private final ArchiveFormat format;
  private final MessageSelector selector;
  private final String runId;
  private final ReadProgress.Plan plan;
  private final long logEveryNanos;
  private final Counter files = Metrics.counter(TelemetryMetrics.NAMESPACE, FILES_READ);
  private final Counter messages = Metrics.counter(TelemetryMetrics.NAMESPACE, MESSAGES_READ);
  private final Counter inRange = Metrics.counter(TelemetryMetrics.NAMESPACE, IN_RANGE);
  private final Counter outOfRange = Metrics.counter(TelemetryMetrics.NAMESPACE, OUT_OF_RANGE);
  private final Counter warmup = Metrics.counter(TelemetryMetrics.NAMESPACE, WARMUP);
  private final Counter bytes = Metrics.counter(TelemetryMetrics.NAMESPACE, BYTES_READ);

  /**
   * @param runId tells runs in one JVM apart (tests, the benchmark), for the progress figures
   * @param plan what the driver listed: the progress lines' totals
   */
  ReadArchiveFn(
      ArchiveFormat format,
      MessageSelector selector,
      String runId,
      ReadProgress.Plan plan,
      long logEveryMs) {
    this.format = format;
    this.selector = selector;
    this.runId = runId;
    this.plan = plan;
    this.logEveryNanos = logEveryMs * 1_000_000L;
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, OutputReceiver<byte[]> out)
      throws IOException {
    String path = file.getMetadata().resourceId().toString();
    long hour = format.hourOf(path);
    long n = 0;
    long kept = 0;
    long warm = 0;
    ArchiveChunk.Builder chunk = new ArchiveChunk.Builder();
    try (InputStream in = new BufferedInputStream(Channels.newInputStream(file.open()), 1 << 16)) {
      Iterator<ArchiveFormat.Read> it = format.read(in, path);
      while (it.hasNext()) {
        ArchiveFormat.Read read = it.next();
        InboundMessage m = read.message();
        n++;
        MessageSelector.Placement p = selector.place(m, Math.max(hour, 0));
        if (p.kind() == MessageSelector.Kind.IN_RANGE) {
          kept++;
        } else if (p.kind() == MessageSelector.Kind.WARMUP) {
          warm++;
        } else {
          continue;
        }
        if (read.encoded() != null) {
          chunk.add(read.encoded(), p.timestampMs());
        } else {
          chunk.add(m, p.timestampMs());
        }
        if (chunk.isFull()) {
          emit(chunk, out);
        }
      }
      if (!chunk.isEmpty()) {
        emit(chunk, out);
      }
    } catch (RawArchiveFormat.ArchiveReadException
        | UncheckedIOException
        | AvroRuntimeException e) {
      throw new IOException("archive file " + path + " is corrupt after " + n + " records", e);
    }
    files.inc();
    messages.inc(n);
    inRange.inc(kept);
    warmup.inc(warm);
    outOfRange.inc(n - kept - warm);
    bytes.inc(file.getMetadata().sizeBytes());
    logProgress(hour, file.getMetadata().sizeBytes(), n);
  }

  private static void emit(ArchiveChunk.Builder chunk, OutputReceiver<byte[]> out) {
    long at = chunk.earliestMs();
    out.outputWithTimestamp(chunk.take(), new Instant(at));
  }

  private void logProgress(long hour, long fileBytes, long n) {
    String line = null;
    synchronized (LOCK) {
      long now = System.nanoTime();
      if (!runId.equals(progressRun)) {
        progressRun = runId;
        progress = new ReadProgress(plan, now);
        lastLogNanos = now;
      }
      progress.fileRead(hour, fileBytes, n);
      if (progress.done() || now - lastLogNanos >= logEveryNanos) {
        lastLogNanos = now;
        line = progress.line(selector.range().toString(), now);
      }
    }
    if (line != null) {
      LOG.info("{}", line);
    }
  }
}
