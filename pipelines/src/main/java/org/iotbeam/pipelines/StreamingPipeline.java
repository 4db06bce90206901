package org.iotbeam.pipelines;

import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.pipelines.azure.AzureSinkOptions;
import org.iotbeam.pipelines.azure.blob.BlobClientFactory;
import org.iotbeam.pipelines.common.HourAligned;
import org.iotbeam.pipelines.common.OptionProblems;
import org.iotbeam.pipelines.common.ProcessingConfigs;
import org.iotbeam.pipelines.common.TelemetryOptions;
import org.iotbeam.pipelines.flink.DetachedJob;
import org.iotbeam.pipelines.flink.EmbeddedFlink;
import org.iotbeam.pipelines.kafka.EventHubsAuth;
import org.iotbeam.pipelines.kafka.KafkaClientSettings;
import org.iotbeam.pipelines.kafka.KafkaCredentialWatch;
import org.iotbeam.pipelines.kafka.KafkaSourceOptions;
import org.iotbeam.pipelines.kafka.KafkaTelemetrySource;
import org.iotbeam.pipelines.notify.Notify;
import org.iotbeam.pipelines.notify.NotifyConfig;
import org.iotbeam.pipelines.notify.NotifyOptions;
import org.iotbeam.pipelines.observability.BeamMetricsExporter;
import org.iotbeam.pipelines.observability.ObservabilityOptions;
import org.iotbeam.pipelines.sinks.AlertWebhookOptions;
import org.iotbeam.pipelines.sinks.DeadLetterHandler;
import org.iotbeam.pipelines.sinks.FileOutputOptions;
import org.iotbeam.pipelines.sinks.FileWindowing;
import org.iotbeam.pipelines.sinks.JsonLinesFileSink;
import org.iotbeam.pipelines.sinks.KafkaJsonSink;
import org.iotbeam.pipelines.sinks.RawArchiveSink;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.ProcessingConfig;
import org.iotbeam.transforms.TelemetryProcessing;
import org.iotbeam.transforms.TelemetryResults;
import org.joda.time.Duration;

/**
 * The streaming pipeline: telemetry from Kafka (or Event Hubs' Kafka endpoint) through the shared
 * {@link TelemetryProcessing} to the raw archive, aggregate, alert and dead-letter files under
 * {@code --outputBase}, to Kafka topics, and alerts to an optional webhook.
 *
 * <pre>
 * Kafka(telemetry) -> InboundMessage (event time, watermark) -> TelemetryProcessing
 *   every message, before parsing -> raw archive outputBase/raw/dt=/hour=/*.pb.gz (ingest hour)
 *   aggregates   -> outputBase/aggregates/...jsonl.gz, Kafka(aggregates)
 *   alerts       -> outputBase/alerts/...jsonl.gz, Kafka(alerts), webhook, notifications
 *   dead letters -> outputBase/dead-letters/...jsonl.gz, Kafka(dead-letters)
 * </pre>
 *
 * <p>Runs on any runner; on Flink, checkpointing is turned on (30 s) when it was not set, since
 * Kafka offsets are committed and files finalized on checkpoints.
 */
public class StreamingPipeline {
  /** The streaming pipeline's flags; the processing flags come from {@link TelemetryOptions}. */
  public interface Options
      extends TelemetryOptions,
          StreamingOptions,
          KafkaSourceOptions,
          AzureSinkOptions,
          ObservabilityOptions,
          NotifyOptions,
          AlertWebhookOptions,
          FileOutputOptions {
    @Description(
        "How far out of event-time order telemetry may arrive on one partition before "
            + "it counts as late (the watermark trails the newest event time by this), in seconds.")
    @Default.Integer(60)
    Integer getMaxOutOfOrderSeconds();

    void setMaxOutOfOrderSeconds(Integer value);

    @Description(
        "Event-time window of the raw archive and the other files, in minutes; must "
            + "divide 60.")
    @Default.Integer(5)
    Integer getFileWindowMinutes();

    void setFileWindowMinutes(Integer value);

    @Description("Processing-time delay after which open or late file panes are flushed, seconds.")
    @Default.Integer(60)
    Integer getFileFlushSeconds();

    void setFileFlushSeconds(Integer value);

    @Description(
        "Before the job starts, check within this many seconds that Kafka (Event Hubs) "
            + "takes the credentials and has the topics, and that the azfs output container is "
            + "reachable; fail with what to fix otherwise. 0: no check.")
    @Default.Integer(30)
    Integer getStartupCheckSeconds();

    void setStartupCheckSeconds(Integer value);

    @Description(
        "A partition that has been caught up and silent this many seconds stops holding "
            + "the watermark back: it follows the other partitions (the slowest active one; when the "
            + "whole stream is quiet, the most advanced), and its own clock runs on from where its "
            + "data left it.")
    @Default.Integer(60)
    Integer getIdlePartitionSeconds();

    void setIdlePartitionSeconds(Integer value);
  }

