package org.iotbeam.domain.dedup;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;

/**
 * The readings one device sent lately, by 64-bit content hash and event time: what de-duplication
 * remembers of a device. A reading is a copy when both match (a copy carries its original's event
 * time), so a distinct reading is mistaken for a copy only if it has the same millisecond and a
 * 64-bit collision with one of the device's own recent readings.
 *
 * <p>Entries are kept sorted by event time in one array, with no index: a lookup is a binary search
 * for the event time, forgetting drops a prefix ({@link #forgetUpTo}), and a device's readings
 * mostly arrive in time order, so adding is mostly an append. A reading older than the newest is
 * inserted in place, which moves the entries newer than it.
 *
 * <p>Why this layout: the entries are most of a stream's state, and after each checkpoint Flink's
 * heap backend copies every device's state through its coder, on the thread that processes
 * readings. One sorted array of 16-byte entries copies as one block, with no index to rebuild; the
 * previous ring of 128-bit hashes with a hash index took four times as long. The same copy is why
 * {@link #writeTo(DataOutput)} and {@link #readFrom} go through a small buffer and restore into an
 * array with half as much room again, not twice: a copy that allocates three or four times the
 * entries' size per device is a burst of garbage at every checkpoint.
 */
public final class RecentReadings implements Serializable {
  private static final int MIN_CAPACITY = 8;
  private static final int STRIDE = 2; // hash, event time
  private static final int ENTRY_BYTES = STRIDE * Long.BYTES;
  private static final int CHUNK_ENTRIES = 512; // 8 KiB through the buffer at a time

  // entries first..end-1 (in units of entries) sorted by event time, entry k at k * STRIDE
  private long[] entries;
  private int first;
  private int end;

  public RecentReadings() {
    this(new long[MIN_CAPACITY * STRIDE], 0);
  }

  private RecentReadings(long[] entries, int size) {
    this.entries = entries;
    this.end = size;
  }

  /**
   * Restores what {@link #inTimeOrder()} returned: hash and event time of each entry. Entries out
   * of time order (a checkpoint of the arrival-ordered layout) are sorted, and copies among them
   * dropped, the first kept.
   */
  public static RecentReadings of(long[] pairs) {
    if (pairs.length % STRIDE != 0) {
      throw new IllegalArgumentException(
          "entries come in pairs (hash, event time): " + pairs.length);
    }
    return read(LongBuffer.wrap(pairs), pairs.length / STRIDE);
  }

  /** Reads {@code n} entries, as {@link #writeTo(DataOutput)} wrote them. */
  public static RecentReadings readFrom(DataInput in, int n) throws IOException {
    long[] entries = new long[capacityToRestore(n) * STRIDE];
    byte[] chunk = new byte[Math.min(n, CHUNK_ENTRIES) * ENTRY_BYTES];
    LongBuffer longs = ByteBuffer.wrap(chunk).asLongBuffer();
    for (int k = 0; k < n; ) {
      int m = Math.min(n - k, CHUNK_ENTRIES);
      in.readFully(chunk, 0, m * ENTRY_BYTES);
      longs.clear();
      longs.get(entries, k * STRIDE, m * STRIDE);
      k += m;
    }
    return sortedIfNeeded(entries, n);
  }

  private static RecentReadings read(LongBuffer in, int n) {
    long[] entries = new long[capacityToRestore(n) * STRIDE];
    in.get(entries, 0, n * STRIDE);
    return sortedIfNeeded(entries, n);
  }

  private static RecentReadings sortedIfNeeded(long[] entries, int n) {
    for (int k = 1; k < n; k++) {
      if (entries[k * STRIDE + 1] < entries[(k - 1) * STRIDE + 1]) {
        RecentReadings sorted = new RecentReadings();
        for (int j = 0; j < n; j++) {
          sorted.add(entries[j * STRIDE], entries[j * STRIDE + 1]);
        }
        return sorted;
      }
    }
    return new RecentReadings(entries, n);
  }

  /** Hash and event time of each entry, oldest first. */
  public long[] inTimeOrder() {
    long[] out = new long[size() * STRIDE];
    System.arraycopy(entries, first * STRIDE, out, 0, out.length);
    return out;
  }

  /**
   * Writes hash and event time of each entry, oldest first, big-endian: {@code 16 * size()} bytes.
   */
  public void writeTo(DataOutput out) throws IOException {
    byte[] chunk = new byte[Math.min(size(), CHUNK_ENTRIES) * ENTRY_BYTES];
    LongBuffer longs = ByteBuffer.wrap(chunk).asLongBuffer();
    for (int k = first; k < end; ) {
      int m = Math.min(end - k, CHUNK_ENTRIES);
      longs.clear();
      longs.put(entries, k * STRIDE, m * STRIDE);
      out.write(chunk, 0, m * ENTRY_BYTES);
      k += m;
    }
  }

