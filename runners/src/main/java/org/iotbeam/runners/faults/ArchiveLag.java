package org.iotbeam.runners.faults;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.iotbeam.pipelines.sinks.FinishedFiles;

/**
 * How many of a topic's records the raw archive of a run does not hold yet: the records between
 * each partition's earliest and latest offset, minus the distinct source positions of that topic in
 * the finished raw-archive files under {@code OUTPUT_BASE/raw}. Printed as one number; 0 when every
 * record produced so far is archived.
 *
 * <pre>
 * java -cp runners-shaded.jar org.iotbeam.runners.faults.ArchiveLag BOOTSTRAP TOPIC OUTPUT_BASE
 * </pre>
 */
public final class ArchiveLag {
  private ArchiveLag() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ArchiveLag <bootstrap servers> <topic> <output base>");
      System.exit(2);
    }
    String topic = args[1];
    System.out.println(records(args[0], topic) - archived(Path.of(args[2]).resolve("raw"), topic));
  }

  static long records(String bootstrap, String topic) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("default.api.timeout.ms", 10000);
    p.put("request.timeout.ms", 10000);
    try (Admin admin = Admin.create(p)) {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(15, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .collect(Collectors.toList());
      Map<TopicPartition, ListOffsetsResultInfo> earliest =
          offsets(admin, partitions, OffsetSpec.earliest());
      Map<TopicPartition, ListOffsetsResultInfo> latest =
          offsets(admin, partitions, OffsetSpec.latest());
      long n = 0;
      for (TopicPartition tp : partitions) {
        n += latest.get(tp).offset() - earliest.get(tp).offset();
      }
      return n;
    }
  }

  private static Map<TopicPartition, ListOffsetsResultInfo> offsets(
      Admin admin, List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
    return admin
        .listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec)))
        .all()
        .get(15, TimeUnit.SECONDS);
  }

  static long archived(Path raw, String topic) {
    Set<String> positions = new HashSet<>();
    FinishedFiles.forEachArchived(
        raw,
        m -> {
          if (topic.equals(m.getSource().getTopic())) {
            positions.add(RunOutputs.position(m));
          }
        });
    return positions.size();
  }
}
