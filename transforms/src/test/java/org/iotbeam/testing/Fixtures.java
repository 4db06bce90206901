package org.iotbeam.testing;

import com.google.protobuf.ByteString;
import org.iotbeam.proto.DeviceProfile;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.SourcePosition;
import org.iotbeam.proto.Telemetry;

/** Small builders for test data, shared with the pipelines' tests through the test-jar. */
public final class Fixtures {
  /** 2026-01-01T00:00:00Z: a round origin makes window boundaries easy to read in tests. */
  public static final long T0 = 1767225600000L;

  public static final long MINUTE = 60_000L;
  public static final long SECOND = 1_000L;

  private Fixtures() {}

  public static Telemetry telemetry(String device, long ts, double temperature, double humidity) {
    return Telemetry.newBuilder()
        .setDeviceId(device)
        .setTimestampMs(ts)
        .setTemperature(temperature)
        .setHumidity(humidity)
        .setSchemaVersion(1)
        .build();
  }

  /** A message as a broker would deliver it, ingested one second after its event time. */
  public static InboundMessage inbound(Telemetry t, long offset) {
    return inbound(t.toByteArray(), t.getTimestampMs() + SECOND, offset);
  }

  public static InboundMessage inbound(byte[] payload, long ingestTimeMs, long offset) {
    return InboundMessage.newBuilder()
        .setPayload(ByteString.copyFrom(payload))
        .setIngestTimeMs(ingestTimeMs)
        .setSource(
            SourcePosition.newBuilder()
                .setSystem("test")
                .setTopic("telemetry")
                .setPartition(0)
                .setOffset(offset))
        .setTraceparent(String.format("00-%032x-%016x-01", offset + 1, offset + 1))
        .build();
  }

  /** A reading as the parse and enrich steps would produce it. */
  public static Reading reading(Telemetry t, String deviceType) {
    return Reading.newBuilder()
        .setTelemetry(t)
        .setInbound(inbound(t, 0))
        .setSchemaVersion(1)
        .setDevice(
            DeviceProfile.newBuilder()
                .setDeviceId(t.getDeviceId())
                .setDeviceType(deviceType)
                .setSite("site-1"))
        .setKnownDevice(true)
        .setContentHash(org.iotbeam.transforms.ContentHash.of(t))
        .build();
  }

  public static Reading temperatureReading(String device, long ts, double temperature) {
    return reading(
        Telemetry.newBuilder()
            .setDeviceId(device)
            .setTimestampMs(ts)
            .setTemperature(temperature)
            .build(),
        "generic");
  }
}
