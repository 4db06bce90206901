package org.iotbeam.simulator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run did. "valid"/"malformed" count messages handed to the transport by what they are by
 * construction; "delivered"/"failed" are the transport's word on them.
 */
public record SimulatorSummary(
    String transport,
    long generated,
    long valid,
    long malformed,
    long[] validByVersion,
    long[] malformedByVersion,
    Map<MalformedKind, Long> malformedByKind,
    Map<AnomalyKind, Long> anomalousReadings,
    long delivered,
    long failed,
    long reconnects,
    long elapsedMs,
    long firstEventTimeMs,
    long lastEventTimeMs) {

  /** Messages per second over the whole run (generated / elapsed). */
  public double rate() {
    return elapsedMs <= 0 ? 0 : generated * 1000.0 / elapsedMs;
  }

  public long validOfVersion(int v) {
    return validByVersion[v];
  }

  public long malformedOfVersion(int v) {
    return malformedByVersion[v];
  }

  /** One field per line, {@code name: value}, in a fixed order. */
  public Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("transport", transport);
    f.put("messages", Long.toString(generated));
    f.put("valid", Long.toString(valid));
    f.put("malformed", Long.toString(malformed));
    for (int v = 1; v <= 3; v++) {
      f.put("valid_v" + v, Long.toString(validByVersion[v]));
    }
    for (int v = 1; v <= 3; v++) {
      f.put("malformed_v" + v, Long.toString(malformedByVersion[v]));
    }
    for (MalformedKind k : MalformedKind.values()) {
      f.put(
          "malformed_" + k.name().toLowerCase(),
          Long.toString(malformedByKind.getOrDefault(k, 0L)));
    }
    for (AnomalyKind k : AnomalyKind.values()) {
      f.put(
          "anomalous_" + k.name().toLowerCase(),
          Long.toString(anomalousReadings.getOrDefault(k, 0L)));
    }
    f.put("delivered", Long.toString(delivered));
    f.put("failed", Long.toString(failed));
    f.put("reconnects", Long.toString(reconnects));
    f.put("elapsed_ms", Long.toString(elapsedMs));
    f.put("rate_per_s", String.format("%.1f", rate()));
    f.put("first_event_time_ms", Long.toString(firstEventTimeMs));
    f.put("last_event_time_ms", Long.toString(lastEventTimeMs));
    return Collections.unmodifiableMap(f);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    fields().forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
    return b.toString();
  }

  static Map<MalformedKind, Long> emptyMalformed() {
    return new EnumMap<>(MalformedKind.class);
  }

  static Map<AnomalyKind, Long> emptyAnomalies() {
    return new EnumMap<>(AnomalyKind.class);
  }
}