  /** Flink settings of the streaming job (the cluster's flink-conf.yaml carries the same). */
  static final java.util.Map<String, String> STREAMING_FLINK_CONF =
      java.util.Map.of("execution.buffer-timeout", "10 ms");

  public static void main(String[] args) {
    PipelineOptionsFactory.register(Options.class);
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    PipelineResult result = run(options);
    if (DetachedJob.applies(options)) { // submitted to a cluster: return once it runs
      try {
        System.out.println(
            DetachedJob.awaitRunning(
                result, options.as(FlinkPipelineOptions.class), java.time.Duration.ofMinutes(5)));
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the job to run", e);
      }
    }
    try (BeamMetricsExporter metrics = BeamMetricsExporter.startIfEnabled(result, options)) {
      result.waitUntilFinish();
    }
  }

  public static PipelineResult run(Options options) {
    Pipeline p = create(options);
    StreamingPreflight.check(options); // credentials and containers, before any job starts
    // before the job starts: on Flink the metrics reporter is part of the cluster configuration
    BeamMetricsExporter.prepare(options);
    return p.run();
  }

  /** Validates the options (all problems at once) and builds the pipeline without running it. */
  public static Pipeline create(Options options) {
    options.setStreaming(true);
    OptionProblems problems = new OptionProblems();
    ProcessingConfig config = problems.parse(() -> ProcessingConfigs.fromOptions(options));
    problems.add(checkOptions(options));
    problems.throwIfAny("cannot start the streaming pipeline");
    KafkaClientSettings kafka = kafkaSettings(options);
    if (EmbeddedFlink.isFlink(options)) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      if (flink.getCheckpointingInterval() == null || flink.getCheckpointingInterval() <= 0) {
        flink.setCheckpointingInterval(30_000L);
      }
      // every record is an immutable protobuf message and no DoFn mutates its input, so the
      // defensive copy Flink makes between chained operators buys nothing
      flink.setObjectReuse(true);
      // Beam's Flink operators otherwise finish a bundle inside the checkpoint's snapshot and hold
      // what @FinishBundle emits (a raw-archive chunk, a written file's result) until the
      // operator's next element or watermark: when the stream goes quiet that is the next reading
      // or the idle-partition timeout, a minute later, and the files wait with it
      flink.setFinishBundleBeforeCheckpointing(true);
      // binds it to 127.0.0.1; network buffers leave after at most 10 ms instead of 100 ms: an
      // alert crosses two keyed exchanges, and 200 ms of buffering would be most of its budget
      EmbeddedFlink.configure(flink, STREAMING_FLINK_CONF);
      if (flink.getStateBackend() == null && EmbeddedFlink.isEmbedded(flink)) {
        EmbeddedFlink.checkpointToFiles(
            flink,
            java.nio.file.Path.of(
                System.getProperty("java.io.tmpdir"), "iotbeam-checkpoints", flink.getJobName()));
      }
    }

    Pipeline p = Pipeline.create(options);
    PCollection<InboundMessage> messages =
        p.apply(
            "ReadTelemetry",
            new KafkaTelemetrySource(
                kafka,
                options.getInputTopic(),
                Duration.standardSeconds(options.getMaxOutOfOrderSeconds()),
                Duration.standardSeconds(options.getIdlePartitionSeconds()),
                options.getMaxAgeHours() * 3_600_000L,
                options.getMaxFutureSkewSeconds() * 1000L));

    if (kafka.auth() != EventHubsAuth.NONE) { // a credential refused later: a metric, an ERROR
      p.apply(
          "WatchKafkaCredentials",
          new KafkaCredentialWatch(
              kafka, options.getInputTopic(), java.time.Duration.ofMinutes(1)));
    }

