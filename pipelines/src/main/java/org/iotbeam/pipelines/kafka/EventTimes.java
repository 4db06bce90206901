package org.iotbeam.pipelines.kafka;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * Reads the event time ({@code Telemetry.timestamp_ms}, field 2) straight from the protobuf bytes,
 * without building the message: the source calls this for every record to set its timestamp and
 * watermark, so it must be cheap. Anything else in the payload is skipped, not parsed.
 */
public final class EventTimes {
  private static final int TIMESTAMP_FIELD = 2;

  private EventTimes() {}

  /** The event time in the payload, or {@code -1} when it is absent or the bytes do not parse. */
  public static long fromPayload(byte[] payload) {
    if (payload == null || payload.length == 0) {
      return -1;
    }
    try {
      CodedInputStream in = CodedInputStream.newInstance(payload);
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          return -1;
        }
        if (WireFormat.getTagFieldNumber(tag) == TIMESTAMP_FIELD
            && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
          return in.readInt64();
        }
        if (!in.skipField(tag)) {
          return -1;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The timestamp the source gives a record: its event time when that is plausible (within {@code
   * maxAgeMs} before and {@code maxFutureMs} after the broker's timestamp), else the broker's
   * timestamp. Implausible times become dead letters downstream anyway; this keeps them from
   * dragging the watermark or landing in windows that closed long ago.
   */
  public static long plausible(
      byte[] payload, long recordTimestampMs, long maxAgeMs, long maxFutureMs) {
    long t = fromPayload(payload);
    if (isPlausible(t, recordTimestampMs, maxAgeMs, maxFutureMs)) {
      return t;
    }
    return recordTimestampMs > 0 ? recordTimestampMs : Math.max(t, 0);
  }

  /** A positive event time within [record - maxAge, record + maxFuture] (any, without record). */
  public static boolean isPlausible(
      long eventMs, long recordTimestampMs, long maxAgeMs, long maxFutureMs) {
    if (eventMs <= 0) {
      return false;
    }
    return recordTimestampMs <= 0
        || (eventMs >= recordTimestampMs - maxAgeMs && eventMs <= recordTimestampMs + maxFutureMs);
  }
}
