package org.iotbeam.transforms;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * What Flink's heap backend does to every device's state after a checkpoint, on the thread that
 * processes readings: a copy through the state's coder (Beam's {@code CoderTypeSerializer.copy} is
 * {@link CoderUtils#clone}). Prints the time to copy all devices, min / median / max of 20 rounds
 * after 5 unmeasured ones. Not a test: a figure to compare state layouts by.
 *
 * <p>{@code DEVICES=1000 ENTRIES=7500 runners/scripts/state-copy-benchmark.sh}
 *
 * <p>7,500 entries: the 10-minute de-duplication horizon, swept every half horizon, at 10 readings
 * a second per device (the streaming benchmark's 10,000 msg/s over 1,000 devices).
 */
public final class DeviceStateCopyBenchmark {
  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int entries = args.length > 1 ? Integer.parseInt(args[1]) : 7500;
    DeviceTimelineState[] states = new DeviceTimelineState[devices];
    Random random = new Random(1);
    for (int d = 0; d < devices; d++) {
      states[d] = new DeviceTimelineState();
      for (int i = 0; i < entries; i++) {
        states[d].recent.add(random.nextLong(), 100L * i);
      }
    }
    List<Long> millis = new ArrayList<>();
    // the garbage a copy leaves is the steadier figure: the time swings with the collector's work
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocated = 0;
    for (int round = 0; round < 25; round++) {
      long t0 = System.nanoTime();
      long a0 = threads.getCurrentThreadAllocatedBytes();
      for (int d = 0; d < devices; d++) {
        states[d] = CoderUtils.clone(DeviceTimelineStateCoder.of(), states[d]);
      }
      if (round >= 5) {
        millis.add((System.nanoTime() - t0) / 1_000_000);
        allocated += threads.getCurrentThreadAllocatedBytes() - a0;
      }
    }
    Collections.sort(millis);
    System.out.printf(
        "copy of %,d devices x %,d de-duplication entries through the state coder: "
            + "min %d ms, median %d ms, max %d ms (20 rounds); allocated %,d MB a round, %.1f"
            + " times the entries' %,d MB%n",
        devices,
        entries,
        millis.get(0),
        millis.get(millis.size() / 2),
        millis.get(millis.size() - 1),
        allocated / 20 / 1_000_000,
        allocated / 20.0 / (16.0 * devices * entries),
        16L * devices * entries / 1_000_000);
  }
}
