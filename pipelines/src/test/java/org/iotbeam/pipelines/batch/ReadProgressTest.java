package org.iotbeam.pipelines.batch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.TreeMap;
import org.junit.Test;

public class ReadProgressTest {
  @Test
  public void saysHowFarAndHowLongStillToGo() {
    TreeMap<Long, Integer> perHour = new TreeMap<>();
    perHour.put(0L, 2);
    perHour.put(3_600_000L, 2);
    ReadProgress p = new ReadProgress(new ReadProgress.Plan(4, 400L << 20, perHour), 0);
    p.fileRead(0, 100L << 20, 1000);
    p.fileRead(0, 100L << 20, 1500);
    assertFalse(p.done());
    // half the bytes in 40 s: 40 s to go
    assertEquals(
        "backfill [r): read 2/4 files (50% of 400.0 MiB), 2,500 messages, 1/2 ingest "
            + "hours done, 40s elapsed, reading ETA 40s (this JVM)",
        p.line("[r)", 40_000_000_000L));
    p.fileRead(3_600_000L, 100L << 20, 1);
    p.fileRead(3_600_000L, 100L << 20, 1);
    assertTrue(p.done());
    assertEquals(
        "backfill [r): read 4/4 files (100% of 400.0 MiB), 2,502 messages, 2/2 ingest "
            + "hours done, 1h01m elapsed, reading ETA 0s (this JVM)",
        p.line("[r)", 3_660_000_000_000L));
  }
}
