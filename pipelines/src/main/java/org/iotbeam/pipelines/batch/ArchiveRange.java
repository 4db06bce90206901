package org.iotbeam.pipelines.batch;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iotbeam.pipelines.common.InvalidOptionsException;

/**
 * The event-time range {@code [from, to)} a backfill recomputes; on window boundaries, so every
 * window it writes is whole. Which archive files hold it is {@link ReadSpan}'s business (the
 * archive is filed by ingest time).
 */
public final class ArchiveRange implements Serializable {
  private static final java.time.format.DateTimeFormatter STAMP =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern PARTITION =
      Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})/hour=(\\d{2})/");

  private final long fromMs;
  private final long toMs;

  private ArchiveRange(long fromMs, long toMs) {
    this.fromMs = fromMs;
    this.toMs = toMs;
  }

  public static ArchiveRange of(Instant from, Instant to) {
    return new ArchiveRange(from.toEpochMilli(), to.toEpochMilli());
  }

  /**
   * Parses {@code --from}/{@code --to}: ISO-8601 instants ({@code 2026-11-26T10:00:00Z}) or UTC
   * dates ({@code 2026-11-26}, meaning its midnight), checking {@code from < to} and that both fall
   * on a window boundary (else a partial first or last window would overwrite the complete
   * aggregate of the same id).
   *
   * @throws InvalidOptionsException naming every problem and what to pass instead
   */
  public static ArchiveRange parse(String from, String to, long windowMs) {
    List<String> problems = new ArrayList<>();
    Instant f = parseInstant("--from", from, problems);
    Instant t = parseInstant("--to", to, problems);
    if (f != null && t != null) {
      if (!f.isBefore(t)) {
        problems.add("--from (" + f + ") must be before --to (" + t + "): the range is [from, to)");
      }
      for (var e : List.of(new Object[] {"--from", f}, new Object[] {"--to", t})) {
        Instant i = (Instant) e[1];
        if (i.toEpochMilli() % windowMs != 0) {
          Instant floor =
              Instant.ofEpochMilli(i.toEpochMilli() - Math.floorMod(i.toEpochMilli(), windowMs));
          problems.add(
              e[0]
                  + "="
                  + i
                  + " is not on a "
                  + (windowMs / 60_000)
                  + "-minute window boundary (a partial window would overwrite a complete aggregate);"
                  + " use "
                  + floor
                  + " or "
                  + floor.plusMillis(windowMs));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException("invalid backfill range", problems);
    }
    return of(f, t);
  }

  private static Instant parseInstant(String flag, String value, List<String> problems) {
    if (value == null || value.isBlank()) {
      problems.add(
          flag
              + " is required: an ISO-8601 instant (2026-11-26T10:00:00Z) or a UTC "
              + "date (2026-11-26)");
      return null;
    }
    String v = value.trim();
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      // fall through to a date
    }
    try {
      return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      problems.add(
          flag
              + "="
              + value
              + " is neither an ISO-8601 instant (2026-11-26T10:00:00Z)"
              + " nor a date (2026-11-26)");
      return null;
    }
  }

  public long fromMs() {
    return fromMs;
  }

  public long toMs() {
    return toMs;
  }

  public boolean contains(long eventTimeMs) {
    return eventTimeMs >= fromMs && eventTimeMs < toMs;
  }

  /** The start of every hour the range touches. */
  public List<Long> hours() {
    List<Long> out = new ArrayList<>();
    for (long h = Math.floorDiv(fromMs, ReadSpan.HOUR_MS) * ReadSpan.HOUR_MS;
        h < toMs;
        h += ReadSpan.HOUR_MS) {
      out.add(h);
    }
    return out;
  }

  /** {@code 20261120T1000Z-20261120T1100Z}: the range in a file name. */
  public String stamp() {
    return STAMP.format(Instant.ofEpochMilli(fromMs))
        + "-"
        + STAMP.format(Instant.ofEpochMilli(toMs));
  }

  /** The start of the partition hour a file path lies in, or -1 if the path has none. */
  public static long partitionStartOf(String path) {
    Matcher m = PARTITION.matcher(path);
    long found = -1;
    while (m.find()) {
      found =
          LocalDate.parse(m.group(1))
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant()
              .plus(Integer.parseInt(m.group(2)), ChronoUnit.HOURS)
              .toEpochMilli();
    }
    return found;
  }

  @Override
  public String toString() {
    return "[" + Instant.ofEpochMilli(fromMs) + ", " + Instant.ofEpochMilli(toMs) + ")";
  }
}
