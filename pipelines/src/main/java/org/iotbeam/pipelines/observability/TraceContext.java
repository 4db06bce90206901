package org.iotbeam.pipelines.observability;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A W3C trace context {@code traceparent}: {@code version-traceid-parentid-flags}, e.g. {@code
 * 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}. Parses what devices, the simulator and
 * the bridge send; a value that does not parse is treated as absent (never fatal).
 */
public record TraceContext(String version, String traceId, String parentId, String flags) {
  // version 00 is exactly 55 chars; a later version may append "-..." fields we ignore
  private static final Pattern HEADER =
      Pattern.compile("^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  /** The parsed header, or empty if it is missing or invalid per the W3C rules. */
  public static Optional<TraceContext> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = HEADER.matcher(header.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return Optional.empty();
    }
    String version = m.group(1);
    if (version.equals("ff")
        || (version.equals("00") && m.group(5) != null)
        || m.group(2).equals(ZERO_TRACE)
        || m.group(3).equals(ZERO_SPAN)) {
      return Optional.empty();
    }
    return Optional.of(new TraceContext(version, m.group(2), m.group(3), m.group(4)));
  }

  public static boolean isValid(String header) {
    return parse(header).isPresent();
  }

  /** The trace id of a header, or "" when there is none: what the logs carry as traceId. */
  public static String traceIdOf(String header) {
    return parse(header).map(TraceContext::traceId).orElse("");
  }

  /** A new sampled root context (random ids). */
  public static TraceContext newRoot() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String trace;
    do {
      trace = hex(r.nextLong()) + hex(r.nextLong());
    } while (trace.equals(ZERO_TRACE));
    return new TraceContext("00", trace, newSpanId(), "01");
  }

  /** The context a step passes on: same trace, a new span id whose parent is this one. */
  public TraceContext child() {
    return new TraceContext("00", traceId, newSpanId(), flags);
  }

  public boolean sampled() {
    return (Integer.parseInt(flags, 16) & 1) == 1;
  }

  /** The header value, always version 00. */
  public String format() {
    return "00-" + traceId + "-" + parentId + "-" + flags;
  }

  @Override
  public String toString() {
    return format();
  }

  static String newSpanId() {
    String s;
    do {
      s = hex(ThreadLocalRandom.current().nextLong());
    } while (s.equals(ZERO_SPAN));
    return s;
  }

  private static String hex(long v) {
    String h = Long.toHexString(v);
    return "0".repeat(16 - h.length()) + h;
  }
}
