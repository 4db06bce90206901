package org.iotbeam.pipelines.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Optional;
import java.util.UUID;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.iotbeam.proto.Telemetry;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/** The watermark follows the data: lag, idleness, empty partitions, restarts. */
public class EventTimePolicyTest {
  private static final Duration DELAY = Duration.standardSeconds(60);
  private static final Duration IDLE = Duration.standardSeconds(60);
  private static final long HOUR = 3_600_000L;
  private static final long NOW = 1_767_225_600_000L;
  private static final long LAG = 180_000L; // devices' readings reach Kafka 3 minutes late

  private final PartitionClocks.Group group = PartitionClocks.group(UUID.randomUUID().toString());

  private EventTimePolicy partition(String name, long createdMs) {
    return new EventTimePolicy(
        DELAY, IDLE, 24 * HOUR, 300_000L, group, name, Optional.empty(), createdMs);
  }

  private static byte[] payload(long eventMs) {
    return Telemetry.newBuilder().setDeviceId("d").setTimestampMs(eventMs).build().toByteArray();
  }

  @Test
  public void aCaughtUpReaderOfLaggingDataKeepsItsWatermarkBehindTheDataNotTheWallClock() {
    EventTimePolicy p = partition("t-0", NOW);
    for (long s = 0; s < 600; s++) { // 10 minutes, a reading a second, reader always caught up
      long wall = NOW + s * 1000;
      p.onRecord(payload(wall - LAG), wall, wall);
      Instant w = p.watermark(0, wall + 500);
      assertEquals(wall - LAG - DELAY.getMillis(), w.getMillis());
    }
  }

  @Test
  public void anIdlePartitionFollowsTheSlowestActiveOneInsteadOfTheWallClock() {
    EventTimePolicy busy = partition("t-0", NOW);
    EventTimePolicy quiet = partition("t-1", NOW);
    quiet.onRecord(payload(NOW - LAG), NOW, NOW);
    for (long s = 1; s <= 300; s++) {
      long wall = NOW + s * 1000;
      busy.onRecord(payload(wall - LAG), wall, wall);
      busy.watermark(0, wall);
      Instant w = quiet.watermark(0, wall);
      if (s * 1000 <= IDLE.getMillis()) {
        // silent, but not yet idle: holds at its own data
        assertEquals(NOW - LAG - DELAY.getMillis(), w.getMillis());
      } else {
        assertEquals("idle at " + s + " s", wall - LAG - DELAY.getMillis(), w.getMillis());
      }
    }
  }

  @Test
  public void alonePartitionThatFallsSilentLetsItsClockRunOnFromWhereItsDataLeftIt() {
    EventTimePolicy p = partition("t-0", NOW);
    p.onRecord(payload(NOW - LAG), NOW, NOW);
    assertEquals(NOW - LAG - DELAY.getMillis(), p.watermark(0, NOW + 30_000).getMillis());
    long later = NOW + IDLE.getMillis() + 120_000;
    // two minutes past the idle timeout, two minutes further, and still 3 minutes behind the wall
    assertEquals(NOW - LAG - DELAY.getMillis() + 120_000, p.watermark(0, later).getMillis());
    // a reader that is behind (backlog) is never idle: data is on its way
    EventTimePolicy behind = partition("t-9", NOW);
    behind.onRecord(payload(NOW - LAG), NOW, NOW);
    assertEquals(NOW - LAG - DELAY.getMillis(), behind.watermark(5, later).getMillis());
  }

  @Test
  public void whenTheWholeStreamIsQuietAPartitionWhoseLastDataWasOldFollowsTheMostAdvanced() {
    EventTimePolicy current = partition("t-0", NOW);
    EventTimePolicy uploaded = partition("t-1", NOW);
    current.onRecord(payload(NOW - LAG), NOW, NOW);
    uploaded.onRecord(payload(NOW - 20 * 60_000L), NOW, NOW); // a buffer 20 minutes old
    long later = NOW + IDLE.getMillis() + 30_000; // both idle now
    Instant lead = current.watermark(0, later);
    assertEquals(NOW - LAG - DELAY.getMillis() + 30_000, lead.getMillis());
    assertEquals(lead, uploaded.watermark(0, later));
  }

  @Test
  public void aNeverUsedPartitionFollowsActivePeersAndWithoutAnyFallsBackAfterTheIdleTimeout() {
    EventTimePolicy empty = partition("t-1", NOW);
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, empty.watermark(0, NOW + 1000));
    EventTimePolicy busy = partition("t-0", NOW);
    long wall = NOW + IDLE.getMillis() + 5000;
    busy.onRecord(payload(wall - LAG), wall, wall);
    busy.watermark(0, wall);
    assertEquals(wall - LAG - DELAY.getMillis(), empty.watermark(0, wall).getMillis());

    PartitionClocks.Group alone = PartitionClocks.group(UUID.randomUUID().toString());
    EventTimePolicy lonely =
        new EventTimePolicy(DELAY, IDLE, 24 * HOUR, 300_000L, alone, "t-2", Optional.empty(), NOW);
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, lonely.watermark(0, NOW + 59_000));
    assertEquals(
        NOW + 61_000 - DELAY.getMillis() - IDLE.getMillis(),
        lonely.watermark(0, NOW + 61_000).getMillis());
  }

  @Test
  public void neverMovesBackNorAheadOfTheWallClockAndRestartsFromTheCheckpointedWatermark() {
    EventTimePolicy p = partition("t-0", NOW);
    p.onRecord(payload(NOW + 200_000), NOW, NOW); // a device clock 200 s fast (plausible)
    assertEquals(NOW - DELAY.getMillis(), p.watermark(0, NOW).getMillis());
    p.onRecord(payload(NOW - 3_600_000), NOW, NOW); // an old one: late, no regression
    assertTrue(!p.watermark(0, NOW + 1).isBefore(new Instant(NOW - DELAY.getMillis())));

    Instant checkpointed = new Instant(NOW - LAG - DELAY.getMillis());
    EventTimePolicy restored =
        new EventTimePolicy(
            DELAY, IDLE, 24 * HOUR, 300_000L, group, "t-5", Optional.of(checkpointed), NOW);
    assertEquals(checkpointed, restored.watermark(0, NOW + 1000));
  }
}
