package org.iotbeam.pipelines.batch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.junit.Test;

public class ArchiveRangeTest {
  private static final long FIVE_MIN = 300_000L;

  @Test
  public void datesAndInstantsGiveTheHoursOfTheRange() {
    ArchiveRange r = ArchiveRange.parse("2026-11-20T22:00:00Z", "2026-11-21T01:30:00Z", FIVE_MIN);
    assertEquals(
        List.of(
            hour("2026-11-20T22"),
            hour("2026-11-20T23"),
            hour("2026-11-21T00"),
            hour("2026-11-21T01")),
        r.hours());
    assertEquals("20261120T2200Z-20261121T0130Z", r.stamp());
    assertEquals(
        List.of(hour("2026-11-20T22")),
        ArchiveRange.parse("2026-11-20T22:00:00Z", "2026-11-20T22:05:00Z", FIVE_MIN).hours());
    assertEquals(24, ArchiveRange.parse("2026-11-20", "2026-11-21", FIVE_MIN).hours().size());
  }

  static long hour(String h) {
    return java.time.Instant.parse(h + ":00:00Z").toEpochMilli();
  }

  @Test
  public void badFlagsSayWhatToFix() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ArchiveRange.parse("2026-11-21", "2026-11-20", FIVE_MIN));
    assertThat(e.getMessage(), containsString("--from (2026-11-21T00:00:00Z) must be before --to"));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> ArchiveRange.parse("yesterday", "", FIVE_MIN));
    assertThat(e.getMessage(), containsString("--from=yesterday is neither an ISO-8601 instant"));
    assertThat(e.getMessage(), containsString("--to is required"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ArchiveRange.parse("2026-11-20T10:02:00Z", "2026-11-20T11:00:00Z", FIVE_MIN));
    assertThat(e.getMessage(), containsString("use 2026-11-20T10:00:00Z or 2026-11-20T10:05:00Z"));
  }

  @Test
  public void partitionOfAPath() {
    assertEquals(
        java.time.Instant.parse("2026-11-20T23:00:00Z").toEpochMilli(),
        ArchiveRange.partitionStartOf("azfs://a/c/raw/dt=2026-11-20/hour=23/x.pb.gz"));
    assertEquals(-1, ArchiveRange.partitionStartOf("/tmp/x.pb.gz"));
  }
}
