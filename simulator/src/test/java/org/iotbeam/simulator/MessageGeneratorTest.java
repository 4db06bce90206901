package org.iotbeam.simulator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.iotbeam.proto.SchemaVersions;
import org.iotbeam.proto.Telemetry;
import org.junit.Test;

public class MessageGeneratorTest {
  static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  static final String ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.:-]{2,63}$";
  static final long FUTURE_SKEW_MS = 5 * 60_000;

  private static SimulatorConfig config(long seed) {
    return new SimulatorConfig()
        .devices(100)
        .count(5000)
        .seed(seed)
        .malformedRatio(0.05)
        .anomalyRate(0.01)
        .startTime(Instant.ofEpochMilli(START));
  }

  @Test
  public void sameSeedGivesIdenticalBytes() {
    MessageGenerator a = new MessageGenerator(config(7), START);
    MessageGenerator b = new MessageGenerator(config(7), START);
    MessageGenerator c = new MessageGenerator(config(8), START);
    int differentFromOtherSeed = 0;
    for (int i = 0; i < 5000; i++) {
      SimulatedMessage x = a.next();
      SimulatedMessage y = b.next();
      SimulatedMessage z = c.next();
      assertArrayEquals("message " + i, x.payload(), y.payload());
      assertEquals(x.traceparent(), y.traceparent());
      assertEquals(x.eventTimeMs(), y.eventTimeMs());
      assertEquals(x.deviceId(), y.deviceId());
      assertEquals(x.malformed(), y.malformed());
      assertEquals(x.ingestDelayMs(), y.ingestDelayMs());
      if (!java.util.Arrays.equals(x.payload(), z.payload())) {
        differentFromOtherSeed++;
      }
    }
    assertThat(differentFromOtherSeed, greaterThan(4900));
  }

  @Test
  public void validMessagesAreValidAndCarryTheirVersionsFields() throws Exception {
    SimulatorConfig cfg = config(3).malformedRatio(0).anomalyRate(0.02);
    MessageGenerator g = new MessageGenerator(cfg, START);
    int[] versions = new int[4];
    Set<String> devices = new HashSet<>();
    Set<String> traces = new HashSet<>();
    Map<AnomalyKind, Integer> anomalies = new EnumMap<>(AnomalyKind.class);
    long[] lastTs = new long[100];
    for (int i = 0; i < 5000; i++) {
      SimulatedMessage m = g.next();
      assertTrue(m.valid());
      Telemetry t = Telemetry.parseFrom(m.payload());
      assertEquals(m.deviceId(), t.getDeviceId());
      assertTrue(t.getDeviceId(), t.getDeviceId().matches(ID_PATTERN));
      assertEquals(m.eventTimeMs(), t.getTimestampMs());
      assertEquals(m.schemaVersion(), SchemaVersions.detect(t));
      assertEquals(m.schemaVersion(), SchemaVersions.inferFromFields(t));
      assertTrue(Traceparent.isValid(m.traceparent()));
      assertTrue(traces.add(m.traceparent()));
      assertTrue(t.hasTemperature() && t.hasHumidity());
      assertInRange(t.getTemperature(), -60, 100);
      assertInRange(t.getHumidity(), 0, 100);
      if (t.hasPressure()) {
        assertInRange(t.getPressure(), 300, 1100);
        assertInRange(t.getLocation().getLatitude(), -90, 90);
        assertInRange(t.getLocation().getLongitude(), -180, 180);
      }
      if (t.hasBatteryLevel()) {
        assertInRange(t.getBatteryLevel(), 0, 100);
        assertInRange(t.getSignalStrength(), -150, 0);
      }
      int dev = Integer.parseInt(m.deviceId().substring(4));
      assertThat("event time grows per device", t.getTimestampMs(), greaterThan(lastTs[dev]));
      lastTs[dev] = t.getTimestampMs();
      versions[m.schemaVersion()]++;
      devices.add(m.deviceId());
      if (m.anomaly() != null) {
        anomalies.merge(m.anomaly(), 1, Integer::sum);
      }
    }
    assertEquals(100, devices.size());
    // default mix 0.2 / 0.3 / 0.5 of 100 devices
    assertThat(versions[1] / 5000.0, closeTo(0.2, 0.1));
    assertThat(versions[2] / 5000.0, closeTo(0.3, 0.1));
    assertThat(versions[3] / 5000.0, closeTo(0.5, 0.1));
    assertEquals("every anomaly kind shows up: " + anomalies, 3, anomalies.size());
  }

  @Test
  public void v1DevicesWriteOnlyV1Fields() throws Exception {
    SimulatorConfig cfg = config(5).versionMix(1, 0, 0).malformedRatio(0);
    MessageGenerator g = new MessageGenerator(cfg, START);
    for (int i = 0; i < 200; i++) {
      byte[] bytes = g.next().payload();
      org.iotbeam.proto.v1.Telemetry v1 = org.iotbeam.proto.v1.Telemetry.parseFrom(bytes);
      assertTrue(v1.getUnknownFields().asMap().isEmpty());
      assertEquals(1, v1.getSchemaVersion());
      Telemetry t = Telemetry.parseFrom(bytes);
      assertFalse(t.hasPressure() || t.hasLocation() || t.hasBatteryLevel());
    }
  }

  @Test
  public void malformedRatioIsHonouredAndEachMalformedMessageFails() {
    SimulatorConfig cfg =
        new SimulatorConfig()
            .devices(50)
            .count(20_000)
            .seed(11)
            .malformedRatio(0.10)
            .startTime(Instant.ofEpochMilli(START));
    MessageGenerator g = new MessageGenerator(cfg, START);
    Map<MalformedKind, Integer> kinds = new EnumMap<>(MalformedKind.class);
    int malformed = 0;
    for (int i = 0; i < 20_000; i++) {
      SimulatedMessage m = g.next();
      if (m.valid()) {
        continue;
      }
      malformed++;
      kinds.merge(m.malformed(), 1, Integer::sum);
      String why = rejection(m);
      assertTrue("malformed " + m.malformed() + " message " + i + " was accepted", why != null);
    }
    // 10 % of 20,000 = 2000; binomial sd ~ 42, so +-200 is ~5 sd
    assertThat((double) malformed, closeTo(2000, 200));
    assertEquals(MalformedKind.values().length, kinds.size());
    for (int n : kinds.values()) {
      assertThat((double) n, closeTo(400, 100));
    }
  }

  /** Why a validator following the platform's rules rejects it; null if it would accept it. */
  static String rejection(SimulatedMessage m) {
    Telemetry t;
    try {
      t = Telemetry.parseFrom(m.payload());
    } catch (InvalidProtocolBufferException e) {
      if (m.malformed() != MalformedKind.RANDOM_BYTES && m.malformed() != MalformedKind.TRUNCATED) {
        fail(m.malformed() + " should parse");
      }
      return "unparseable";
    }
    if (t.getDeviceId().isEmpty()) {
      return "missing device id";
    }
    if (!t.getDeviceId().matches(ID_PATTERN)) {
      return "bad device id";
    }
    if (t.getTimestampMs() - (m.eventTimeMs() + m.ingestDelayMs()) > FUTURE_SKEW_MS) {
      return "future";
    }
    if (!t.hasTemperature() && !t.hasHumidity()) {
      return "no measurement";
    }
    if (out(t.hasTemperature(), t.getTemperature(), -60, 100)
        || out(t.hasHumidity(), t.getHumidity(), 0, 100)
        || out(t.hasPressure(), t.getPressure(), 300, 1100)
        || out(t.hasBatteryLevel(), t.getBatteryLevel(), 0, 100)
        || out(t.hasSignalStrength(), t.getSignalStrength(), -150, 0)) {
      return "out of range";
    }
    return null;
  }

  private static boolean out(boolean has, double v, double lo, double hi) {
    return has && !(v >= lo && v <= hi);
  }

  private static void assertInRange(double v, double lo, double hi) {
    assertTrue(v + " in [" + lo + ", " + hi + "]", v >= lo && v <= hi);
  }

  @Test
  public void eventTimeFollowsStartAndCadence() {
    SimulatorConfig cfg =
        new SimulatorConfig()
            .devices(10)
            .rate(10)
            .count(100)
            .seed(1)
            .malformedRatio(0)
            .startTime(Instant.ofEpochMilli(START));
    assertEquals(1000, cfg.effectiveIntervalMs());
    MessageGenerator g = new MessageGenerator(cfg, START);
    for (int i = 0; i < 100; i++) {
      SimulatedMessage m = g.next();
      long k = i / 10;
      long phase = (i % 10) * 100;
      assertThat(m.eventTimeMs() - START - phase - k * 1000, lessThanOrEqualTo(100L));
      assertThat(m.eventTimeMs() - START - phase - k * 1000 >= 0, equalTo(true));
    }
  }
}