    TelemetryResults results = messages.apply("Process", new TelemetryProcessing(config));
    writeResults(messages, results, options, kafka);
    return p;
  }

  static KafkaClientSettings kafkaSettings(Options options) {
    return KafkaSourceOptions.settings(options);
  }

  /** Every sink of the streaming pipeline; {@code messages} are the source's, before parsing. */
  static void writeResults(
      PCollection<InboundMessage> messages,
      TelemetryResults results,
      Options options,
      KafkaClientSettings kafka) {
    String base = FileOutputOptions.base(options);
    // Anything the validator accepts is at most maxAge old: such a reading is never dropped from
    // the files as too late (the aggregates themselves keep their own allowed lateness).
    Duration fileLateness = Duration.standardHours(options.getMaxAgeHours() + 1L);
    FileWindowing files =
        FileWindowing.of(
            Duration.standardMinutes(options.getFileWindowMinutes()),
            fileLateness,
            Duration.standardSeconds(options.getFileFlushSeconds()));
    int shards = options.getFileShards();

    // every message as it arrived, valid or not: what reprocessing re-judges with new flags
    messages.apply("RawArchive", new RawArchiveSink(base + "raw/", files, shards));

    // every step and sink that can fail adds its dead letters here (docs: DeadLetterHandler)
    try (DeadLetterHandler deadLetters =
        DeadLetterHandler.of(messages.getPipeline())
            .withTopic(
                "DeadLettersToKafka",
                new KafkaJsonSink<>(
                    kafka.bootstrapServers(),
                    options.getDeadLetterTopic(),
                    kafka.producer(),
                    DeadLetter::getId))
            .withFiles(
                "DeadLetterFiles",
                new JsonLinesFileSink<>(base + "dead-letters/", "dead-letters", files, shards))) {
      deadLetters.add(results.deadLetters());

      PCollection<WindowAggregate> aggregates = results.aggregates();
      aggregates.apply(
          "AggregateFiles",
          new JsonLinesFileSink<>(base + "aggregates/", "aggregates", files, shards));
      deadLetters.add(
          aggregates.apply(
              "AggregatesToKafka",
              new KafkaJsonSink<>(
                  kafka.bootstrapServers(),
                  options.getAggregatesTopic(),
                  kafka.producer(),
                  WindowAggregate::getId)));

      PCollection<Alert> alerts = results.alerts();
      alerts.apply(
          "AlertFiles", new JsonLinesFileSink<>(base + "alerts/", "alerts", files, shards));
      deadLetters.add(
          alerts.apply(
              "AlertsToKafka",
              new KafkaJsonSink<>(
                  kafka.bootstrapServers(),
                  options.getAlertsTopic(),
                  kafka.producer(),
                  Alert::getId)));
      deadLetters.add(AlertWebhookOptions.sendTo(alerts, options));
      deadLetters.addAll(AzureSinkOptions.applyTo(results, options));
      // people: e-mail, SMS, webhooks as --notificationRoutesFile says (docs/notifications.md)
      deadLetters.add(Notify.applyTo(alerts, options));
    }
  }

  /** Every problem with the flags but the processing ones ({@link ProcessingConfigs}). */
  static List<String> checkOptions(Options o) {
    return new OptionProblems()
        .add(KafkaSourceOptions.problems(o))
        .add(FileOutputOptions.problems(o, 1000))
        .addIf(
            o.getMaxOutOfOrderSeconds() == null || o.getMaxOutOfOrderSeconds() < 0,
            "--maxOutOfOrderSeconds must be zero or more")
        .add(HourAligned.problem("--fileWindowMinutes", o.getFileWindowMinutes()))
        .addIf(
            o.getFileFlushSeconds() == null || o.getFileFlushSeconds() <= 0,
            "--fileFlushSeconds must be positive")
        .addIf(
            o.getIdlePartitionSeconds() == null || o.getIdlePartitionSeconds() <= 0,
            "--idlePartitionSeconds must be a positive number of seconds")
        .addIf(
            o.getStartupCheckSeconds() == null || o.getStartupCheckSeconds() < 0,
            "--startupCheckSeconds must be zero (no check) or a number of seconds")
        .add(BlobClientFactory.secretFlagProblems(o))
        .add(NotifyConfig.problems(o))
        .add(AlertWebhookOptions.problems(o))
        .list();
  }
}
