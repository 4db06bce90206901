package org.iotbeam.pipelines.sinks;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.iotbeam.pipelines.common.HourAligned;
import org.joda.time.Duration;

/**
 * How a file sink cuts a stream into files: event-time windows of {@code windowSize} (one set of
 * files per window, under the window's date/hour partition), a pane at the watermark, early panes
 * every {@code flushDelay} of processing time while a window is open, and a late pane per {@code
 * flushDelay} for data behind the watermark up to {@code allowedLateness}. Panes are discarding:
 * every file holds records no other file holds. In a bounded pipeline the watermark jumps to the
 * end at once and each window gives one pane.
 */
public final class FileWindowing implements Serializable {
  private final Duration windowSize;
  private final Duration allowedLateness;
  private final Duration flushDelay;

  private FileWindowing(Duration windowSize, Duration allowedLateness, Duration flushDelay) {
    if (!HourAligned.divides(windowSize)) {
      throw new IllegalArgumentException(
          "a file window must divide an hour (so each file lies "
              + "in one dt=/hour= partition), was "
              + windowSize);
    }
    if (allowedLateness.getMillis() < 0 || flushDelay.getMillis() <= 0) {
      throw new IllegalArgumentException("allowed lateness must be >= 0 and flush delay > 0");
    }
    this.windowSize = windowSize;
    this.allowedLateness = allowedLateness;
    this.flushDelay = flushDelay;
  }

  public static FileWindowing of(
      Duration windowSize, Duration allowedLateness, Duration flushDelay) {
    return new FileWindowing(windowSize, allowedLateness, flushDelay);
  }

  public Duration windowSize() {
    return windowSize;
  }

  public Duration allowedLateness() {
    return allowedLateness;
  }

  public Duration flushDelay() {
    return flushDelay;
  }

  /** The event-time windows of the files, without the trigger: which window a time falls in. */
  public FixedWindows windowFn() {
    return FixedWindows.of(windowSize);
  }

  public <T> Window<T> window() {
    return Window.<T>into(windowFn())
        .triggering(
            AfterWatermark.pastEndOfWindow()
                .withEarlyFirings(
                    AfterProcessingTime.pastFirstElementInPane().plusDelayOf(flushDelay))
                .withLateFirings(
                    AfterProcessingTime.pastFirstElementInPane().plusDelayOf(flushDelay)))
        .withAllowedLateness(allowedLateness)
        .discardingFiredPanes();
  }
}
