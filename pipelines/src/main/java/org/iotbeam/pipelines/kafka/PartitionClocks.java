package org.iotbeam.pipelines.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.joda.time.Instant;

/**
 * What the partitions of one Kafka read know of each other within a JVM: each partition's watermark
 * and whether it is active, so that an idle or empty partition can follow the others instead of the
 * wall clock. Flink runs every reader of a task manager in one JVM; a read's readers on other task
 * managers are not seen (see {@link EventTimePolicy}).
 */
final class PartitionClocks {
  private static final Map<String, Group> GROUPS = new ConcurrentHashMap<>();

  private PartitionClocks() {}

  static Group group(String id) {
    return GROUPS.computeIfAbsent(id, k -> new Group());
  }

  /** The partitions of one read (one pipeline's KafkaIO source). */
  static final class Group {
    private record Clock(Instant watermark, boolean active, boolean hasData) {}

    private final Map<String, Clock> clocks = new ConcurrentHashMap<>();

    void report(String partition, Instant watermark, boolean active, boolean hasData) {
      clocks.put(partition, new Clock(watermark, active, hasData));
    }

    /**
     * Where an idle partition should be: at the slowest active one among the others; when none is
     * active (the whole stream is quiet), at the most advanced of them, so that a partition whose
     * last data was old (a buffered upload) does not hold every window back. Partitions that never
     * had data lead nobody: their clock says nothing about the devices'. Empty when no other
     * partition has had data.
     */
    Optional<Instant> leader(String except) {
      Instant slowestActive = null;
      Instant fastest = null;
      for (Map.Entry<String, Clock> e : clocks.entrySet()) {
        if (e.getKey().equals(except)) {
          continue;
        }
        Clock c = e.getValue();
        if (!c.hasData()) {
          continue;
        }
        if (c.active() && (slowestActive == null || c.watermark().isBefore(slowestActive))) {
          slowestActive = c.watermark();
        }
        if (fastest == null || c.watermark().isAfter(fastest)) {
          fastest = c.watermark();
        }
      }
      return Optional.ofNullable(slowestActive != null ? slowestActive : fastest);
    }
  }
}