  /**
   * Remembers a reading; false if it was already remembered (a copy), which leaves it unchanged.
   */
  public boolean add(long hash, long timestampMs) {
    int at;
    if (first == end || timestampMs > time(end - 1)) {
      at = end; // in time order: the usual case
    } else {
      at = firstAfter(timestampMs);
      for (int k = at - 1; k >= first && time(k) == timestampMs; k--) {
        if (entries[k * STRIDE] == hash) {
          return false;
        }
      }
    }
    if (end * STRIDE == entries.length) {
      int moved = first;
      makeRoom(); // moves the entries to the front
      at -= moved;
    }
    if (at < end) {
      System.arraycopy(entries, at * STRIDE, entries, (at + 1) * STRIDE, (end - at) * STRIDE);
    }
    entries[at * STRIDE] = hash;
    entries[at * STRIDE + 1] = timestampMs;
    end++;
    return true;
  }

  public boolean contains(long hash, long timestampMs) {
    for (int k = firstAfter(timestampMs) - 1; k >= first && time(k) == timestampMs; k--) {
      if (entries[k * STRIDE] == hash) {
        return true;
      }
    }
    return false;
  }

  /** Forgets the entries whose event time is at most {@code cutoffMs}. */
  public void forgetUpTo(long cutoffMs) {
    if (first == end || time(first) > cutoffMs) {
      return; // nothing old enough: the usual case when called per reading
    }
    first = firstAfter(cutoffMs);
    if (first == end) {
      first = 0;
      end = 0;
    }
  }

  public int size() {
    return end - first;
  }

  public boolean isEmpty() {
    return first == end;
  }

  /** Event time of the oldest entry (the next {@link #forgetUpTo} removes); MAX_VALUE if none. */
  public long oldestTimestampMs() {
    return isEmpty() ? Long.MAX_VALUE : time(first);
  }

  /** The {@code k}-th entry by event time (0 = oldest). */
  public long hash(int k) {
    return entries[at(k)];
  }

  public long timestampMs(int k) {
    return entries[at(k) + 1];
  }

  private int at(int k) {
    if (k < 0 || k >= size()) {
      throw new IndexOutOfBoundsException(k + " of " + size());
    }
    return (first + k) * STRIDE;
  }

  private long time(int k) {
    return entries[k * STRIDE + 1];
  }

  /** The first entry newer than {@code timestampMs}, or {@code end}. */
  private int firstAfter(long timestampMs) {
    int lo = first;
    int hi = end;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (time(mid) <= timestampMs) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Moves the entries to the front: in place while that frees a quarter of the array at least, else
   * into an array twice their number at least (smaller, too, after most were forgotten).
   */
  private void makeRoom() {
    int size = size();
    int capacity = entries.length / STRIDE;
    int wanted = capacityFor(size + 1);
    boolean inPlace = size + 1 <= capacity - capacity / 4 && wanted >= capacity / 2;
    long[] target = inPlace ? entries : new long[wanted * STRIDE];
    System.arraycopy(entries, first * STRIDE, target, 0, size * STRIDE);
    entries = target;
    end = size;
    first = 0;
  }

  /** A power of two at least twice {@code n}: room to append as many again before moving. */
  private static int capacityFor(int n) {
    return Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, n)) << 1);
  }

  /**
   * Room for half as many again as a restored device's {@code n} entries: de-duplication forgets
   * every half horizon, so a device holds between one and one and a half horizons of entries.
   */
  private static int capacityToRestore(int n) {
    return n + Math.max(MIN_CAPACITY, n / 2);
  }

  @Override
  public String toString() {
    return "RecentReadings{size=" + size() + ", capacity=" + entries.length / STRIDE + "}";
  }

  /** Equal when they remember the same entries. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RecentReadings)) {
      return false;
    }
    RecentReadings r = (RecentReadings) o;
    return java.util.Arrays.equals(
        entries, first * STRIDE, end * STRIDE, r.entries, r.first * STRIDE, r.end * STRIDE);
  }

  @Override
  public int hashCode() {
    long h = size();
    for (int k = first; k < end; k++) {
      h = h * 31 + entries[k * STRIDE];
    }
    return Long.hashCode(h);
  }
}
