package org.iotbeam.pipelines.sinks;

import com.google.protobuf.Message;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes protobuf records as JSON to a Kafka topic (or Event Hub), keyed by their id, so a
 * compacted topic or a consumer that upserts by key keeps the latest pane or alert state.
 */
public class KafkaJsonSink<T extends Message> extends PTransform<PCollection<T>, PDone> {
  private final String bootstrapServers;
  private final String topic;
  private final Map<String, Object> producerConfig;
  private final SerializableFunction<T, String> keyFn;

  public KafkaJsonSink(String bootstrapServers, String topic, Map<String, Object> producerConfig,
      SerializableFunction<T, String> keyFn) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.producerConfig = producerConfig;
    this.keyFn = keyFn;
  }

  @Override
  public PDone expand(PCollection<T> records) {
    SerializableFunction<T, String> key = keyFn;
    return records
        .apply("KeyedJson", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via((T r) -> KV.of(key.apply(r), ProtoJson.toJson(r))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("WriteKafka", KafkaIO.<String, String>write()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class)
            .withProducerConfigUpdates(producerConfig));
  }
}
