package org.iotbeam.pipelines.kafka;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaUnboundedSources;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.SourcePosition;
import org.iotbeam.transforms.Coders;
import org.joda.time.Duration;

/**
 * Telemetry from a Kafka topic (or Event Hub) as {@link InboundMessage}s: key = device id, value =
 * the protobuf payload, untouched. Each message keeps where it came from (topic, partition,
 * offset), the broker's timestamp as its ingest time and the W3C {@code traceparent} header.
 *
 * <p>Always unbounded, as production reads: KafkaIO's bounded modes (a record count or a read time)
 * go through Beam's bounded wrapper, which bypasses the watermark policy and splits a record count
 * evenly over partitions of unequal size. Stop a run by cancelling it, or with a savepoint; a
 * backfill is the bounded way to process a fixed set of messages.
 *
 * <p>KafkaIO's own unbounded reader does the reading; its records reach the pipeline in batches
 * ({@link RecordBatchSource}), unpacked by the next step, because Beam's Flink runner does work per
 * element it reads that it need not do per record.
 *
 * <p>Elements are stamped with the device's event time read cheaply from the payload (see {@link
 * EventTimePolicy}); offsets are committed to the consumer group when Beam finalizes a checkpoint
 * ({@code commitOffsetsInFinalize}), never by the consumer's auto-commit.
 */
public class KafkaTelemetrySource extends PTransform<PBegin, PCollection<InboundMessage>> {
  public static final String TRACEPARENT_HEADER = "traceparent";

  /**
   * Records reach the pipeline in batches ({@link RecordBatchSource}): up to this many, held at
   * most {@link #MAX_BATCH_DELAY} (plus one wait of KafkaIO's reader for data, at most 20 ms).
   * Small against the 250 ms latency budget; under a backlog the batches fill at once.
   */
  static final int MAX_BATCH_RECORDS = 500;

  static final java.time.Duration MAX_BATCH_DELAY = java.time.Duration.ofMillis(2);

  private final KafkaClientSettings settings;
  private final String topic;
  private final Duration maxOutOfOrder;
  private final Duration idleTimeout;
  private final long maxAgeMs;
  private final long maxFutureMs;

  public KafkaTelemetrySource(
      KafkaClientSettings settings,
      String topic,
      Duration maxOutOfOrder,
      Duration idleTimeout,
      long maxAgeMs,
      long maxFutureMs) {
    this.settings = settings;
    this.topic = topic;
    this.maxOutOfOrder = maxOutOfOrder;
    this.idleTimeout = idleTimeout;
    this.maxAgeMs = maxAgeMs;
    this.maxFutureMs = maxFutureMs;
  }

  @Override
  public PCollection<InboundMessage> expand(PBegin input) {
    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(settings.bootstrapServers())
            .withTopic(topic)
            .withKeyDeserializerAndCoder(
                ByteArrayDeserializer.class, NullableCoder.of(ByteArrayCoder.of()))
            .withValueDeserializerAndCoder(
                ByteArrayDeserializer.class, NullableCoder.of(ByteArrayCoder.of()))
            .withConsumerConfigUpdates(settings.consumer())
            .withTimestampPolicyFactory(
                EventTimePolicy.factory(maxOutOfOrder, idleTimeout, maxAgeMs, maxFutureMs))
            .commitOffsetsInFinalize();
    return input
        .apply(
            "ReadKafka",
            Read.from(
                RecordBatchSource.of(
                    KafkaUnboundedSources.of(read), MAX_BATCH_RECORDS, MAX_BATCH_DELAY)))
        .apply("ToInboundMessages", ParDo.of(new ToInboundFn()))
        .setCoder(Coders.INBOUND);
  }

  /** Unpacks a batch: each record as an {@link InboundMessage} at its own event time. */
  static class ToInboundFn
      extends DoFn<List<TimestampedValue<KafkaRecord<byte[], byte[]>>>, InboundMessage> {
    @ProcessElement
    public void process(
        @Element List<TimestampedValue<KafkaRecord<byte[], byte[]>>> batch,
        OutputReceiver<InboundMessage> out) {
      for (TimestampedValue<KafkaRecord<byte[], byte[]>> r : batch) {
        out.outputWithTimestamp(toInbound(r.getValue()), r.getTimestamp());
      }
    }
  }

  public static InboundMessage toInbound(KafkaRecord<byte[], byte[]> r) {
    byte[] value = r.getKV().getValue();
    byte[] key = r.getKV().getKey();
    InboundMessage.Builder b =
        InboundMessage.newBuilder()
            .setPayload(value == null ? ByteString.EMPTY : ByteString.copyFrom(value))
            .setIngestTimeMs(r.getTimestamp())
            .setSource(
                SourcePosition.newBuilder()
                    .setSystem("kafka")
                    .setTopic(r.getTopic())
                    .setPartition(r.getPartition())
                    .setOffset(r.getOffset()));
    if (key != null) {
      b.setKey(new String(key, StandardCharsets.UTF_8));
    }
    Headers headers = r.getHeaders();
    if (headers != null) {
      Header h = headers.lastHeader(TRACEPARENT_HEADER);
      if (h != null && h.value() != null) {
        b.setTraceparent(new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    return b.build();
  }
}
