package org.iotbeam.domain.stats;

import java.io.Serializable;

/**
 * Event-time tumbling windows of {@code sizeMs} aligned to the epoch, each kept open for late
 * readings until the watermark passes its last instant plus {@code allowedLatenessMs}: the same
 * arithmetic as Beam's {@code FixedWindows} and its garbage-collection time, so windows built here
 * and windows a runner builds name the same instants.
 */
public record TumblingWindows(long sizeMs, long allowedLatenessMs) implements Serializable {
  public TumblingWindows {
    if (sizeMs <= 0) {
      throw new IllegalArgumentException("window size must be positive, was " + sizeMs + " ms");
    }
    if (allowedLatenessMs < 0) {
      throw new IllegalArgumentException(
          "allowed lateness must be >= 0, was " + allowedLatenessMs + " ms");
    }
  }

  /** The start of the window holding {@code timestampMs}. */
  public long startOf(long timestampMs) {
    return Math.floorDiv(timestampMs, sizeMs) * sizeMs;
  }

  /** The window's last instant: its on-time pane is due once the watermark is past it. */
  public long lastInstant(long startMs) {
    return startMs + sizeMs - 1;
  }

  /** The instant after which the window takes no more readings (Beam's garbage-collection time). */
  public long expiresAfter(long startMs) {
    return lastInstant(startMs) + allowedLatenessMs;
  }
}
