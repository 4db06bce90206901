package org.iotbeam.runners.demo;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** When the demo expects its last window to close: by the idle partitions' rule, not the clock. */
public class LastWindowCloseTest {
  private static final long MARGIN_MS =
      (Demo.MAX_OUT_OF_ORDER_SECONDS + Demo.IDLE_PARTITION_SECONDS + 5) * 1000L;

  @Test
  public void inputOnScheduleClosesTheWindowTheDelaysAfterItsEnd() {
    // the last reading stamped 12:00:40 arrives at 12:00:40: the 12:01 window closes at 12:01 plus
    // the delays
    long noon = 1_796_040_000_000L;
    long arrival = noon + 40_000;
    assertEquals(
        noon + 60_000 + MARGIN_MS, Demo.lastWindowClosesAt(arrival, arrival, noon + 60_000));
  }

  @Test
  public void inputBehindItsScheduleClosesTheWindowThatMuchLater() {
    // a simulator 30 s behind its schedule: the reading stamped 12:00:40 arrives at 12:01:10; its
    // partition's clock runs from 12:00:40 once idle, so the window closes 30 s after it would on
    // schedule (the wall-clock rule waited 30 s too little and judged an open window)
    long noon = 1_796_040_000_000L;
    assertEquals(
        noon + 90_000 + MARGIN_MS,
        Demo.lastWindowClosesAt(noon + 70_000, noon + 40_000, noon + 60_000));
  }
}
