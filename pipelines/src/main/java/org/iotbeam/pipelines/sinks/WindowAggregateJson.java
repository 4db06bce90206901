package org.iotbeam.pipelines.sinks;

import org.iotbeam.proto.PaneTiming;
import org.iotbeam.proto.WindowAggregate;

/**
 * A {@link WindowAggregate} as the same line of JSON that {@link ProtoJson} prints with protobuf's
 * {@code JsonFormat}, written field by field: aggregates are most of what a job writes, and the
 * reflective printer was 7% of a backfill's CPU. Returns null when a string needs escaping or an
 * enum value is unknown, so that the caller falls back to the printer (the output never differs).
 */
final class WindowAggregateJson {
  private WindowAggregateJson() {}

  /** The record's JSON, or null if only {@code JsonFormat} can print it the same. */
  static String toJson(WindowAggregate a) {
    PaneTiming timing = a.getPaneTiming();
    if (timing == PaneTiming.UNRECOGNIZED) {
      return null;
    }
    StringBuilder b = new StringBuilder(384);
    if (!string(b, "{\"id\":", a.getId())
        || !string(b, ",\"deviceId\":", a.getDeviceId())
        || !string(b, ",\"metric\":", a.getMetric())) {
      return null;
    }
    int64(b, ",\"windowStartMs\":", a.getWindowStartMs());
    int64(b, ",\"windowEndMs\":", a.getWindowEndMs());
    int64(b, ",\"count\":", a.getCount());
    number(b, ",\"min\":", a.getMin());
    number(b, ",\"max\":", a.getMax());
    number(b, ",\"mean\":", a.getMean());
    number(b, ",\"stddev\":", a.getStddev());
    int64(b, ",\"firstTimestampMs\":", a.getFirstTimestampMs());
    int64(b, ",\"lastTimestampMs\":", a.getLastTimestampMs());
    b.append(",\"paneTiming\":\"").append(timing.name()).append('"');
    int64(b, ",\"paneIndex\":", a.getPaneIndex());
    b.append(",\"finalPane\":").append(a.getFinalPane());
    if (!string(b, ",\"deviceType\":", a.getDeviceType())
        || !string(b, ",\"site\":", a.getSite())) {
      return null;
    }
    return b.append('}').toString();
  }

  /** JSON has no 64-bit integers: proto3 JSON quotes them. */
  private static void int64(StringBuilder b, String name, long v) {
    b.append(name).append('"').append(v).append('"');
  }

  /** As JsonFormat: Java's shortest repr, and the non-finite values as quoted names. */
  private static void number(StringBuilder b, String name, double v) {
    b.append(name);
    if (Double.isNaN(v)) {
      b.append("\"NaN\"");
    } else if (Double.isInfinite(v)) {
      b.append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    } else {
      b.append(v);
    }
  }

  /** False if {@code s} has a character JsonFormat would escape (it escapes HTML ones too). */
  private static boolean string(StringBuilder b, String name, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&'
          || c == '=' || c == '\'') {
        return false;
      }
    }
    b.append(name).append('"').append(s).append('"');
    return true;
  }
}
