package org.iotbeam.domain.dedup;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

public class RecentReadingsTest {
  private record Entry(long hi, long lo, long ts) {}

  @Test
  public void behavesLikeAListOfRecentEntriesUnderRandomTraffic() {
    Random rnd = new Random(42);
    for (int round = 0; round < 20; round++) {
      RecentReadings r = new RecentReadings();
      ArrayDeque<Entry> model = new ArrayDeque<>();
      List<Entry> seen = new ArrayList<>();
      // few distinct top bits in the low half: long probe runs, many shifted slots
      int fragments = 1 + rnd.nextInt(8);
      long ts = 0;
      for (int i = 0; i < 20_000; i++) {
        int op = rnd.nextInt(10);
        if (op < 6 || seen.isEmpty()) { // a new reading
          ts += rnd.nextInt(3);
          Entry e =
              new Entry(
                  rnd.nextLong(),
                  (long) rnd.nextInt(fragments) << 32 | (rnd.nextInt() & 0xffffffffL),
                  ts);
          seen.add(e);
          boolean fresh = model.stream().noneMatch(m -> m.hi == e.hi && m.lo == e.lo);
          assertEquals(fresh, r.add(e.hi, e.lo, e.ts));
          if (fresh) {
            model.addLast(e);
          }
        } else if (op < 9) { // a copy of something seen, remembered or not
          Entry e = seen.get(rnd.nextInt(seen.size()));
          boolean remembered = model.stream().anyMatch(m -> m.hi == e.hi && m.lo == e.lo);
          assertEquals(remembered, r.contains(e.hi, e.lo));
          assertEquals(!remembered, r.add(e.hi, e.lo, ts));
          if (!remembered) {
            model.addLast(new Entry(e.hi, e.lo, ts));
          }
        } else { // the watermark moves
          long cutoff = ts - rnd.nextInt(200);
          r.forgetUpTo(cutoff);
          while (!model.isEmpty() && model.peekFirst().ts <= cutoff) {
            model.removeFirst();
          }
        }
        assertEquals(model.size(), r.size());
      }
      int k = 0;
      for (Entry m : model) {
        assertEquals(m.hi, r.hashHi(k));
        assertEquals(m.lo, r.hashLo(k));
        assertEquals(m.ts, r.timestampMs(k));
        k++;
      }
    }
  }

  @Test
  public void anEntryAddedOutOfOrderIsForgottenWithTheOneBeforeIt() {
    RecentReadings r = new RecentReadings();
    r.add(1, 1, 100);
    r.add(2, 2, 50); // older, arrived later
    r.forgetUpTo(60);
    assertTrue(r.contains(2, 2)); // still behind 100
    assertEquals(100, r.oldestTimestampMs());
    r.forgetUpTo(100);
    assertFalse(r.contains(1, 1));
    assertFalse(r.contains(2, 2));
    assertTrue(r.isEmpty());
    assertEquals(Long.MAX_VALUE, r.oldestTimestampMs());
  }

  @Test
  public void restoredFromItsEntriesItRemembersTheSameAndGoesOnAlike() {
    for (int n : new int[] {0, 1, 7, 8, 9, 100}) {
      RecentReadings r = new RecentReadings();
      for (int i = 0; i < n + 20; i++) {
        r.add(i, 1000L * i, i);
      }
      r.forgetUpTo(19); // the ring has moved on: it may wrap around its end
      RecentReadings back = RecentReadings.of(r.inArrivalOrder());
      assertEquals(r, back);
      for (int i = 0; i < n + 20; i++) {
        assertEquals("n=" + n + " i=" + i, r.contains(i, 1000L * i), back.contains(i, 1000L * i));
      }
      for (int i = n + 20; i < n + 60; i++) { // grows from its restored size
        assertEquals(r.add(i, 1000L * i, i), back.add(i, 1000L * i, i));
      }
      r.forgetUpTo(n + 30);
      back.forgetUpTo(n + 30);
      assertEquals(r, back);
      assertEquals(r.oldestTimestampMs(), back.oldestTimestampMs());
    }
  }
}
