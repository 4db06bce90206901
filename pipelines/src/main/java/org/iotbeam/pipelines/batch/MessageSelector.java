package org.iotbeam.pipelines.batch;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.Serializable;
import org.iotbeam.domain.validation.ValidationLimits;
import org.iotbeam.proto.InboundMessage;

/**
 * Which archived messages a backfill of {@code [from, to)} processes, and with which timestamp.
 *
 * <ul>
 *   <li>A message whose device timestamp is plausible (after 2000, within the validator's future
 *       skew and maximum age of its ingest time, as judged with the limits given now) belongs to
 *       the range holding that timestamp, exactly as streaming windows it: in range it is
 *       processed; in the warm-up before {@code from} it is processed for the alert and
 *       de-duplication state only (its outputs are dropped); anywhere else it is left out and
 *       counted.
 *   <li>Anything else (bytes that no longer parse, a missing or absurd timestamp) is headed for the
 *       dead letters, and belongs to the range holding its <em>ingest</em> time, the one
 *       trustworthy time it has. So consecutive ranges share out the broken messages between them,
 *       each to exactly one.
 *   <li>Only messages ingested within the {@link ReadSpan} count, whichever files the listing
 *       returned (a Capture file's path time is only near its events' enqueued times).
 * </ul>
 */
final class MessageSelector implements Serializable {
  private static final long EPOCH_FLOOR_MS = 946_684_800_000L; // 2000-01-01, as the validator
  private static final int TIMESTAMP_TAG = (2 << 3) | WireFormat.WIRETYPE_VARINT;

  /** What the backfill does with a message. */
  enum Kind {
    IN_RANGE,
    WARMUP,
    OUTSIDE
  }

  /** Where a message goes and its timestamp there (event time, or ingest time if broken). */
  record Placement(Kind kind, long timestampMs) {}

  private final ArchiveRange range;
  private final ReadSpan span;
  private final long warmupFromMs;
  private final long maxFutureSkewMs;
  private final long maxAgeMs;

  MessageSelector(ArchiveRange range, ReadSpan span, long warmupMs, ValidationLimits limits) {
    this.range = range;
    this.span = span;
    this.warmupFromMs = range.fromMs() - warmupMs;
    this.maxFutureSkewMs = limits.maxFutureSkew().toMillis();
    this.maxAgeMs = limits.maxAge().toMillis();
  }

  ArchiveRange range() {
    return range;
  }

  ReadSpan span() {
    return span;
  }

  /**
   * @param fallbackIngestMs the ingest time to assume when the message has none (the start of its
   *     file's hour)
   */
  Placement place(InboundMessage m, long fallbackIngestMs) {
    long ingest = m.getIngestTimeMs() > 0 ? m.getIngestTimeMs() : fallbackIngestMs;
    if (!span.contains(ingest)) {
      return new Placement(Kind.OUTSIDE, ingest);
    }
    long ts = plausibleEventTime(m);
    if (ts >= 0) {
      if (range.contains(ts)) {
        return new Placement(Kind.IN_RANGE, ts);
      }
      return new Placement(
          ts >= warmupFromMs && ts < range.fromMs() ? Kind.WARMUP : Kind.OUTSIDE, ts);
    }
    return new Placement(range.contains(ingest) ? Kind.IN_RANGE : Kind.OUTSIDE, ingest);
  }

  /** Whether a backfill of this range processes {@code m} as part of the range (no warm-up). */
  boolean inRange(InboundMessage m) {
    return place(m, -1).kind() == Kind.IN_RANGE;
  }

  /** The time the range's outputs file {@code m}'s dead letter under. */
  long timeOf(InboundMessage m) {
    return place(m, -1).timestampMs();
  }

  /** The device timestamp if the payload has a plausible one, else -1. */
  long plausibleEventTime(InboundMessage m) {
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

  /**
   * {@code Telemetry.timestamp_ms} (field 2, varint) without parsing the rest; -1 if absent. The
   * composite parses the message properly right after.
   */
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
