package org.iotbeam.pipelines.batch;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingest hours a backfill of the event-time range {@code [from, to)} reads: the raw archive
 * files its messages by ingest time (a broken message has no event time to file it by), so the
 * question is which ingest times can hold readings that streaming counted for the range.
 *
 * <p>A reading with event time {@code t} in the range was accepted by the validator only if it
 * arrived no earlier than {@code t - maxFutureSkew} (a device clock running ahead). It counted in
 * its window only if it arrived before the watermark passed the window's end plus the allowed
 * lateness; the watermark trails the newest event time by the watermark delay ({@code
 * --maxOutOfOrderSeconds}) and, for a partition that went silent, runs on after the idle timeout
 * ({@code --idlePartitionSeconds}). So, with devices whose clocks keep up with the broker, the
 * readings of the range arrived in
 *
 * <pre>
 *   [from - warm-up - maxFutureSkew,  to + watermark delay + allowed lateness + idle timeout)
 * </pre>
 *
 * (the warm-up reaches back for the alert and de-duplication state) and this is read, widened to
 * whole hours. Devices whose clocks trail the broker (a buffering gateway, IoT Hub routing that
 * lags) keep on-time readings arriving later than that, since the watermark follows their data:
 * widen the span by that lag with {@code --extraIngestHours}. Readings found in the span but which
 * streaming dropped as too late are counted by the backfill: it may be more complete than the
 * stream, never less, within the span.
 */
public final class ReadSpan implements Serializable {
  static final long HOUR_MS = 3_600_000L;

  private final long fromMs;
  private final long toMs;

  private ReadSpan(long fromMs, long toMs) {
    this.fromMs = fromMs;
    this.toMs = toMs;
  }

  /**
   * The span for {@code range}; every duration in milliseconds, {@code extraMs} added on both
   * sides.
   */
  public static ReadSpan forRange(
      ArchiveRange range,
      long warmupMs,
      long maxFutureSkewMs,
      long watermarkDelayMs,
      long allowedLatenessMs,
      long idleTimeoutMs,
      long extraMs) {
    long from = range.fromMs() - warmupMs - maxFutureSkewMs - extraMs;
    long to = range.toMs() + watermarkDelayMs + allowedLatenessMs + idleTimeoutMs + extraMs;
    return new ReadSpan(
        Math.floorDiv(from, HOUR_MS) * HOUR_MS, Math.floorDiv(to + HOUR_MS - 1, HOUR_MS) * HOUR_MS);
  }

  /** The first ingest time read (a whole hour). */
  public long fromMs() {
    return fromMs;
  }

  /** The end of the span, exclusive (a whole hour). */
  public long toMs() {
    return toMs;
  }

  public boolean contains(long ingestTimeMs) {
    return ingestTimeMs >= fromMs && ingestTimeMs < toMs;
  }

  /** The start of every hour in the span. */
  public List<Long> hours() {
    List<Long> out = new ArrayList<>();
    for (long h = fromMs; h < toMs; h += HOUR_MS) {
      out.add(h);
    }
    return out;
  }

  @Override
  public String toString() {
    return "ingest hours ["
        + Instant.ofEpochMilli(fromMs)
        + ", "
        + Instant.ofEpochMilli(toMs)
        + ")";
  }
}
