package org.iotbeam.pipelines.batch;

import static org.iotbeam.pipelines.batch.ArchiveRangeTest.hour;
import static org.junit.Assert.assertEquals;

import com.google.protobuf.ByteString;
import java.util.List;
import org.iotbeam.domain.validation.ValidationLimits;
import org.iotbeam.pipelines.batch.MessageSelector.Kind;
import org.iotbeam.pipelines.batch.MessageSelector.Placement;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.Telemetry;
import org.junit.Test;

/** Which ingest hours a backfill reads, and which of their messages it processes. */
public class ReadSpanTest {
  private static final long MIN = 60_000L;
  private static final ArchiveRange RANGE =
      ArchiveRange.parse("2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z", 5 * MIN);

  @Test
  public void theSpanReachesBackBySkewAndWarmUpAndOnByDelayLatenessAndIdleTimeout() {
    // defaults: 60 min warm-up, 5 min skew; 60 s delay, 10 min lateness, 60 s idle
    ReadSpan span = ReadSpan.forRange(RANGE, 60 * MIN, 5 * MIN, MIN, 10 * MIN, MIN, 0);
    assertEquals(hour("2026-11-20T08"), span.fromMs()); // 08:55 -> its hour
    assertEquals(hour("2026-11-20T12"), span.toMs()); // 11:12 -> the end of its hour
    assertEquals(
        List.of(
            hour("2026-11-20T08"),
            hour("2026-11-20T09"),
            hour("2026-11-20T10"),
            hour("2026-11-20T11")),
        span.hours());
    // no warm-up, nothing after: exactly the range's hour
    assertEquals(
        List.of(hour("2026-11-20T10")), ReadSpan.forRange(RANGE, 0, 0, 0, 0, 0, 0).hours());
    // lateness that ends on the hour does not pull in the next one
    assertEquals(hour("2026-11-20T12"), ReadSpan.forRange(RANGE, 0, 0, 0, 60 * MIN, 0, 0).toMs());
    // --extraIngestHours=2 on both sides
    ReadSpan wide = ReadSpan.forRange(RANGE, 0, 0, 0, 0, 0, 120 * MIN);
    assertEquals(hour("2026-11-20T08"), wide.fromMs());
    assertEquals(hour("2026-11-20T13"), wide.toMs());
  }

  @Test
  public void readingsGoByEventTimeBrokenMessagesByIngestTime() {
    ReadSpan span = ReadSpan.forRange(RANGE, 30 * MIN, 5 * MIN, MIN, 10 * MIN, MIN, 0);
    MessageSelector s = new MessageSelector(RANGE, span, 30 * MIN, ValidationLimits.defaults());
    long t10 = hour("2026-11-20T10");
    assertEquals(
        new Placement(Kind.IN_RANGE, t10 + 59 * MIN),
        s.place(reading(t10 + 59 * MIN, t10 + 70 * MIN), 0));
    assertEquals(
        new Placement(Kind.WARMUP, t10 - 20 * MIN),
        s.place(reading(t10 - 20 * MIN, t10 - 20 * MIN), 0));
    assertEquals(Kind.OUTSIDE, s.place(reading(t10 - 40 * MIN, t10 - 40 * MIN), 0).kind());
    assertEquals(Kind.OUTSIDE, s.place(reading(t10 + 60 * MIN, t10 + 61 * MIN), 0).kind());
    // ingested after the span: not the range's, whatever its event time
    assertEquals(Kind.OUTSIDE, s.place(reading(t10 + 30 * MIN, t10 + 150 * MIN), 0).kind());
    // broken, or a timestamp the validator rejects: by ingest time
    assertEquals(new Placement(Kind.IN_RANGE, t10 + 7 * MIN), s.place(broken(t10 + 7 * MIN), 0));
    assertEquals(Kind.OUTSIDE, s.place(broken(t10 + 65 * MIN), 0).kind());
    assertEquals(Kind.OUTSIDE, s.place(broken(t10 - 5 * MIN), 0).kind()); // no warm-up use
    InboundMessage future = reading(t10 + 50 * MIN, t10 + 30 * MIN); // 20 min ahead > 5 min
    assertEquals(new Placement(Kind.IN_RANGE, t10 + 30 * MIN), s.place(future, 0));
    // no ingest time: the hour of its file
    assertEquals(
        new Placement(Kind.IN_RANGE, t10),
        s.place(broken(0).toBuilder().clearIngestTimeMs().build(), t10));
  }

  private static InboundMessage reading(long eventMs, long ingestMs) {
    return InboundMessage.newBuilder()
        .setIngestTimeMs(ingestMs)
        .setPayload(
            Telemetry.newBuilder()
                .setDeviceId("d")
                .setTimestampMs(eventMs)
                .setTemperature(20)
                .build()
                .toByteString())
        .build();
  }

  private static InboundMessage broken(long ingestMs) {
    return InboundMessage.newBuilder()
        .setIngestTimeMs(ingestMs)
        .setPayload(ByteString.copyFrom(new byte[] {0x0a, (byte) 0xff, 0x01}))
        .build();
  }
}
