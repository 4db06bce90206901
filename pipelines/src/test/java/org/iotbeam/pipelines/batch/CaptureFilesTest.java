package org.iotbeam.pipelines.batch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.Test;

public class CaptureFilesTest {
  @Test
  public void enqueuedTimeInCapturesFormatAndInIso() {
    long t = Instant.parse("2026-11-20T22:07:31Z").toEpochMilli();
    assertEquals(t, CaptureFiles.enqueuedTime("11/20/2026 10:07:31 PM"));
    assertEquals(t + 250, CaptureFiles.enqueuedTime("11/20/2026 10:07:31.25 PM"));
    assertEquals(t - 12 * 3_600_000L, CaptureFiles.enqueuedTime("11/20/2026 10:07:31 AM"));
    assertEquals(t, CaptureFiles.enqueuedTime("2026-11-20T22:07:31Z"));
    assertEquals(t + 123, CaptureFiles.enqueuedTime("2026-11-20T22:07:31.123"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CaptureFiles.enqueuedTime("yesterday"));
    assertThat(e.getMessage(), containsString("EnqueuedTimeUtc 'yesterday'"));
  }

  @Test
  public void theEventHubPartitionAndWindowComeFromThePath() {
    CaptureFiles.Location l =
        CaptureFiles.locate("azfs://acct/capture/ns/telemetry/3/2026/11/20/09/58/00.avro");
    assertEquals(
        new CaptureFiles.Location(
            "telemetry", 3, Instant.parse("2026-11-20T09:58:00Z").toEpochMilli()),
        l);
    assertEquals(
        Instant.parse("2026-11-20T09:00:00Z").toEpochMilli(),
        ArchiveFormat.CAPTURE.hourOf("/c/ns/telemetry/3/2026/11/20/09/58/00.avro"));
    assertThrows(
        IllegalArgumentException.class,
        () -> CaptureFiles.locate("/c/ns/telemetry/x/2026/11/20/09/58/00.avro"));
    assertEquals(-1, ArchiveFormat.CAPTURE.hourOf("/c/raw/dt=2026-11-20/hour=09/a.pb.gz"));
  }

  @Test
  public void captureListsTheHourBeforeTheSpanToo() {
    ArchiveRange r = ArchiveRange.parse("2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z", 300_000L);
    ReadSpan span = ReadSpan.forRange(r, 0, 0, 0, 0, 0, 0);
    assertEquals(
        List.of("/c/ns/hub/*/2026/11/20/09/*/*.avro", "/c/ns/hub/*/2026/11/20/10/*/*.avro"),
        ArchiveFormat.CAPTURE.patterns("/c/ns/hub", span));
    assertEquals(
        List.of("/r/dt=2026-11-20/hour=10/*.pb.gz"), ArchiveFormat.RAW.patterns("/r/", span));
  }
}
