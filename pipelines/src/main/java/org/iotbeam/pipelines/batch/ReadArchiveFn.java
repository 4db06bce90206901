package org.iotbeam.pipelines.batch;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.iotbeam.domain.validation.ValidationLimits;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.transforms.TelemetryMetrics;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one raw archive file ({@link RawArchiveFormat}) and emits the messages that belong to
 * the backfill range, stamped with their event time.
 *
 * <p>{@link FileIO.ReadableFile#open()} undoes the compression that {@code readMatches()} chose
 * (AUTO: gzip by the {@code .gz} suffix), so the stream here is the delimited protobuf itself.
 *
 * <p>Which range a message belongs to: a message whose device timestamp is plausible (after
 * 2000, and within the validator's skew and age limits of its ingest time) belongs to the range
 * holding that timestamp, exactly as streaming windows it. Anything else (bytes that no longer
 * parse, a missing or absurd timestamp) is headed for the dead letters, and belongs to the range
 * that its archive partition overlaps; it keeps its ingest time as element timestamp. So every
 * archived message is read by the backfill of its range, and the composite decides, as streaming
 * did, whether it is a reading or a dead letter.
 *
 * <p>Warm-up: readings of the {@code warmupMs} before the range are emitted too, so the alert
 * state (consecutive readings, anomaly baselines, trends, cooldowns) and the de-duplication
 * memory at the start of the range are what streaming had; their own outputs are dropped
 * downstream ({@link BackfillPipeline}).
 */
class ReadArchiveFn extends DoFn<FileIO.ReadableFile, InboundMessage> {
  private static final Logger LOG = LoggerFactory.getLogger(ReadArchiveFn.class);
  static final String FILES_READ = "archive_files_read";
  static final String MESSAGES_READ = "archive_messages_read";
  static final String IN_RANGE = "archive_messages_in_range";
  static final String OUT_OF_RANGE = "archive_messages_outside_range";
  static final String WARMUP = "archive_messages_warmup";
  static final String BYTES_READ = "archive_bytes_read";
  private static final long EPOCH_FLOOR_MS = 946_684_800_000L; // 2000-01-01, as the validator
  private static final int TIMESTAMP_TAG = (2 << 3) | WireFormat.WIRETYPE_VARINT;

  // this JVM's progress across all instances of the DoFn, for the periodic log line
  private static final AtomicLong JVM_FILES = new AtomicLong();
  private static final AtomicLong JVM_MESSAGES = new AtomicLong();
  private static final AtomicLong LAST_LOG_MS = new AtomicLong();

  private final ArchiveRange range;
  private final long warmupFromMs;
  private final long maxFutureSkewMs;
  private final long maxAgeMs;
  private final long logEveryMs;
  private final Counter files = Metrics.counter(TelemetryMetrics.NAMESPACE, FILES_READ);
  private final Counter messages = Metrics.counter(TelemetryMetrics.NAMESPACE, MESSAGES_READ);
  private final Counter inRange = Metrics.counter(TelemetryMetrics.NAMESPACE, IN_RANGE);
  private final Counter outOfRange = Metrics.counter(TelemetryMetrics.NAMESPACE, OUT_OF_RANGE);
  private final Counter warmup = Metrics.counter(TelemetryMetrics.NAMESPACE, WARMUP);
  private final Counter bytes = Metrics.counter(TelemetryMetrics.NAMESPACE, BYTES_READ);

  ReadArchiveFn(ArchiveRange range, long warmupMs, ValidationLimits limits, long logEveryMs) {
    this.range = range;
    this.warmupFromMs = range.fromMs() - warmupMs;
    this.maxFutureSkewMs = limits.maxFutureSkew().toMillis();
    this.maxAgeMs = limits.maxAge().toMillis();
    this.logEveryMs = logEveryMs;
  }

  /** Resets this JVM's progress figures (a new run in the same JVM). */
  static void resetProgress() {
    JVM_FILES.set(0);
    JVM_MESSAGES.set(0);
    LAST_LOG_MS.set(System.currentTimeMillis());
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, OutputReceiver<InboundMessage> out)
      throws IOException {
    String path = file.getMetadata().resourceId().toString();
    long partitionStart = ArchiveRange.partitionStartOf(path);
    boolean partitionInRange = partitionStart >= 0
        && partitionStart < range.toMs() && partitionStart + 3_600_000L > range.fromMs();
    long n = 0;
    long kept = 0;
    long warm = 0;
    try (InputStream in = new BufferedInputStream(Channels.newInputStream(file.open()), 1 << 16)) {
      Iterator<InboundMessage> it = RawArchiveFormat.read(in);
      while (it.hasNext()) {
        InboundMessage m = it.next();
        n++;
        long ts = plausibleEventTime(m);
        if (ts >= 0) {
          if (range.contains(ts)) {
            kept++;
            out.outputWithTimestamp(m, new Instant(ts));
          } else if (ts >= warmupFromMs && ts < range.fromMs()) {
            warm++;
            out.outputWithTimestamp(m, new Instant(ts));
          }
        } else if (partitionInRange) {
          kept++;
          long t = m.getIngestTimeMs() > 0 ? m.getIngestTimeMs() : Math.max(partitionStart, 0);
          out.outputWithTimestamp(m, new Instant(t));
        }
      }
    } catch (RawArchiveFormat.ArchiveReadException e) {
      throw new IOException("raw archive file " + path + " is corrupt after " + n
          + " records", e);
    }
    files.inc();
    messages.inc(n);
    inRange.inc(kept);
    warmup.inc(warm);
    outOfRange.inc(n - kept - warm);
    bytes.inc(file.getMetadata().sizeBytes());
    long totalFiles = JVM_FILES.incrementAndGet();
    long totalMessages = JVM_MESSAGES.addAndGet(n);
    long now = System.currentTimeMillis();
    long last = LAST_LOG_MS.get();
    if (now - last >= logEveryMs && LAST_LOG_MS.compareAndSet(last, now)) {
      LOG.info("backfill {}: {} files, {} messages read so far (this JVM); now at {}",
          range, totalFiles, totalMessages, partitionStart >= 0
              ? RawArchiveFormat.partitionOf(partitionStart) : path);
    }
  }

  /**
   * The device timestamp if the payload has a plausible one, else -1. Reads only field 2 of the
   * payload (no full parse: the composite parses it properly right after).
   */
  long plausibleEventTime(InboundMessage m) {
    return plausibleEventTime(m, maxFutureSkewMs, maxAgeMs);
  }

  static long plausibleEventTime(InboundMessage m, long maxFutureSkewMs, long maxAgeMs) {
    long ts = timestampOf(m);
    if (ts < EPOCH_FLOOR_MS) {
      return -1;
    }
    long ingest = m.getIngestTimeMs();
    if (ingest > 0 && (ts - ingest > maxFutureSkewMs || ingest - ts > maxAgeMs)) {
      return -1;
    }
    return ts;
  }

  /** {@code Telemetry.timestamp_ms} (field 2, varint) without parsing the rest; -1 if absent. */
  static long timestampOf(InboundMessage m) {
    try {
      CodedInputStream c = m.getPayload().newCodedInput();
      int tag;
      while ((tag = c.readTag()) != 0) {
        if (tag == TIMESTAMP_TAG) {
          return c.readInt64(); // the first, as the streaming source's EventTimes does
        } else if (!c.skipField(tag)) {
          break;
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
