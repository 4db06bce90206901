package org.iotbeam.pipelines;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.iotbeam.pipelines.azure.AzureSinkOptions;
import org.iotbeam.pipelines.azure.blob.BlobClientFactory;
import org.iotbeam.pipelines.common.HourAligned;
import org.iotbeam.pipelines.common.InvalidOptionsException;
import org.iotbeam.pipelines.common.ProcessingConfigs;
import org.iotbeam.pipelines.common.TelemetryOptions;
import org.iotbeam.pipelines.flink.DetachedJob;
import org.iotbeam.pipelines.flink.EmbeddedFlink;
import org.iotbeam.pipelines.kafka.EventHubsAuth;
import org.iotbeam.pipelines.kafka.KafkaClientSettings;
import org.iotbeam.pipelines.kafka.KafkaCredentialWatch;
import org.iotbeam.pipelines.kafka.KafkaTelemetrySource;
import org.iotbeam.pipelines.notify.Notify;
import org.iotbeam.pipelines.notify.NotifyConfig;
import org.iotbeam.pipelines.notify.NotifyOptions;
import org.iotbeam.pipelines.observability.BeamMetricsExporter;
import org.iotbeam.pipelines.observability.DeadLetterLog;
import org.iotbeam.pipelines.observability.ObservabilityOptions;
import org.iotbeam.pipelines.sinks.AlertWebhookOptions;
import org.iotbeam.pipelines.sinks.AlertWebhookSink;
import org.iotbeam.pipelines.sinks.FileOutputOptions;
import org.iotbeam.pipelines.sinks.FileWindowing;
import org.iotbeam.pipelines.sinks.JsonLinesFileSink;
import org.iotbeam.pipelines.sinks.KafkaJsonSink;
import org.iotbeam.pipelines.sinks.RawArchiveSink;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.Coders;
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
  public interface Options extends TelemetryOptions, StreamingOptions, AzureSinkOptions,
      ObservabilityOptions, NotifyOptions, AlertWebhookOptions, FileOutputOptions {
    @Description("Kafka bootstrap servers; for Event Hubs <namespace>.servicebus.windows.net:9093.")
    @Default.String("127.0.0.1:9092")
    String getBootstrapServers();

    void setBootstrapServers(String value);

    @Description("Authentication: NONE (plain broker), CONNECTION_STRING (SASL PLAIN with the "
        + "connection string from env EVENTHUBS_CONNECTION_STRING) or OAUTHBEARER (Entra token "
        + "from DefaultAzureCredential).")
    @Default.Enum("NONE")
    EventHubsAuth getEventHubsAuth();

    void setEventHubsAuth(EventHubsAuth value);

    @Description("Topic (event hub) the telemetry arrives on.")
    @Default.String("telemetry")
    String getInputTopic();

    void setInputTopic(String value);

    @Description("Topic the window aggregates go to (key = aggregate id).")
    @Default.String("aggregates")
    String getAggregatesTopic();

    void setAggregatesTopic(String value);

    @Description("Topic the alert events go to (key = alert id).")
    @Default.String("alerts")
    String getAlertsTopic();

    void setAlertsTopic(String value);

    @Description("Topic the dead letters go to (key = dead-letter id).")
    @Default.String("dead-letters")
    String getDeadLetterTopic();

    void setDeadLetterTopic(String value);

    @Description("Consumer group whose offsets the pipeline commits on checkpoints.")
    @Default.String("iotbeam-streaming")
    String getConsumerGroup();

    void setConsumerGroup(String value);

    @Description("How far out of event-time order telemetry may arrive on one partition before "
        + "it counts as late (the watermark trails the newest event time by this), in seconds.")
    @Default.Integer(60)
    Integer getMaxOutOfOrderSeconds();

    void setMaxOutOfOrderSeconds(Integer value);

    @Description("Event-time window of the raw archive and the other files, in minutes; must "
        + "divide 60.")
    @Default.Integer(5)
    Integer getFileWindowMinutes();

    void setFileWindowMinutes(Integer value);

    @Description("Processing-time delay after which open or late file panes are flushed, seconds.")
    @Default.Integer(60)
    Integer getFileFlushSeconds();

    void setFileFlushSeconds(Integer value);

    @Description("Before the job starts, check within this many seconds that Kafka (Event Hubs) "
        + "takes the credentials and has the topics, and that the azfs output container is "
        + "reachable; fail with what to fix otherwise. 0: no check.")
    @Default.Integer(30)
    Integer getStartupCheckSeconds();

    void setStartupCheckSeconds(Integer value);

    @Description("A partition that has been caught up and silent this many seconds stops holding "
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
        System.out.println(DetachedJob.awaitRunning(result, options.as(FlinkPipelineOptions.class),
            java.time.Duration.ofMinutes(5)));
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
    ProcessingConfig config;
    List<String> problems = new ArrayList<>();
    try {
      config = ProcessingConfigs.fromOptions(options);
    } catch (InvalidOptionsException e) {
      problems.addAll(e.problems());
      config = null;
    }
    KafkaClientSettings kafka = kafkaSettings(options);
    problems.addAll(kafka.problems());
    problems.addAll(checkOptions(options));
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException("cannot start the streaming pipeline", problems);
    }
    if (EmbeddedFlink.isFlink(options)) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      if (flink.getCheckpointingInterval() == null || flink.getCheckpointingInterval() <= 0) {
        flink.setCheckpointingInterval(30_000L);
      }
      // every record is an immutable protobuf message and no DoFn mutates its input, so the
      // defensive copy Flink makes between chained operators buys nothing
      flink.setObjectReuse(true);
      // binds it to 127.0.0.1; network buffers leave after at most 10 ms instead of 100 ms: an
      // alert crosses two keyed exchanges, and 200 ms of buffering would be most of its budget
      EmbeddedFlink.configure(flink, STREAMING_FLINK_CONF);
      if (flink.getStateBackend() == null && EmbeddedFlink.isEmbedded(flink)) {
        EmbeddedFlink.checkpointToFiles(flink, java.nio.file.Path.of(
            System.getProperty("java.io.tmpdir"), "iotbeam-checkpoints", flink.getJobName()));
      }
    }

    Pipeline p = Pipeline.create(options);
    PCollection<InboundMessage> messages = p.apply("ReadTelemetry", new KafkaTelemetrySource(
        kafka, options.getInputTopic(),
        Duration.standardSeconds(options.getMaxOutOfOrderSeconds()),
        Duration.standardSeconds(options.getIdlePartitionSeconds()),
        options.getMaxAgeHours() * 3_600_000L,
        options.getMaxFutureSkewSeconds() * 1000L));

    if (kafka.auth() != EventHubsAuth.NONE) { // a credential refused later: a metric, an ERROR
      p.apply("WatchKafkaCredentials", new KafkaCredentialWatch(kafka, options.getInputTopic(),
          java.time.Duration.ofMinutes(1)));
    }

    TelemetryResults results = messages.apply("Process", new TelemetryProcessing(config));
    writeResults(messages, results, options, kafka);
    return p;
  }

  static KafkaClientSettings kafkaSettings(Options options) {
    return KafkaClientSettings.of(options.getBootstrapServers(), options.getEventHubsAuth(),
        options.getConsumerGroup());
  }

  /** Every sink of the streaming pipeline; {@code messages} are the source's, before parsing. */
  static void writeResults(PCollection<InboundMessage> messages, TelemetryResults results,
      Options options, KafkaClientSettings kafka) {
    String base = FileOutputOptions.base(options);
    // Anything the validator accepts is at most maxAge old: such a reading is never dropped from
    // the files as too late (the aggregates themselves keep their own allowed lateness).
    Duration fileLateness = Duration.standardHours(options.getMaxAgeHours() + 1L);
    FileWindowing files = FileWindowing.of(
        Duration.standardMinutes(options.getFileWindowMinutes()), fileLateness,
        Duration.standardSeconds(options.getFileFlushSeconds()));
    int shards = options.getFileShards();

    // every message as it arrived, valid or not: what reprocessing re-judges with new flags
    messages.apply("RawArchive", new RawArchiveSink(base + "raw/", files, shards));

    PCollection<WindowAggregate> aggregates = results.aggregates();
    aggregates.apply("AggregateFiles",
        new JsonLinesFileSink<>(base + "aggregates/", "aggregates", files, shards));
    List<PCollection<DeadLetter>> sinkFailures = new ArrayList<>();
    sinkFailures.add(aggregates.apply("AggregatesToKafka", new KafkaJsonSink<>(
        kafka.bootstrapServers(), options.getAggregatesTopic(), kafka.producer(),
        WindowAggregate::getId)));

    PCollection<Alert> alerts = results.alerts();
    alerts.apply("AlertFiles", new JsonLinesFileSink<>(base + "alerts/", "alerts", files, shards));
    sinkFailures.add(alerts.apply("AlertsToKafka", new KafkaJsonSink<>(kafka.bootstrapServers(),
        options.getAlertsTopic(), kafka.producer(), Alert::getId)));
    if (!options.getAlertWebhookUrl().isEmpty()) {
      sinkFailures.add(alerts.apply("AlertWebhook", new AlertWebhookSink(
          options.getAlertWebhookUrl(), options.getWebhookMaxAttempts(),
          options.getWebhookInitialBackoffMs(), options.getWebhookTimeoutMs())));
    }
    sinkFailures.addAll(AzureSinkOptions.applyTo(results, options));
    // people: e-mail, SMS, webhooks as --notificationRoutesFile says (docs/notifications.md)
    Notify.applyTo(alerts, options).ifPresent(sinkFailures::add);

    // every record a sink gave up on is a dead letter too (in the global window, as the
    // parser's are: an aggregate's window means nothing to its dead letter); those the
    // dead-letter topic itself refuses go to the dead-letter files only (no cycle)
    PCollectionList<DeadLetter> all = PCollectionList.of(results.deadLetters());
    for (PCollection<DeadLetter> failures : sinkFailures) {
      all = all.and(failures.apply(failures.getName().replace('/', '_') + "_GlobalWindow",
          Window.<DeadLetter>into(new GlobalWindows()).triggering(DefaultTrigger.of())
              .withAllowedLateness(Duration.ZERO).discardingFiredPanes()));
    }
    PCollection<DeadLetter> deadLetters = all
        .apply("WithSinkFailures", Flatten.pCollections())
        .setCoder(Coders.DEAD_LETTER);
    PCollection<DeadLetter> deadLetterTopicFailures = deadLetters.apply("DeadLettersToKafka",
        new KafkaJsonSink<>(kafka.bootstrapServers(), options.getDeadLetterTopic(),
            kafka.producer(), DeadLetter::getId));
    PCollection<DeadLetter> allDeadLetters = PCollectionList.of(deadLetters)
        .and(deadLetterTopicFailures)
        .apply("WithDeadLetterTopicFailures", Flatten.pCollections())
        .setCoder(Coders.DEAD_LETTER);
    allDeadLetters.apply("LogDeadLetters", new DeadLetterLog(20));
    allDeadLetters.apply("DeadLetterFiles",
        new JsonLinesFileSink<>(base + "dead-letters/", "dead-letters", files, shards));
  }

  static List<String> checkOptions(Options o) {
    List<String> p = new ArrayList<>();
    p.addAll(FileOutputOptions.problems(o, 1000));
    for (String[] t : new String[][] {
        {"--inputTopic", o.getInputTopic()}, {"--aggregatesTopic", o.getAggregatesTopic()},
        {"--alertsTopic", o.getAlertsTopic()}, {"--deadLetterTopic", o.getDeadLetterTopic()}}) {
      if (t[1] == null || !t[1].matches("[A-Za-z0-9._-]{1,249}")) {
        p.add(t[0] + "='" + t[1] + "' is not a valid topic name ([A-Za-z0-9._-], 1-249 chars)");
      }
    }
    if (o.getInputTopic() != null && (o.getInputTopic().equals(o.getAggregatesTopic())
        || o.getInputTopic().equals(o.getAlertsTopic())
        || o.getInputTopic().equals(o.getDeadLetterTopic()))) {
      p.add("--inputTopic must differ from the output topics (the pipeline would read its own "
          + "output)");
    }
    if (o.getMaxOutOfOrderSeconds() == null || o.getMaxOutOfOrderSeconds() < 0) {
      p.add("--maxOutOfOrderSeconds must be zero or more");
    }
    HourAligned.problem("--fileWindowMinutes", o.getFileWindowMinutes()).ifPresent(p::add);
    if (o.getFileFlushSeconds() == null || o.getFileFlushSeconds() <= 0) {
      p.add("--fileFlushSeconds must be positive");
    }
    if (o.getIdlePartitionSeconds() == null || o.getIdlePartitionSeconds() <= 0) {
      p.add("--idlePartitionSeconds must be a positive number of seconds");
    }
    if (o.getStartupCheckSeconds() == null || o.getStartupCheckSeconds() < 0) {
      p.add("--startupCheckSeconds must be zero (no check) or a number of seconds");
    }
    p.addAll(BlobClientFactory.secretFlagProblems(o));
    p.addAll(NotifyConfig.problems(o));
    String hook = o.getAlertWebhookUrl();
    if (hook != null && !hook.isEmpty()) {
      if (!hook.startsWith("http://") && !hook.startsWith("https://")) {
        p.add("--alertWebhookUrl must be an http:// or https:// URL");
      }
      if (o.getWebhookMaxAttempts() == null || o.getWebhookMaxAttempts() < 1
          || o.getWebhookMaxAttempts() > 20) {
        p.add("--webhookMaxAttempts must be 1..20");
      }
    }
    return p;
  }
}
