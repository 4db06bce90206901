package org.iotbeam.pipelines.common;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Optional;
import org.joda.time.Duration;
import org.junit.Test;

public class HourAlignedTest {
  @Test
  public void minutesThatTileAnHourPass() {
    for (int m : new int[] {1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60}) {
      assertEquals("" + m, Optional.empty(), HourAligned.problem("--w", m));
    }
  }

  @Test
  public void otherMinutesNameTheFlagAndValue() {
    for (Integer m : new Integer[] {null, -5, 0, 7, 25, 90, 120}) {
      assertEquals(
          Optional.of(
              "--w must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60), " + "was " + m),
          HourAligned.problem("--w", m));
    }
  }

  @Test
  public void durationsBelowAMinuteCountToo() {
    assertTrue(HourAligned.divides(Duration.standardSeconds(30)));
    assertFalse(HourAligned.divides(Duration.standardSeconds(7)));
    assertFalse(HourAligned.divides(Duration.ZERO));
    assertFalse(HourAligned.divides(Duration.standardHours(2)));
  }
}
