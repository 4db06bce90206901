package org.iotbeam.pipelines.sinks;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.pipelines.kafka.KafkaCredentialWatch;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.DeadLetters;
import org.iotbeam.transforms.TelemetryMetrics;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes protobuf records as JSON to a Kafka topic (or Event Hub), keyed by their id, so a
 * compacted topic or a consumer that upserts by key keeps the latest pane or alert state.
 *
 * <p>No record can stop the pipeline. Beam's {@code KafkaIO.write()} fails the bundle when any send
 * fails, and a record the broker will never take (larger than the topic's {@code
 * max.message.bytes}, say) then fails the task, which restores, replays the same record and fails
 * again, for ever. Here each record the producer gives up on, after its own bounded retries ({@code
 * delivery.timeout.ms}), comes out as a {@link DeadLetter} (stage {@code sink}, destination {@code
 * kafka/<topic>}, the record's JSON as payload): reason {@link Reason#SINK_RECORD_REJECTED} when
 * the broker refused the record itself, else {@link Reason#SINK_WRITE_FAILED} (timed out,
 * unauthorized). Counted in {@code kafka_records_written}, {@code kafka_records_failed}, and {@code
 * kafka_auth_failures} when the credentials were refused ({@code sink_dead_letters}: {@link
 * DeadLetterHandler}).
 *
 * <p>Delivery is at-least-once: every bundle waits for the broker's acknowledgements before it
 * completes, so a checkpoint covers only acknowledged records; after a restore, records written
 * since the last checkpoint are written again, with the same key and value (Event Hubs has no Kafka
 * transactions).
 */
public class KafkaJsonSink<T extends Message>
    extends PTransform<PCollection<T>, PCollection<DeadLetter>> {
  public static final String WRITTEN = "kafka_records_written";
  public static final String FAILED = "kafka_records_failed";
  public static final String AUTH_FAILURES = KafkaCredentialWatch.AUTH_FAILURES;

  private final String bootstrapServers;
  private final String topic;
  private final Map<String, Object> producerConfig;
  private final SerializableFunction<T, String> keyFn;

  public KafkaJsonSink(
      String bootstrapServers,
      String topic,
      Map<String, Object> producerConfig,
      SerializableFunction<T, String> keyFn) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.producerConfig = new HashMap<>(producerConfig);
    this.keyFn = keyFn;
  }

  /** The destination a dead letter of this sink names. */
  public static String destination(String topic) {
    return "kafka/" + topic;
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<T> records) {
    Map<String, Object> config = new HashMap<>(producerConfig);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return records
        .apply("WriteKafka", ParDo.of(new WriteFn<>(topic, config, keyFn)))
        .setCoder(Coders.DEAD_LETTER);
  }

  static class WriteFn<T extends Message> extends DoFn<T, DeadLetter> {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaJsonSink.class);
    private final String topic;
    private final HashMap<String, Object> config;
    private final SerializableFunction<T, String> keyFn;
    private final Counter written = TelemetryMetrics.counter(WRITTEN);
    private final Counter failed = TelemetryMetrics.counter(FAILED);
    private final Counter authFailures = TelemetryMetrics.counter(AUTH_FAILURES);
    private transient Producer<String, String> producer;
    private transient List<Pending> pending;

    /** A send in flight and what a dead letter of it needs. */
    private record Pending(
        String key,
        String json,
        Future<RecordMetadata> result,
        Instant timestamp,
        BoundedWindow window) {}

    WriteFn(String topic, Map<String, Object> config, SerializableFunction<T, String> keyFn) {
      this.topic = topic;
      this.config = new HashMap<>(config);
      this.keyFn = keyFn;
    }

    @Setup
    public void setup() {
      producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    @StartBundle
    public void startBundle() {
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(
        @Element T record, @DoFn.Timestamp Instant timestamp, BoundedWindow window) {
      String key = keyFn.apply(record);
      String json = ProtoJson.toJson(record);
      // send() reports every failure, even one it finds before sending, through the future
      pending.add(
          new Pending(
              key, json, producer.send(new ProducerRecord<>(topic, key, json)), timestamp, window));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) throws InterruptedException {
      producer.flush(); // every send is acknowledged or has failed after its retries
      int failures = 0;
      String first = null;
      for (Pending p : pending) {
        try {
          p.result().get();
          written.inc();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          failed.inc();
          if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
            authFailures.inc();
          }
          failures++;
          String detail = cause.getClass().getSimpleName() + ": " + cause.getMessage();
          first = first == null ? detail : first;
          c.output(
              DeadLetters.sinkFailure(
                  destination(topic),
                  p.key(),
                  ByteString.copyFromUtf8(p.json()),
                  "",
                  reasonOf(cause),
                  detail),
              p.timestamp(),
              p.window());
        }
      }
      if (failures > 0) {
        LOG.warn(
            "{} of {} record(s) not written to Kafka topic {}, sent to the dead letters; "
                + "first: {}",
            failures,
            pending.size(),
            topic,
            first);
      }
      pending.clear();
    }

    @Teardown
    public void teardown() {
      if (producer != null) {
        producer.close(Duration.ofSeconds(10));
      }
    }
  }

  /** Whether the broker refused the record itself, so that sending it again cannot succeed. */
  static Reason reasonOf(Throwable cause) {
    return cause instanceof RecordTooLargeException
            || cause instanceof RecordBatchTooLargeException
            || cause instanceof InvalidRecordException
        ? Reason.SINK_RECORD_REJECTED
        : Reason.SINK_WRITE_FAILED;
  }
}
