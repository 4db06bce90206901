package org.iotbeam.pipelines;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iotbeam.proto.Telemetry;

/**
 * A known mix of telemetry and the results it must give, computed here from the data alone (not
 * with the pipeline's code): several devices, out of order, duplicated, invalid, and late within
 * and beyond the allowed lateness.
 *
 * <p>Phase 1 spans six 5-minute windows ending 10-15 minutes before {@code now}; phase 2 (sent
 * after the watermark has passed them) adds readings to the last window (late, within 15 minutes of
 * allowed lateness) and to the first window (beyond it: counted nowhere but the archive).
 */
final class TelemetryScenario {
  static final long WINDOW = 5 * 60_000L;
  static final String HOT = "sensor-hot";

  /** The device whose reading of "now" closes the scenario's windows; its own window stays open. */
  static final String TICK = "clock";

  /** Partitions of the telemetry topic the tests create. */
  static final int PARTITIONS = 2;

  static final List<String> DEVICES = List.of("sensor-a", "sensor-b", "sensor-c", HOT);

  final long base;
  final List<KafkaTestIo.Out> phase1 = new ArrayList<>();
  final List<KafkaTestIo.Out> phase2 = new ArrayList<>();

  /**
   * Payloads of every message produced, valid or not, copies included: what the raw archive must
   * hold, once each.
   */
  final List<ByteString> archived = new ArrayList<>();

  /** Phase-1 on-time aggregates and the final ones (after the late-within readings). */
  final Map<String, double[]> onTime = new TreeMap<>();

  final Map<String, double[]> fin = new TreeMap<>();
  final Map<String, Integer> deadLetterReasons = new TreeMap<>();
  final long hotRaisedAt;
  final long hotClearedAt;

  TelemetryScenario(long now) {
    base = Math.floorDiv(now - 40 * 60_000L, WINDOW) * WINDOW;
    Map<String, List<double[]>> samples = new LinkedHashMap<>(); // id -> [value]
    List<Telemetry> inOrder = new ArrayList<>();
    for (int i = 0; i < 30; i++) { // one reading a minute per device, 30 minutes
      for (int d = 0; d < DEVICES.size(); d++) {
        String dev = DEVICES.get(d);
        double temp = 20 + d + (i % 7) * 0.5;
        if (dev.equals(HOT) && i >= 10 && i <= 13) {
          temp = 46 + i; // four readings above 45 C
        }
        inOrder.add(
            Telemetry.newBuilder()
                .setDeviceId(dev)
                .setTimestampMs(base + i * 60_000L + d * 1000L)
                .setTemperature(temp)
                .setHumidity(40 + (i % 5) + d)
                .setSchemaVersion(1)
                .build());
      }
    }
    hotRaisedAt = base + 12 * 60_000L + 3000L; // third reading in a row above 45
    hotClearedAt = base + 14 * 60_000L + 3000L; // first reading below again
    // out of order: swap each pair of neighbours (a reading at most ~1 minute early/late)
    List<Telemetry> sent = new ArrayList<>(inOrder);
    for (int k = 0; k + 5 < sent.size(); k += 8) {
      Telemetry a = sent.get(k);
      sent.set(k, sent.get(k + 5));
      sent.set(k + 5, a);
    }
    int n = 0;
    for (Telemetry t : sent) {
      byte[] bytes = t.toByteArray();
      phase1.add(
          new KafkaTestIo.Out(
              t.getDeviceId(),
              bytes,
              "00-" + String.format("%032x", n) + "-" + String.format("%016x", n + 1) + "-01"));
      archived.add(ByteString.copyFrom(bytes));
      add(samples, t);
      if (n % 17 == 3) { // a redelivered copy right behind the original
        phase1.add(new KafkaTestIo.Out(t.getDeviceId(), bytes, null));
        archived.add(ByteString.copyFrom(bytes));
      }
      n++;
      if (n == 20) {
        invalid();
      }
    }
    // the stream goes on: a reading of now on each partition moves the watermark past the
    // scenario's windows, as newer data does in production (the watermark follows the data; an
    // idle partition would close them only once its own clock had run on by their age)
    for (int partition = 0; partition < PARTITIONS; partition++) {
      byte[] tick =
          Telemetry.newBuilder()
              .setDeviceId(TICK)
              .setTimestampMs(now + partition)
              .setTemperature(20)
              .setSchemaVersion(1)
              .build()
              .toByteArray();
      phase1.add(new KafkaTestIo.Out(TICK, tick, null, partition));
      archived.add(ByteString.copyFrom(tick));
    }
    for (Map.Entry<String, List<double[]>> e : samples.entrySet()) {
      onTime.put(e.getKey(), stats(e.getValue()));
    }
    // phase 2: late within the allowed lateness (last window) and beyond it (first window)
    long lastWindow = base + 5 * WINDOW;
    for (int d = 0; d < DEVICES.size(); d++) {
      String dev = DEVICES.get(d);
      Telemetry within =
          Telemetry.newBuilder()
              .setDeviceId(dev)
              .setTimestampMs(lastWindow + 123_000L + d)
              .setTemperature(10.5 + d)
              .setHumidity(33)
              .setSchemaVersion(1)
              .build();
      Telemetry beyond =
          Telemetry.newBuilder()
              .setDeviceId(dev)
              .setTimestampMs(base + 45_000L + d)
              .setTemperature(99.0)
              .setHumidity(99)
              .setSchemaVersion(1)
              .build();
      for (Telemetry t : List.of(within, beyond)) {
        phase2.add(new KafkaTestIo.Out(dev, t.toByteArray(), null));
        archived.add(ByteString.copyFrom(t.toByteArray()));
      }
      add(samples, within);
    }
    for (Map.Entry<String, List<double[]>> e : samples.entrySet()) {
      fin.put(e.getKey(), stats(e.getValue()));
    }
  }

