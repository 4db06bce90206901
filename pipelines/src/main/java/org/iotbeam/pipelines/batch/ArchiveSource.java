package org.iotbeam.pipelines.batch;

import java.io.IOException;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The messages a backfill processes, read from an archive ({@link ArchiveFormat}): lists the files
 * of the {@link ReadSpan}'s ingest hours, spreads them over the workers, reads each and keeps what
 * {@link MessageSelector} places in the range or its warm-up, in {@link ArchiveChunk}s ({@link
 * ArchiveChunk#encodedMessages()} hands on each message).
 */
public final class ArchiveSource extends PTransform<PBegin, PCollection<byte[]>> {
  private final ArchiveFormat format;
  private final String base;
  private final MessageSelector selector;
  private final ReadProgress.Plan plan;
  private final long progressLogMs;
  private final String runId = UUID.randomUUID().toString();

  ArchiveSource(
      ArchiveFormat format,
      String base,
      MessageSelector selector,
      ReadProgress.Plan plan,
      long progressLogMs) {
    this.format = format;
    this.base = base;
    this.selector = selector;
    this.plan = plan;
    this.progressLogMs = progressLogMs;
  }

  MessageSelector selector() {
    return selector;
  }

  @Override
  public PCollection<byte[]> expand(PBegin begin) {
    return begin
        .apply(
            "HourPatterns",
            Create.of(format.patterns(base, selector.span())).withCoder(StringUtf8Coder.of()))
        .apply("ListFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        // one file per task: without this a runner may fuse all files into the listing's worker
        .apply("SpreadFiles", Reshuffle.viaRandomKey())
        .apply("OpenFiles", FileIO.readMatches())
        .apply(
            "ReadFiles", ParDo.of(new ReadArchiveFn(format, selector, runId, plan, progressLogMs)))
        .setCoder(ByteArrayCoder.of());
  }

  /**
   * Lists the files of {@code span} before the run: the progress lines' totals, and the proof the
   * span is not empty.
   *
   * @throws IllegalArgumentException when a listing fails
   */
  static ReadProgress.Plan list(ArchiveFormat format, String base, ReadSpan span) {
    long files = 0;
    long bytes = 0;
    TreeMap<Long, Integer> perHour = new TreeMap<>();
    for (long hour : format.listedHours(span)) {
      String pattern = format.pattern(base, hour);
      try {
        MatchResult m = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
        List<MatchResult.Metadata> found =
            m.status() == MatchResult.Status.OK ? m.metadata() : List.of();
        for (MatchResult.Metadata f : found) {
          files++;
          bytes += f.sizeBytes();
          perHour.merge(format.hourOf(f.resourceId().toString()), 1, Integer::sum);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot list " + pattern + ": " + e.getMessage(), e);
      }
    }
    return new ReadProgress.Plan(files, bytes, perHour);
  }
}
