package org.iotbeam.domain.dedup;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

public class RecentReadingsTest {
  private record Entry(long hash, long ts) {}

  @Test
  public void behavesLikeAListOfRecentEntriesUnderRandomTraffic() {
    Random rnd = new Random(42);
    for (int round = 0; round < 20; round++) {
      RecentReadings r = new RecentReadings();
      List<Entry> model = new ArrayList<>(); // by event time, equal times in arrival order
      List<Entry> seen = new ArrayList<>();
      // few distinct hashes and times: many equal times, many same hashes at other times
      int hashes = 1 + rnd.nextInt(64);
      int disorder = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(100);
      long newest = 0;
      for (int i = 0; i < 20_000; i++) {
        int op = rnd.nextInt(10);
        if (op < 6 || seen.isEmpty()) { // a new reading, in time order or behind the newest
          newest += rnd.nextInt(3);
          long ts = disorder > 0 && rnd.nextInt(4) == 0 ? newest - rnd.nextInt(disorder) : newest;
          Entry e = new Entry(rnd.nextInt(hashes), ts);
          seen.add(e);
          boolean fresh = !model.contains(e);
          assertEquals(fresh, r.add(e.hash, e.ts));
          if (fresh) {
            insertByTime(model, e);
          }
        } else if (op < 9) { // a copy of something seen (same event time), remembered or not
          Entry e = seen.get(rnd.nextInt(seen.size()));
          boolean remembered = model.contains(e);
          assertEquals(remembered, r.contains(e.hash, e.ts));
          assertEquals(!remembered, r.add(e.hash, e.ts));
          if (!remembered) {
            insertByTime(model, e);
          }
        } else { // the watermark moves
          long cutoff = newest - rnd.nextInt(200);
          r.forgetUpTo(cutoff);
          model.removeIf(m -> m.ts <= cutoff);
        }
        assertEquals(model.size(), r.size());
        assertEquals(model.isEmpty() ? Long.MAX_VALUE : model.get(0).ts, r.oldestTimestampMs());
      }
      for (int k = 0; k < model.size(); k++) {
        assertEquals(model.get(k).hash, r.hash(k));
        assertEquals(model.get(k).ts, r.timestampMs(k));
      }
    }
  }

  private static void insertByTime(List<Entry> model, Entry e) {
    int at = model.size();
    while (at > 0 && model.get(at - 1).ts > e.ts) {
      at--;
    }
    model.add(at, e);
  }

  @Test
  public void theSameHashAtAnotherEventTimeIsNotACopy() {
    RecentReadings r = new RecentReadings();
    assertTrue(r.add(7, 100));
    assertFalse(r.add(7, 100));
    assertTrue(r.add(7, 101));
    assertTrue(r.add(7, 99));
    assertEquals(3, r.size());
  }

  @Test
  public void anEntryAddedOutOfOrderIsForgottenByItsOwnEventTime() {
    RecentReadings r = new RecentReadings();
    r.add(1, 100);
    r.add(2, 50); // older, arrived later
    assertEquals(50, r.oldestTimestampMs());
    r.forgetUpTo(60);
    assertFalse(r.contains(2, 50));
    assertTrue(r.contains(1, 100));
    assertEquals(100, r.oldestTimestampMs());
    r.forgetUpTo(100);
    assertFalse(r.contains(1, 100));
    assertTrue(r.isEmpty());
    assertEquals(Long.MAX_VALUE, r.oldestTimestampMs());
  }

  @Test
  public void aBufferUploadedNewestFirstIsRememberedWhole() {
    RecentReadings r = new RecentReadings();
    for (int i = 10_000; i > 0; i--) {
      assertTrue(r.add(i * 31L, i));
    }
    for (int i = 1; i <= 10_000; i++) {
      assertFalse(r.add(i * 31L, i));
      assertEquals(i, r.timestampMs(i - 1));
    }
  }

  @Test
  public void restoredFromItsEntriesItRemembersTheSameAndGoesOnAlike() {
    for (int n : new int[] {0, 1, 7, 8, 9, 100}) {
      RecentReadings r = new RecentReadings();
      for (int i = 0; i < n + 20; i++) {
        r.add(1000L * i, i);
      }
      r.forgetUpTo(19); // moved on: the entries no longer start at the front of the array
      RecentReadings back = RecentReadings.of(r.inTimeOrder());
      assertEquals(r, back);
      for (int i = 0; i < n + 20; i++) {
        assertEquals("n=" + n + " i=" + i, r.contains(1000L * i, i), back.contains(1000L * i, i));
      }
      for (int i = n + 20; i < n + 60; i++) { // grows from its restored size
        assertEquals(r.add(1000L * i, i), back.add(1000L * i, i));
      }
      r.forgetUpTo(n + 30);
      back.forgetUpTo(n + 30);
      assertEquals(r, back);
      assertEquals(r.oldestTimestampMs(), back.oldestTimestampMs());
    }
  }

  @Test
  public void entriesInArrivalOrderAreSortedWhenRestored() {
    // what a checkpoint of the ring in arrival order held: out of time order, a copy at the end
    RecentReadings back = RecentReadings.of(new long[] {1, 300, 2, 100, 3, 200, 2, 100});
    assertEquals(3, back.size());
    assertEquals(100, back.oldestTimestampMs());
    assertEquals(200, back.timestampMs(1));
    assertEquals(3, back.hash(1));
    assertEquals(300, back.timestampMs(2));
  }

  @Test
  public void writtenAndReadBackInBlocksAcrossTheBufferBoundaries() throws IOException {
    for (int n : new int[] {0, 1, 511, 512, 513, 1024, 1500}) {
      RecentReadings r = new RecentReadings();
      for (int i = 0; i < n + 100; i++) {
        r.add(i * 0x9E3779B97F4A7C15L, 10L * i);
      }
      r.forgetUpTo(10L * 99); // the entries no longer start at the front of the array
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      r.writeTo(new DataOutputStream(bytes));
      assertEquals(16 * n, bytes.size());
      ByteBuffer written = ByteBuffer.wrap(bytes.toByteArray()); // big-endian pairs, oldest first
      for (int k = 0; k < n; k++) {
        assertEquals(r.hash(k), written.getLong());
        assertEquals(r.timestampMs(k), written.getLong());
      }
      RecentReadings back =
          RecentReadings.readFrom(
              new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), n);
      assertEquals("n=" + n, r, back);
      for (int i = n + 100; i < 2 * n + 300; i++) { // grows past the room it was restored with
        assertTrue(back.add(i * 0x9E3779B97F4A7C15L, 10L * i));
        assertFalse(back.add(i * 0x9E3779B97F4A7C15L, 10L * i));
      }
      assertEquals(2 * n + 200, back.size());
      assertTrue(back.contains(100 * 0x9E3779B97F4A7C15L, 1000));
    }
  }
}
