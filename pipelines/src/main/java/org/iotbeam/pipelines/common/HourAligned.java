package org.iotbeam.pipelines.common;

import java.util.Optional;
import org.joda.time.Duration;

/**
 * The one rule for window lengths that files are cut by: they divide an hour, so every window lies
 * in one {@code dt=/hour=} partition and no file straddles two.
 */
public final class HourAligned {
  private static final long HOUR_MS = Duration.standardHours(1).getMillis();

  private HourAligned() {}

  /** Whether windows of {@code length} tile an hour. */
  public static boolean divides(Duration length) {
    return length.getMillis() > 0 && HOUR_MS % length.getMillis() == 0;
  }

  /** The problem with a flag of window minutes, or empty when they divide an hour. */
  public static Optional<String> problem(String flag, Integer minutes) {
    if (minutes != null && minutes > 0 && divides(Duration.standardMinutes(minutes))) {
      return Optional.empty();
    }
    return Optional.of(
        flag + " must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60), was " + minutes);
  }
}
