package org.iotbeam.runners.faults;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group is behind a topic: the sum over partitions of end offset minus the
 * group's committed offset, printed as one number ({@code -1} before the group committed any). The
 * streaming job commits on completed checkpoints, so 0 means it has read and checkpointed
 * everything produced so far.
 *
 * <pre>java -cp runners-shaded.jar org.iotbeam.runners.faults.ConsumerLag BOOTSTRAP GROUP TOPIC
 * </pre>
 */
public final class ConsumerLag {
  private ConsumerLag() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ConsumerLag <bootstrap servers> <group> <topic>");
      System.exit(2);
    }
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    p.put("default.api.timeout.ms", 10000);
    p.put("request.timeout.ms", 10000);
    try (Admin admin = Admin.create(p)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(args[1])
              .partitionsToOffsetAndMetadata()
              .get(15, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(java.util.List.of(args[2]))
          .allTopicNames()
          .get(15, TimeUnit.SECONDS)
          .get(args[2])
          .partitions()
          .forEach(
              i -> latest.put(new TopicPartition(args[2], i.partition()), OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS);
      long lag = 0;
      boolean any = false;
      for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        if (c != null) {
          any = true;
        }
        lag += e.getValue().offset() - (c == null ? 0 : c.offset());
      }
      System.out.println(any ? lag : -1);
    }
  }
}
