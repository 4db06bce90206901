package org.iotbeam.pipelines.batch;

import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.pipelines.azure.AzureSinkOptions;
import org.iotbeam.pipelines.azure.blob.AzureBlobChecks;
import org.iotbeam.pipelines.azure.blob.BlobClientFactory;
import org.iotbeam.pipelines.common.InvalidOptionsException;
import org.iotbeam.pipelines.common.OptionProblems;
import org.iotbeam.pipelines.common.ProcessingConfigs;
import org.iotbeam.pipelines.common.TelemetryOptions;
import org.iotbeam.pipelines.flink.EmbeddedFlink;
import org.iotbeam.pipelines.kafka.KafkaOptions;
import org.iotbeam.pipelines.sinks.AlertWebhookOptions;
import org.iotbeam.pipelines.sinks.FileOutputOptions;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.ProcessingConfig;
import org.iotbeam.transforms.TelemetryMetrics;
import org.iotbeam.transforms.TelemetryProcessing;
import org.iotbeam.transforms.TelemetryResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch backfill and reprocessing: recomputes the event-time range {@code [--from, --to)} from an
 * archive of raw messages, with the flags given now, through the same {@link TelemetryProcessing}
 * as the streaming pipeline, and writes the results where streaming writes them.
 *
 * <pre>
 * java -jar iotbeam-runners-*-shaded.jar backfill \
 *   --archiveBase=azfs://ACCOUNT/telemetry/raw --from=2026-11-25 --to=2026-11-26 \
 *   --outputBase=azfs://ACCOUNT/telemetry [--maxPayloadBytes=... --rulesFile=...]
 * </pre>
 *
 * <ul>
 *   <li><b>What is read</b>: the archive ({@code --archiveFormat}: this platform's raw archive, or
 *       Event Hubs Capture files) is filed by ingest time; the ingest hours that can hold the
 *       range's readings are listed ({@link ReadSpan}: widen with {@code --extraIngestHours}), and
 *       the messages placed by {@link MessageSelector}: readings by their event time, broken
 *       messages by their ingest time, plus a warm-up before the range for the alert and
 *       de-duplication state ({@code --warmupMinutes}). Every message is parsed, validated,
 *       enriched and de-duplicated again: a limit that was too tight, a parser bug or a wrong
 *       registry entry is repaired by rerunning the range.
 *   <li><b>What is written</b>: only the range's own outputs: whole windows inside it (the range is
 *       window-aligned), its alerts, the dead letters of its messages; warm-up outputs and alerts
 *       after the range (a silence timer firing because the input ends) are dropped and counted.
 *       Sinks: {@link BackfillOutputs}. Earlier dead letters whose message is now a reading are
 *       superseded by a "recovered" record ({@link Recovery}).
 *   <li><b>Progress and summary</b>: progress lines while reading ({@link ReadProgress}); a {@link
 *       Summary} at the end: read, written, recovered, still dead, and where.
 * </ul>
 *
 * <p>Azure Blob ({@code azfs://}) through {@link BlobClientFactory}, chosen automatically for azfs
 * paths: locally (Azurite) a connection string from the environment variable {@code
 * AZURE_STORAGE_CONNECTION_STRING} (a flag only for Azurite's published development key); in
 * production no secret at all, {@code --blobServiceEndpoint=https://ACCOUNT.blob.core.windows.net}
 * and DefaultAzureCredential (the job's managed/workload identity). Before the run it fails fast on
 * bad flags (all listed), a missing container and a span without any archive file.
 */
public final class BackfillPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillPipeline.class);

  /**
   * The backfill's flags, on top of the ones that decide what the composite computes. Flags the
   * streaming pipeline has too have the same names and defaults.
   */
  public interface Options
      extends TelemetryOptions,
          KafkaOptions,
          AzureSinkOptions,
          AlertWebhookOptions,
          FileOutputOptions {
    @Description(
        "Base of the archive: a local path or azfs://ACCOUNT/CONTAINER/PATH. RAW: the "
            + "streaming pipeline's outputBase/raw (files BASE/dt=YYYY-MM-DD/hour=HH/*.pb.gz); "
            + "CAPTURE: Event Hubs Capture's folder of one event hub, .../{namespace}/{eventhub} "
            + "(files BASE/{partition}/YYYY/MM/DD/HH/mm/ss.avro).")
    @Validation.Required
    String getArchiveBase();

    void setArchiveBase(String value);

    @Description("RAW (this platform's raw archive) or CAPTURE (Event Hubs Capture Avro files).")
    @Default.Enum("RAW")
    ArchiveFormat getArchiveFormat();

    void setArchiveFormat(ArchiveFormat value);

    @Description(
        "Start of the event-time range, inclusive: an ISO-8601 instant "
            + "(2026-11-26T10:00:00Z) or a UTC date (2026-11-26). On a window boundary.")
    @Validation.Required
    String getFrom();

    void setFrom(String value);

    @Description(
        "End of the event-time range, exclusive: an ISO-8601 instant or a UTC date. "
            + "On a window boundary.")
    @Validation.Required
    String getTo();

    void setTo(String value);

    @Description(
        "Minutes of archive before --from that are read to warm up the alert and "
            + "de-duplication state (consecutive readings, anomaly baselines, trends, cooldowns), so "
            + "the first alerts of the range are those streaming raised; their own outputs are "
            + "dropped. 0: start from empty state at --from.")
    @Default.Integer(60)
    Integer getWarmupMinutes();

    void setWarmupMinutes(Integer value);

    @Description(
        "The streaming run's --maxOutOfOrderSeconds (its watermark delay): how long "
            + "after the range its readings could still arrive on time. Only widens what is read.")
    @Default.Integer(60)
    Integer getMaxOutOfOrderSeconds();

    void setMaxOutOfOrderSeconds(Integer value);

    @Description("The streaming run's --idlePartitionSeconds. Only widens what is read.")
    @Default.Integer(60)
    Integer getIdlePartitionSeconds();

    void setIdlePartitionSeconds(Integer value);

    @Description(
        "Hours of archive read beyond the computed ingest span on both sides: the lag "
            + "of devices whose clocks trail the broker (buffering gateways), whose on-time readings "
            + "arrive later than the watermark delay and allowed lateness say.")
    @Default.Integer(0)
    Integer getExtraIngestHours();

    void setExtraIngestHours(Integer value);

    @Description(
        "The earlier dead-letter files (a local path or azfs://; dt=/hour= below it) "
            + "whose messages this backfill may recover. Empty: the dead-letters/ beside a RAW "
            + "--archiveBase (the streaming layout); none for CAPTURE. 'none': do not look.")
    @Default.String("")
    String getPriorDeadLetters();

    void setPriorDeadLetters(String value);

    @Description(
        "Log a progress line (files and messages read, ingest hours done, estimated "
            + "time left) at most this often, in seconds.")
    @Default.Integer(10)
    Integer getProgressLogSeconds();

    void setProgressLogSeconds(Integer value);

    @Description(
        "Also write the aggregates, alerts and dead letters to the Kafka topics "
            + "(--bootstrapServers, --aggregatesTopic, --alertsTopic, --deadLetterTopic), keyed by "
            + "record id, as streaming does.")
    @Default.Boolean(false)
    Boolean getWriteKafka();

    void setWriteKafka(Boolean value);

    @Description(
        "Send the range's alerts to the notification sinks too (--alertWebhookUrl and "
            + "its --webhook* flags, Service Bus), as streaming does. Off: reprocessing a day does "
            + "not announce its alerts a second time.")
    @Default.Boolean(false)
    Boolean getNotifyAlerts();

    void setNotifyAlerts(Boolean value);
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

  /** What a checked set of flags amounts to: the range, what is read, the composite's config. */
  record Plan(
      ProcessingConfig config,
      ArchiveRange range,
      ReadSpan span,
      MessageSelector selector,
      String priorDeadLetters) {}

  /** Checks, builds, runs to completion and summarises one backfill. */
  public static Summary run(Options options) {
    Plan plan = plan(options);
    ReadProgress.Plan listed = preflight(options, plan);
    EmbeddedFlink.configureIfEmbedded(options);
    Pipeline p = Pipeline.create(options);
    ArchiveSource source =
        new ArchiveSource(
            options.getArchiveFormat(),
            options.getArchiveBase(),
            plan.selector(),
            listed,
            options.getProgressLogSeconds() * 1000L);
    BackfillResults results = expand(p, source, plan.config(), plan.priorDeadLetters());
    List<String> where = BackfillOutputs.write(results, options, plan.selector());
    LOG.info(
        "backfill {}: reading {} files ({} MiB) of {} under {}",
        plan.range(),
        listed.files(),
        listed.bytes() >> 20,
        plan.span(),
        options.getArchiveBase());
    long start = System.nanoTime();
    PipelineResult result = p.run();
    PipelineResult.State state = result.waitUntilFinish();
    Summary summary = Summary.of(result, plan.range(), System.nanoTime() - start, where);
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(
          "backfill " + plan.range() + " ended " + state + "; " + summary);
    }
    try {
      int stale = BackfillOutputs.deleteStaleFiles(options, plan.range());
      if (stale > 0) {
        LOG.info(
            "deleted {} files of an earlier backfill of {} with another --fileShards",
            stale,
            plan.range());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "backfill "
              + plan.range()
              + " done, but the files of an "
              + "earlier run with another --fileShards could not be deleted: "
              + e.getMessage(),
          e);
    }
    LOG.info("{}", summary);
    return summary;
  }

  /**
   * Checks every flag, listing all problems at once.
   *
   * @throws InvalidOptionsException naming every problem
   */
  static Plan plan(Options options) {
    OptionProblems problems = new OptionProblems();
    ProcessingConfig config = problems.parse(() -> ProcessingConfigs.fromOptions(options));
    long windowMs = config == null ? 300_000L : config.windowSize().getMillis();
    ArchiveRange range =
        problems.parse(() -> ArchiveRange.parse(options.getFrom(), options.getTo(), windowMs));
    problems.add(FileOutputOptions.problems(options, 99));
    notNegative(problems, "--warmupMinutes", options.getWarmupMinutes());
    notNegative(problems, "--maxOutOfOrderSeconds", options.getMaxOutOfOrderSeconds());
    notNegative(problems, "--idlePartitionSeconds", options.getIdlePartitionSeconds());
    notNegative(problems, "--extraIngestHours", options.getExtraIngestHours());
    problems.addIf(
        options.getProgressLogSeconds() == null || options.getProgressLogSeconds() < 1,
        "--progressLogSeconds must be 1 or more");
    problems.addIf(options.getArchiveFormat() == null, "--archiveFormat must be RAW or CAPTURE");
    if (Boolean.TRUE.equals(options.getWriteKafka())) {
      problems.add(KafkaOptions.problems(options, BackfillOutputs.CONSUMER_GROUP));
    }
    problems.add(AlertWebhookOptions.problems(options));
    problems.add(BlobClientFactory.secretFlagProblems(options));
    problems.throwIfAny("cannot start the backfill");
    long warmupMs = options.getWarmupMinutes() * 60_000L;
    ReadSpan span =
        ReadSpan.forRange(
            range,
            warmupMs,
            config.limits().maxFutureSkew().toMillis(),
            options.getMaxOutOfOrderSeconds() * 1000L,
            config.allowedLateness().getMillis(),
            options.getIdlePartitionSeconds() * 1000L,
            options.getExtraIngestHours() * 3_600_000L);
    return new Plan(
        config,
        range,
        span,
        new MessageSelector(range, span, warmupMs, config.limits()),
        priorDeadLetters(options));
  }

  private static void notNegative(OptionProblems problems, String flag, Integer value) {
    problems.addIf(value == null || value < 0, flag + " must be zero or more, was " + value);
  }

  /** {@code --priorDeadLetters}, or its default: {@code dead-letters/} beside a raw archive. */
  static String priorDeadLetters(Options options) {
    String given = options.getPriorDeadLetters();
    if ("none".equals(given)) {
      return null;
    }
    if (given != null && !given.isBlank()) {
      return given;
    }
    if (options.getArchiveFormat() != ArchiveFormat.RAW) {
      return null;
    }
    String base = options.getArchiveBase().replaceAll("/+$", "");
    int slash = base.lastIndexOf('/');
    return slash < 0 ? null : base.substring(0, slash + 1) + "dead-letters";
  }

  /**
   * Fails before any job starts: the containers must exist (azfs), and the span must hold at least
   * one archive file. Returns what was listed: the progress lines' totals.
   */
  static ReadProgress.Plan preflight(Options options, Plan plan) {
    BlobClientFactory.useForAzfs(options, options.getArchiveBase(), options.getOutputBase());
    FileSystems.setDefaultPipelineOptions(options);
    AzureBlobChecks.requireContainer(options.getArchiveBase(), options);
    AzureBlobChecks.requireContainer(options.getOutputBase(), options);
    ArchiveFormat format = options.getArchiveFormat();
    ReadProgress.Plan listed = ArchiveSource.list(format, options.getArchiveBase(), plan.span());
    if (listed.files() > 0) {
      return listed;
    }
    List<String> patterns = format.patterns(options.getArchiveBase(), plan.span());
    String checked =
        patterns.size() <= 6
            ? String.join(", ", patterns)
            : String.join(", ", patterns.subList(0, 3))
                + " ... "
                + String.join(", ", patterns.subList(patterns.size() - 2, patterns.size()))
                + " ("
                + patterns.size()
                + " hours)";
    throw new IllegalArgumentException(
        "no "
            + format.name().toLowerCase(java.util.Locale.ROOT)
            + " archive files under "
            + options.getArchiveBase()
            + " for "
            + plan.range()
            + " ("
            + plan.span()
            + "): checked "
            + checked);
  }

  /**
   * The reading side and the composite: reads the archive, processes it as streaming does, keeps
   * the range's own outputs, and resolves the earlier dead letters ({@link Recovery}).
   *
   * @param priorDeadLetters earlier dead-letter files, or null for none
   */
  public static BackfillResults expand(
      Pipeline p, ArchiveSource source, ProcessingConfig config, String priorDeadLetters) {
    MessageSelector selector = source.selector();
    ArchiveRange range = selector.range();
    PCollection<byte[]> chunks = p.apply("ReadArchive", source);
    // each message as the archive held it, parsed once by the processing, never encoded again
    TelemetryResults results =
        chunks
            .apply("Messages", ArchiveChunk.encodedMessages())
            .apply("Process", new TelemetryProcessing(config).ofEncodedMessages());
    PCollection<DeadLetter> deadLetters =
        results
            .deadLetters()
            .apply(
                "DeadLettersInRange",
                ParDo.of(
                    new InRange<DeadLetter>(
                        range, "dead_letters", d -> selector.timeOf(d.getInbound()))))
            .setCoder(Coders.DEAD_LETTER);
    return new BackfillResults(
        results
            .aggregates()
            .apply(
                "AggregatesInRange",
                ParDo.of(
                    new InRange<WindowAggregate>(
                        range, "aggregates", WindowAggregate::getWindowStartMs)))
            .setCoder(Coders.AGGREGATE),
        results
            .alerts()
            .apply(
                "AlertsInRange",
                ParDo.of(new InRange<Alert>(range, "alerts", Alert::getEventTimeMs)))
            .setCoder(Coders.ALERT),
        deadLetters,
        deadLetters.apply("Recovery", new Recovery(priorDeadLetters, selector, chunks)));
  }

  /**
   * What a backfill writes: the composite's outputs limited to the range, and the records that
   * supersede the earlier dead letters of recovered messages.
   */
  public record BackfillResults(
      PCollection<WindowAggregate> aggregates,
      PCollection<Alert> alerts,
      PCollection<DeadLetter> deadLetters,
      PCollection<DeadLetter> recovered) {}

  /**
   * Keeps the records of the range: warm-up outputs before it, and alerts after it (a silence timer
   * firing because the batch input ends: the data after the range was not read, so they are not
   * known), are dropped and counted.
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
