package org.iotbeam.domain.stats;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.iotbeam.domain.Metric;
import org.iotbeam.domain.stats.DeviceWindows.Admission;
import org.junit.Test;

/** A device's windows against a watermark it learns from timers: on time, late, expired. */
public class DeviceWindowsTest {
  private static final long MIN = 60_000L;
  private static final TumblingWindows FIVE_MIN_TEN_LATE = new TumblingWindows(5 * MIN, 10 * MIN);

  private static DeviceSample at(long ts, double temperature) {
    return new DeviceSample(
        ts, 1 << Metric.TEMPERATURE.ordinal(), values(temperature), "sensor", "site");
  }

  private static double[] values(double temperature) {
    double[] v = new double[Metric.values().length];
    v[Metric.TEMPERATURE.ordinal()] = temperature;
    return v;
  }

  private static long count(DeviceWindows.Window w) {
    return w.stats().of(Metric.TEMPERATURE).count();
  }

  @Test
  public void windowsShareTheArithmeticOfBeamsFixedWindows() {
    assertEquals(0, FIVE_MIN_TEN_LATE.startOf(5 * MIN - 1));
    assertEquals(5 * MIN, FIVE_MIN_TEN_LATE.startOf(5 * MIN));
    assertEquals(-5 * MIN, FIVE_MIN_TEN_LATE.startOf(-1)); // before the epoch too
    assertEquals(5 * MIN - 1, FIVE_MIN_TEN_LATE.lastInstant(0));
    assertEquals(15 * MIN - 1, FIVE_MIN_TEN_LATE.expiresAfter(0));
  }

  @Test
  public void readingsGoToTheirWindowsInAnyOrderAndTheEarliestDueComesFirst() {
    DeviceWindows d = new DeviceWindows();
    d.add(at(6 * MIN, 1), FIVE_MIN_TEN_LATE);
    d.add(at(MIN, 2), FIVE_MIN_TEN_LATE); // an older window, arriving second
    DeviceWindows.Window w = d.add(at(7 * MIN, 3), FIVE_MIN_TEN_LATE);
    assertEquals(Admission.OPEN, DeviceWindows.admission(w));
    assertEquals(List.of(0L, 5 * MIN), d.windows().stream().map(x -> x.startMs()).toList());
    assertEquals(2, count(d.windows().get(1)));
    assertEquals(5 * MIN - 1, d.nextDue(FIVE_MIN_TEN_LATE));
  }

  @Test
  public void theWatermarkPastAWindowsLastInstantHandsItOnOnceThenLateReadingsAreLate() {
    DeviceWindows d = new DeviceWindows();
    d.add(at(MIN, 10), FIVE_MIN_TEN_LATE);
    d.add(at(6 * MIN, 20), FIVE_MIN_TEN_LATE);
    List<Long> handedOn = new ArrayList<>();
    d.advanceTo(5 * MIN - 2, FIVE_MIN_TEN_LATE, w -> handedOn.add(w.startMs()));
    assertEquals("not yet past the last instant", List.of(), handedOn);
    d.advanceTo(5 * MIN - 1, FIVE_MIN_TEN_LATE, w -> handedOn.add(w.startMs()));
    d.advanceTo(5 * MIN, FIVE_MIN_TEN_LATE, w -> handedOn.add(w.startMs()));
    assertEquals("once", List.of(0L), handedOn);
    // next due: the first window's expiry is later than the second's end
    assertEquals(10 * MIN - 1, d.nextDue(FIVE_MIN_TEN_LATE));

    DeviceWindows.Window late = d.add(at(2 * MIN, 30), FIVE_MIN_TEN_LATE);
    assertEquals(Admission.LATE, DeviceWindows.admission(late));
    assertEquals(2, count(late));
    assertEquals(Admission.OPEN, DeviceWindows.admission(d.add(at(7 * MIN, 5), FIVE_MIN_TEN_LATE)));
  }

  @Test
  public void aWindowPastItsAllowedLatenessIsForgottenAndRefusesReadings() {
    DeviceWindows d = new DeviceWindows();
    d.add(at(MIN, 10), FIVE_MIN_TEN_LATE);
    List<Long> handedOn = new ArrayList<>();
    // a watermark jump past end + lateness: handed on first, then forgotten
    d.advanceTo(15 * MIN - 1, FIVE_MIN_TEN_LATE, w -> handedOn.add(w.startMs()));
    assertEquals(List.of(0L), handedOn);
    assertEquals(0, d.windows().size());
    assertNull(d.add(at(4 * MIN, 1000), FIVE_MIN_TEN_LATE));
    assertEquals(Admission.EXPIRED, DeviceWindows.admission(null));
    assertEquals(Long.MAX_VALUE, d.nextDue(FIVE_MIN_TEN_LATE));
    // one instant earlier it would still have been taken, late
    DeviceWindows e = new DeviceWindows();
    e.advanceTo(15 * MIN - 2, FIVE_MIN_TEN_LATE, w -> {});
    assertEquals(Admission.LATE, DeviceWindows.admission(e.add(at(4 * MIN, 1), FIVE_MIN_TEN_LATE)));
  }

  @Test
  public void aWatermarkLearntFromAnotherTimerJudgesReadingsButHandsNothingOn() {
    DeviceWindows d = new DeviceWindows();
    DeviceWindows.Window open = d.add(at(MIN, 10), FIVE_MIN_TEN_LATE);
    d.learnWatermarkPast(20 * MIN);
    assertEquals(1, d.windows().size()); // its own timer hands it on, at its last instant
    assertNull("its lateness ran out", d.add(at(2 * MIN, 1), FIVE_MIN_TEN_LATE));
    assertSame(open, d.windows().get(0));
    assertEquals(1, count(open));
    assertNull("a new window long expired", d.add(at(-10 * MIN, 1), FIVE_MIN_TEN_LATE));
    assertEquals(
        "a new window past its end",
        Admission.LATE,
        DeviceWindows.admission(d.add(at(16 * MIN, 1), FIVE_MIN_TEN_LATE)));
    List<Long> handedOn = new ArrayList<>();
    d.advanceTo(5 * MIN - 1, FIVE_MIN_TEN_LATE, w -> handedOn.add(w.startMs()));
    assertEquals(List.of(0L), handedOn);
    assertEquals("expired by what was learnt", 1, d.windows().size());
  }
}
