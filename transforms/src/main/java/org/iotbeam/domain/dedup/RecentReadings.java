package org.iotbeam.domain.dedup;

import java.io.Serializable;

/**
 * The readings one device sent lately, by 128-bit content hash: what de-duplication remembers of a
 * device. Entries are kept in arrival order with their event time, so the oldest are forgotten
 * first ({@link #forgetUpTo}); membership goes through an open-addressing index. Adding, testing
 * and forgetting are O(1) amortized, whatever the number of entries.
 *
 * <p>An entry that arrived out of order, older than an entry before it, is forgotten when that one
 * is: at most as late as the disorder, never earlier than asked. Remembering a reading longer only
 * drops more true copies (the hash covers device, event time and every value).
 */
public final class RecentReadings implements Serializable {
  private static final int MIN_CAPACITY = 8;
  private static final int STRIDE = 3; // high 64 bits, low 64 bits, event time

  // a ring in arrival order, entry k (0 = oldest) at ((head + k) & (capacity - 1)) * STRIDE: one
  // entry's fields share a cache line
  private long[] entries = new long[MIN_CAPACITY * STRIDE];
  private int head;
  private int size;
  // linear probing over twice the ring's capacity; a slot holds the top 32 bits of the entry's
  // low hash (which also choose its home slot) and its ring position + 1, 0 when free: probing
  // and moving slots never reads the ring
  private long[] index = new long[2 * MIN_CAPACITY];

  private int capacity() {
    return entries.length / STRIDE;
  }

  /**
   * Restores what {@link #inArrivalOrder()} returned: high hash, low hash and event time of each
   * entry, oldest first. A checkpoint copies and restores every device's entries, so this builds
   * the ring and its index once at their final size instead of entry by entry.
   */
  public static RecentReadings of(long[] inArrivalOrder) {
    if (inArrivalOrder.length % STRIDE != 0) {
      throw new IllegalArgumentException(
          "entries come in threes (hash high, hash low, event time): " + inArrivalOrder.length);
    }
    int n = inArrivalOrder.length / STRIDE;
    RecentReadings r = new RecentReadings();
    int capacity = Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, n - 1)) << 1);
    r.entries = new long[capacity * STRIDE];
    System.arraycopy(inArrivalOrder, 0, r.entries, 0, inArrivalOrder.length);
    r.size = n;
    r.index = new long[2 * capacity];
    for (int k = 0; k < n; k++) {
      r.insertIndex(r.entries[k * STRIDE + 1], k);
    }
    return r;
  }

  /** High hash, low hash and event time of each entry, oldest first: for a coder. */
  public long[] inArrivalOrder() {
    long[] out = new long[size * STRIDE];
    int firstRun = Math.min(size, capacity() - head); // the ring may wrap around its end
    System.arraycopy(entries, head * STRIDE, out, 0, firstRun * STRIDE);
    System.arraycopy(entries, 0, out, firstRun * STRIDE, (size - firstRun) * STRIDE);
    return out;
  }

  /**
   * Remembers a reading; false if it was already remembered (a copy), which leaves it unchanged.
   */
  public boolean add(long hi, long lo, long timestampMs) {
    if (contains(hi, lo)) {
      return false;
    }
    if (size == capacity()) {
      grow();
    }
    int pos = (head + size) & (capacity() - 1);
    entries[pos * STRIDE] = hi;
    entries[pos * STRIDE + 1] = lo;
    entries[pos * STRIDE + 2] = timestampMs;
    size++;
    insertIndex(lo, pos);
    return true;
  }

  public boolean contains(long hi, long lo) {
    int mask = index.length - 1;
    long fragment = lo >>> 32;
    for (int slot = (int) fragment & mask; index[slot] != 0; slot = (slot + 1) & mask) {
      long e = index[slot];
      if (e >>> 32 == fragment) {
        int at = ((int) e - 1) * STRIDE;
        if (entries[at + 1] == lo && entries[at] == hi) {
          return true;
        }
      }
    }
    return false;
  }

  /** Forgets the oldest entries while their event time is at most {@code cutoffMs}. */
  public void forgetUpTo(long cutoffMs) {
    int ringMask = capacity() - 1;
    while (size > 0 && entries[head * STRIDE + 2] <= cutoffMs) {
      removeIndex(entries[head * STRIDE + 1], head);
      head = (head + 1) & ringMask;
      size--;
    }
    if (size == 0) {
      head = 0;
    }
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Event time of the oldest entry (the next {@link #forgetUpTo} removes); MAX_VALUE if none. */
  public long oldestTimestampMs() {
    return size == 0 ? Long.MAX_VALUE : entries[head * STRIDE + 2];
  }

  /** The {@code k}-th entry in arrival order (0 = oldest): for a coder. */
  public long hashHi(int k) {
    return entries[at(k)];
  }

  public long hashLo(int k) {
    return entries[at(k) + 1];
  }

  public long timestampMs(int k) {
    return entries[at(k) + 2];
  }

  private int at(int k) {
    if (k < 0 || k >= size) {
      throw new IndexOutOfBoundsException(k + " of " + size);
    }
    return ((head + k) & (capacity() - 1)) * STRIDE;
  }

  private void grow() {
    int capacity = capacity() * 2;
    long[] bigger = new long[capacity * STRIDE];
    for (int k = 0; k < size; k++) {
      System.arraycopy(
          entries, ((head + k) & (capacity() - 1)) * STRIDE, bigger, k * STRIDE, STRIDE);
    }
    entries = bigger;
    head = 0;
    index = new long[2 * capacity];
    for (int k = 0; k < size; k++) {
      insertIndex(entries[k * STRIDE + 1], k);
    }
  }

  private void insertIndex(long lo, int pos) {
    int mask = index.length - 1;
    long fragment = lo >>> 32;
    int slot = (int) fragment & mask;
    while (index[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    index[slot] = fragment << 32 | (pos + 1);
  }

  /** Backward-shift deletion: linear probing stays tombstone-free. */
  private void removeIndex(long lo, int pos) {
    int mask = index.length - 1;
    int slot = (int) (lo >>> 32) & mask;
    while ((int) index[slot] != pos + 1) {
      slot = (slot + 1) & mask;
    }
    int gap = slot;
    for (int next = (gap + 1) & mask; index[next] != 0; next = (next + 1) & mask) {
      int home = (int) (index[next] >>> 32) & mask;
      // move the slot back into the gap unless its home lies cyclically in (gap, next]
      boolean homeBetween =
          gap <= next ? (home > gap && home <= next) : (home > gap || home <= next);
      if (!homeBetween) {
        index[gap] = index[next];
        gap = next;
      }
    }
    index[gap] = 0;
  }

  @Override
  public String toString() {
    return "RecentReadings{size=" + size + ", capacity=" + capacity() + "}";
  }

  /** Equal when they remember the same entries in the same order. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RecentReadings)) {
      return false;
    }
    RecentReadings r = (RecentReadings) o;
    if (r.size != size) {
      return false;
    }
    for (int k = 0; k < size; k++) {
      if (hashHi(k) != r.hashHi(k)
          || hashLo(k) != r.hashLo(k)
          || timestampMs(k) != r.timestampMs(k)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    long h = size;
    for (int k = 0; k < size; k++) {
      h = h * 31 + hashLo(k);
    }
    return Long.hashCode(h);
  }
}
