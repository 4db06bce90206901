package org.iotbeam.pipelines.batch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.pipelines.azure.blob.AzureBlobChecks;
import org.iotbeam.pipelines.azure.blob.BlobClientFactory;
import org.iotbeam.pipelines.common.ProcessingConfigs;
import org.iotbeam.pipelines.common.TelemetryOptions;
import org.iotbeam.pipelines.flink.EmbeddedFlink;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.ProcessingConfig;
import org.iotbeam.transforms.TelemetryMetrics;
import org.iotbeam.transforms.TelemetryProcessing;
import org.iotbeam.transforms.TelemetryResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch backfill and reprocessing: reads the raw archive for an event-time range
 * {@code [--from, --to)}, runs the same {@link TelemetryProcessing} as the streaming pipeline,
 * and writes aggregates, alerts and dead letters to the same kinds of sink with the same record
 * ids, so a backfill overwrites what streaming wrote rather than duplicating it. Run it again
 * with another {@code --rulesFile} to recompute the alerts of a range.
 *
 * <pre>
 * java ... org.iotbeam.pipelines.batch.BackfillPipeline \
 *   --archiveBase=azfs://ACCOUNT/raw/telemetry --from=2026-11-25 --to=2026-11-26 \
 *   --outputBase=azfs://ACCOUNT/processed/backfill \
 *   --runner=FlinkRunner --flinkMaster=[local] --parallelism=2
 * </pre>
 *
 * <p>Azure Blob ({@code azfs://}) through {@link BlobClientFactory}, chosen automatically for
 * azfs paths: locally (Azurite) a connection string from the environment variable
 * {@code AZURE_STORAGE_CONNECTION_STRING} (a flag only for Azurite's published development key); in production no secret at all,
 * {@code --blobServiceEndpoint=https://ACCOUNT.blob.core.windows.net} and DefaultAzureCredential
 * (the job's managed/workload identity). Flink on Java 17 needs Flink's {@code --add-opens} list
 * (see runners/scripts/backfill-benchmark.sh).
 *
 * Only the {@code dt=/hour=} partitions the range touches are listed. Before the run it fails
 * fast on a bad range, a missing container and a range without any archive file.
 */
public final class BackfillPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillPipeline.class);

  /** The backfill's flags, on top of the ones that decide what the composite computes. */
  public interface Options extends TelemetryOptions {
    @Description("Base of the raw archive: a local path or azfs://ACCOUNT/CONTAINER/PATH; files "
        + "are read from BASE/dt=YYYY-MM-DD/hour=HH/*.pb.gz.")
    @Validation.Required
    String getArchiveBase();

    void setArchiveBase(String value);

    @Description("Start of the event-time range, inclusive: an ISO-8601 instant "
        + "(2026-11-26T10:00:00Z) or a UTC date (2026-11-26). On a window boundary.")
    @Validation.Required
    String getFrom();

    void setFrom(String value);

    @Description("End of the event-time range, exclusive: an ISO-8601 instant or a UTC date. "
        + "On a window boundary.")
    @Validation.Required
    String getTo();

    void setTo(String value);

    @Description("Where the aggregates, alerts and dead letters go: a local path or "
        + "azfs://ACCOUNT/CONTAINER/PATH (aggregates/, alerts/, dead-letters/ below it). "
        + "Required.")
    // a default (empty: checked in run) rather than @Validation.Required: Beam insists that a
    // getter shared with StreamingPipeline.Options have the same @Default wherever it is declared,
    // or the two cannot be registered in one JVM (the runnable jar, the tests)
    @Default.String("")
    String getOutputBase();

    void setOutputBase(String value);

    @Description("Minutes of archive before --from that are read to warm up the alert and "
        + "de-duplication state (consecutive readings, anomaly baselines, trends, cooldowns), so "
        + "the first alerts of the range are those streaming raised; their own outputs are "
        + "dropped. 0: start from empty state at --from.")
    @Default.Integer(60)
    Integer getWarmupMinutes();

    void setWarmupMinutes(Integer value);

    @Description("Event-time window of the output files, in minutes (as --fileWindowMinutes of "
        + "the streaming pipeline, so the backfill rewrites the same files); must divide 60.")
    @Default.Integer(5)
    Integer getFileWindowMinutes();

    void setFileWindowMinutes(Integer value);

    @Description("Files per window (as --fileShards of the streaming pipeline).")
    @Default.Integer(2)
    Integer getFileShards();

    void setFileShards(Integer value);

    @Description("Log a progress line (files and messages read, current hour) at most this "
        + "often, in seconds.")
    @Default.Integer(10)
    Integer getProgressLogSeconds();

    void setProgressLogSeconds(Integer value);
  }

  private BackfillPipeline() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(Options.class);
    try {
      Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
      Summary summary = run(options);
      System.out.println(summary);
    } catch (IllegalArgumentException e) {
      System.err.println("backfill: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Checks, builds, runs to completion and summarises one backfill. */
  public static Summary run(Options options) {
    if (options.getOutputBase() == null || options.getOutputBase().isBlank()) {
      throw new IllegalArgumentException("--outputBase is required: a local path or "
          + "azfs://ACCOUNT/CONTAINER/PATH for the aggregates, alerts and dead letters");
    }
    ProcessingConfig config = ProcessingConfigs.fromOptions(options);
    ArchiveRange range = ArchiveRange.parse(options.getFrom(), options.getTo(),
        config.windowSize().getMillis());
    Integer fw = options.getFileWindowMinutes();
    if (fw == null || fw <= 0 || 60 % fw != 0) {
      throw new IllegalArgumentException("--fileWindowMinutes must divide 60, was " + fw);
    }
    if (options.getWarmupMinutes() == null || options.getWarmupMinutes() < 0) {
      throw new IllegalArgumentException("--warmupMinutes must be zero or more");
    }
    if (options.getFileShards() == null || options.getFileShards() < 1) {
      throw new IllegalArgumentException("--fileShards must be 1 or more");
    }
    List<String> secrets = BlobClientFactory.secretFlagProblems(options);
    if (!secrets.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", secrets));
    }
    preflight(options, range);
    EmbeddedFlink.configureIfEmbedded(options);
    Pipeline p = Pipeline.create(options);
    BackfillResults results = expand(p, options.getArchiveBase(), range,
        options.getWarmupMinutes() * 60_000L, config, options.getProgressLogSeconds() * 1000L);
    BackfillOutputs.write(results, options);
    ReadArchiveFn.resetProgress();
    long start = System.nanoTime();
    PipelineResult result = p.run();
    PipelineResult.State state = result.waitUntilFinish();
    Summary summary = Summary.of(result, range, System.nanoTime() - start);
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("backfill " + range + " ended " + state + "; " + summary);
    }
    LOG.info("{}", summary);
    return summary;
  }

  /**
   * Fails before any job starts: the archive's container must exist (azfs), and the range must
   * hold at least one archive file.
   */
  static void preflight(Options options, ArchiveRange range) {
    BlobClientFactory.useForAzfs(options, options.getArchiveBase(), options.getOutputBase());
    FileSystems.setDefaultPipelineOptions(options);
    AzureBlobChecks.requireContainer(options.getArchiveBase(), options);
    AzureBlobChecks.requireContainer(options.getOutputBase(), options);
    List<String> patterns = range.filePatterns(options.getArchiveBase());
    for (String pattern : patterns) {
      try {
        MatchResult m = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
        if (m.status() == MatchResult.Status.OK && !m.metadata().isEmpty()) {
          return; // enough to know the range is not empty; the job lists the rest
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot list " + pattern + ": " + e.getMessage(), e);
      }
    }
    List<String> partitions = range.partitions();
    String checked = partitions.size() <= 6
        ? String.join(", ", partitions)
        : String.join(", ", partitions.subList(0, 3)) + " ... "
            + String.join(", ", partitions.subList(partitions.size() - 2, partitions.size()))
            + " (" + partitions.size() + " hours)";
    throw new IllegalArgumentException("no raw archive files under " + options.getArchiveBase()
        + " for " + range + ": checked " + checked.replace("/,", ",").replaceAll("/$", ""));
  }

  /**
   * The reading side and the composite: lists the range's partitions, reads each file, keeps
   * the messages of the range and processes them as streaming does. Alerts outside the range
   * (a silence timer firing because the batch input ends) are dropped: the data after the range
   * was not read, so they are not known.
   */
  public static BackfillResults expand(Pipeline p, String archiveBase, ArchiveRange range,
      long warmupMs, ProcessingConfig config, long progressLogMs) {
    List<String> patterns = new ArrayList<>(ArchiveRange.of(
        java.time.Instant.ofEpochMilli(range.fromMs() - warmupMs),
        java.time.Instant.ofEpochMilli(range.toMs())).filePatterns(archiveBase));
    PCollection<InboundMessage> messages = p
        .apply("HourPatterns", Create.of(patterns).withCoder(StringUtf8Coder.of()))
        .apply("ListFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        // one file per task: without this a runner may fuse all files into the listing's worker
        .apply("SpreadFiles", Reshuffle.viaRandomKey())
        .apply("OpenFiles", FileIO.readMatches())
        .apply("ReadArchive", ParDo.of(new ReadArchiveFn(range, warmupMs, config.limits(), progressLogMs)))
        .setCoder(Coders.INBOUND);
    TelemetryResults results = messages.apply("Process", new TelemetryProcessing(config));
    long skewMs = config.limits().maxFutureSkew().toMillis();
    long ageMs = config.limits().maxAge().toMillis();
    return new BackfillResults(
        results.aggregates().apply("AggregatesInRange", ParDo.of(
            new InRange<WindowAggregate>(range, "aggregates",
                a -> a.getWindowStartMs()))).setCoder(Coders.AGGREGATE),
        results.alerts().apply("AlertsInRange", ParDo.of(
            new InRange<Alert>(range, "alerts", Alert::getEventTimeMs)))
            .setCoder(Coders.ALERT),
        results.deadLetters().apply("DeadLettersInRange", ParDo.of(
            new InRange<DeadLetter>(range, "dead_letters",
                d -> warmupOrRange(d, range, skewMs, ageMs)))).setCoder(Coders.DEAD_LETTER));
  }

  /**
   * With {@code azfs://} paths and Beam's default blob client factory, switches to {@link
   * BlobClientFactory}: it takes the connection string from the options or from {@value
   * BlobClientFactory#CONNECTION_STRING_ENV} (Beam's default adds a bearer credential that
   * Azurite's plain http refuses), or signs in with DefaultAzureCredential.
   */
  /** What a backfill writes: the composite's outputs, alerts limited to the range. */
  public record BackfillResults(PCollection<WindowAggregate> aggregates,
      PCollection<Alert> alerts, PCollection<DeadLetter> deadLetters) {}

  /** A dead letter of a warm-up message counts as before the range, any other as in it. */
  private static long warmupOrRange(DeadLetter d, ArchiveRange range, long skewMs, long ageMs) {
    long ts = ReadArchiveFn.plausibleEventTime(d.getInbound(), skewMs, ageMs);
    return ts >= 0 && ts < range.fromMs() ? ts : range.fromMs();
  }

  /**
   * Keeps the records of the range: warm-up outputs before it, and alerts after it (a silence
   * timer firing because the batch input ends: the data after the range was not read, so they
   * are not known), are dropped and counted.
   */
  static final class InRange<T> extends DoFn<T, T> {
    private final ArchiveRange range;
    private final SerializableFunction<T, Long> time;
    private final Counter written;
    private final Counter outside;

    /** Counts {@code backfill_<kind>_written} and {@code backfill_<kind>_outside_range}. */
    InRange(ArchiveRange range, String kind, SerializableFunction<T, Long> time) {
      this.range = range;
      this.time = time;
      this.written = Metrics.counter(TelemetryMetrics.NAMESPACE, written(kind));
      this.outside = Metrics.counter(TelemetryMetrics.NAMESPACE, outside(kind));
    }

    static String written(String kind) {
      return "backfill_" + kind + "_written";
    }

    static String outside(String kind) {
      return "backfill_" + kind + "_outside_range";
    }

    @ProcessElement
    public void process(@Element T e, OutputReceiver<T> out) {
      if (range.contains(time.apply(e))) {
        written.inc();
        out.output(e);
      } else {
        outside.inc();
      }
    }
  }
}