  private void invalid() {
    long ts = base + 10 * 60_000L;
    bad("MALFORMED_PROTOBUF", "sensor-a", new byte[] {0x0a, 0x05, 'a', 'b'});
    bad("MALFORMED_PROTOBUF", "sensor-b", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    bad("EMPTY_PAYLOAD", "sensor-c", new byte[0]);
    bad(
        "MISSING_DEVICE_ID",
        "sensor-c",
        Telemetry.newBuilder()
            .setTimestampMs(ts)
            .setTemperature(20)
            .setSchemaVersion(1)
            .build()
            .toByteArray());
    bad(
        "VALUE_OUT_OF_RANGE",
        "sensor-a",
        Telemetry.newBuilder()
            .setDeviceId("sensor-a")
            .setTimestampMs(ts + 1)
            .setTemperature(500)
            .setSchemaVersion(1)
            .build()
            .toByteArray());
    bad(
        "VALUE_OUT_OF_RANGE",
        "sensor-b",
        Telemetry.newBuilder()
            .setDeviceId("sensor-b")
            .setTimestampMs(ts + 2)
            .setTemperature(20)
            .setHumidity(140)
            .setSchemaVersion(1)
            .build()
            .toByteArray());
    bad(
        "TIMESTAMP_TOO_OLD",
        "sensor-c",
        Telemetry.newBuilder()
            .setDeviceId("sensor-c")
            .setTimestampMs(1_546_300_800_000L)
            .setTemperature(20)
            .setSchemaVersion(1)
            .build()
            .toByteArray());
  }

  private void bad(String reason, String key, byte[] payload) {
    phase1.add(new KafkaTestIo.Out(key, payload, null));
    archived.add(ByteString.copyFrom(payload));
    deadLetterReasons.merge(reason, 1, Integer::sum);
  }

  int deadLetterCount() {
    return deadLetterReasons.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static void add(Map<String, List<double[]>> samples, Telemetry t) {
    long w = Math.floorDiv(t.getTimestampMs(), WINDOW) * WINDOW;
    samples
        .computeIfAbsent(t.getDeviceId() + "|temperature|" + w, k -> new ArrayList<>())
        .add(new double[] {t.getTemperature()});
    samples
        .computeIfAbsent(t.getDeviceId() + "|humidity|" + w, k -> new ArrayList<>())
        .add(new double[] {t.getHumidity()});
  }

  /** count, min, max, mean. */
  private static double[] stats(List<double[]> values) {
    double min = values.stream().map(v -> v[0]).min(Comparator.naturalOrder()).orElseThrow();
    double max = values.stream().map(v -> v[0]).max(Comparator.naturalOrder()).orElseThrow();
    double sum = values.stream().mapToDouble(v -> v[0]).sum();
    return new double[] {values.size(), min, max, sum / values.size()};
  }
}
