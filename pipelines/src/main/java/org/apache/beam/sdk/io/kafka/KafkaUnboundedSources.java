package org.apache.beam.sdk.io.kafka;

import org.apache.beam.sdk.io.UnboundedSource;

/**
 * KafkaIO's own unbounded source for a configured read, the one {@code KafkaIO.read()} applies on a
 * runner that prefers it (Flink does). KafkaIO keeps {@code makeSource()} package-private; this one
 * method in its package lets {@code org.iotbeam.pipelines.kafka.RecordBatchSource} wrap that source
 * instead of a copy of Kafka's consumer, offset and checkpoint logic. A Beam upgrade that renames
 * it fails the build here, not a running job.
 */
public final class KafkaUnboundedSources {
  private KafkaUnboundedSources() {}

  /**
   * The source of {@code read}, which must carry its key and value coders (KafkaIO's {@code
   * with...DeserializerAndCoder}); KafkaIO's own checks of the settings do not run here.
   */
  public static <K, V> UnboundedSource<KafkaRecord<K, V>, KafkaCheckpointMark> of(
      KafkaIO.Read<K, V> read) {
    if (read.getKeyCoder() == null || read.getValueCoder() == null) {
      throw new IllegalArgumentException(
          "the Kafka read needs explicit key and value coders (withKeyDeserializerAndCoder)");
    }
    return read.makeSource();
  }
}
