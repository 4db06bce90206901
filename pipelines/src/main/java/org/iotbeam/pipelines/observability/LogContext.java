package org.iotbeam.pipelines.observability;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The MDC keys of a per-message log line, set for the duration of a try block and restored after:
 * {@value #DEVICE_ID}, {@value #TRACE_ID} and {@value #SPAN_ID} (from the message's W3C {@code
 * traceparent}). The JSON layout (log4j2.xml) writes them as top-level fields.
 *
 * <pre>
 * try (LogContext ignored = LogContext.forMessage(deviceId, traceparent)) {
 *   LOG.warn("...");
 * }
 * </pre>
 *
 * <p>Per-message logging is for rare events (dead letters, failed deliveries), never for the normal
 * path.
 */
public final class LogContext implements AutoCloseable {
  public static final String DEVICE_ID = "deviceId";
  public static final String TRACE_ID = "traceId";
  public static final String SPAN_ID = "spanId";

  private final Map<String, String> previous = new HashMap<>();

  private LogContext() {}

  public static LogContext forMessage(String deviceId, String traceparent) {
    LogContext c = new LogContext();
    c.put(DEVICE_ID, deviceId);
    TraceContext.parse(traceparent)
        .ifPresentOrElse(
            t -> {
              c.put(TRACE_ID, t.traceId());
              c.put(SPAN_ID, t.parentId());
            },
            () -> {
              c.put(TRACE_ID, null);
              c.put(SPAN_ID, null);
            });
    return c;
  }

  private void put(String key, String value) {
    previous.put(key, MDC.get(key));
    if (value == null || value.isEmpty()) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  @Override
  public void close() {
    previous.forEach(
        (k, v) -> {
          if (v == null) {
            MDC.remove(k);
          } else {
            MDC.put(k, v);
          }
        });
  }
}
