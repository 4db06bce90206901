package org.iotbeam.domain.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The open windows of one device: each window's {@link DeviceStats}, built one reading at a time in
 * the order the readings arrived, and whether its on-time pane is out. What a device-keyed step
 * keeps so that the statistics of a reading cost no second keyed exchange: it hands on a window's
 * statistics when the window closes and again for each late reading, not every reading.
 *
 * <p>Time is the watermark as the device's step knows it: {@link #advanceTo} tells it that the
 * watermark is past an instant (a timer fired). A reading whose window expired before that instant
 * is refused ({@link Admission#EXPIRED}); one whose window's on-time pane is out is {@link
 * Admission#LATE}, and the caller hands the window on at once.
 *
 * <p>A device has a window or two open at a time (the current one, the previous ones until their
 * allowed lateness runs out), a backfill every window of its range: a list in start order, searched
 * from its newest end, serves both.
 */
public final class DeviceWindows {
  /** What became of a reading. */
  public enum Admission {
    /** Its window is open and its on-time pane not yet due. */
    OPEN,
    /** Its window's on-time pane is out: the window is handed on again, late. */
    LATE,
    /** Its window took its last reading before the watermark passed it: not counted. */
    EXPIRED
  }

  /** One window of the device. */
  public static final class Window {
    private final long startMs;
    private final DeviceStats stats;
    private boolean onTimeDone;

    public Window(long startMs, DeviceStats stats, boolean onTimeDone) {
      this.startMs = startMs;
      this.stats = stats;
      this.onTimeDone = onTimeDone;
    }

    public long startMs() {
      return startMs;
    }

    /** The statistics so far: hand on a copy, the window keeps adding to these. */
    public DeviceStats stats() {
      return stats;
    }

    public boolean onTimeDone() {
      return onTimeDone;
    }
  }

  /** Instants before which nothing is known: a watermark that has not moved yet. */
  public static final long NEVER = Long.MIN_VALUE;

  private final List<Window> windows; // by start, oldest first
  private long watermarkPast; // the watermark is known to be past this instant

  public DeviceWindows() {
    this(new ArrayList<>(2), NEVER);
  }

  /** Restores a device's windows, as a coder reads them back. */
  public DeviceWindows(List<Window> windows, long watermarkPast) {
    this.windows = new ArrayList<>(windows);
    this.watermarkPast = watermarkPast;
  }

  /**
   * Adds the sample to its window; the window (for {@link Admission#LATE}: to hand on now), or null
   * when the window has expired.
   */
  public Window add(DeviceSample sample, TumblingWindows shape) {
    long start = shape.startOf(sample.timestampMs());
    if (watermarkPast != NEVER && shape.expiresAfter(start) <= watermarkPast) {
      return null;
    }
    int i = windows.size() - 1;
    while (i >= 0 && windows.get(i).startMs > start) {
      i--;
    }
    Window w;
    if (i >= 0 && windows.get(i).startMs == start) {
      w = windows.get(i);
    } else {
      boolean late = watermarkPast != NEVER && shape.lastInstant(start) <= watermarkPast;
      w = new Window(start, new DeviceStats(), late);
      windows.add(i + 1, w);
    }
    w.stats.add(sample);
    return w;
  }

  /** How {@link #add} judged a window it returned. */
  public static Admission admission(Window w) {
    return w == null ? Admission.EXPIRED : w.onTimeDone ? Admission.LATE : Admission.OPEN;
  }

  /**
   * The watermark is past {@code instant}: every window whose last instant that is gets its on-time
   * pane ({@code onTime}, oldest first), and every window whose allowed lateness ran out by then is
   * forgotten.
   */
  public void advanceTo(long instant, TumblingWindows shape, Consumer<Window> onTime) {
    watermarkPast = Math.max(watermarkPast, instant);
    for (Window w : windows) {
      if (!w.onTimeDone && shape.lastInstant(w.startMs) <= watermarkPast) {
        w.onTimeDone = true;
        onTime.accept(w);
      }
    }
    windows.removeIf(w -> shape.expiresAfter(w.startMs) <= watermarkPast);
  }

  /**
   * The watermark is past {@code instant}, learnt from a timer that is not the windows' own: later
   * readings of windows past their allowed lateness are refused, and new windows already past their
   * end are late. Hands nothing on (the windows' own timer does that, at their end).
   */
  public void learnWatermarkPast(long instant) {
    watermarkPast = Math.max(watermarkPast, instant);
  }

  /** When something is next due: an on-time pane or an expiry; {@link Long#MAX_VALUE} if never. */
  public long nextDue(TumblingWindows shape) {
    long due = Long.MAX_VALUE;
    for (Window w : windows) {
      due =
          Math.min(
              due, w.onTimeDone ? shape.expiresAfter(w.startMs) : shape.lastInstant(w.startMs));
    }
    return due;
  }

  public List<Window> windows() {
    return windows;
  }

  public long watermarkPast() {
    return watermarkPast;
  }

  public boolean isEmpty() {
    return windows.isEmpty();
  }
}
