package org.iotbeam.pipelines.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.joda.time.Instant;

/**
 * What the partitions of one Kafka read know of each other within a JVM: each partition's
 * watermark and whether it is active, so that an idle or empty partition can follow the slowest
 * active one instead of the wall clock. Flink runs every reader of a task manager in one JVM; a
 * read's readers on other task managers are not seen (see {@link EventTimePolicy}).
 */
final class PartitionClocks {
  private static final Map<String, Group> GROUPS = new ConcurrentHashMap<>();

  private PartitionClocks() {}

  static Group group(String id) {
    return GROUPS.computeIfAbsent(id, k -> new Group());
  }

  /** The partitions of one read (one pipeline's KafkaIO source). */
  static final class Group {
    private record Clock(Instant watermark, boolean active) {}

    private final Map<String, Clock> clocks = new ConcurrentHashMap<>();

    void report(String partition, Instant watermark, boolean active) {
      clocks.put(partition, new Clock(watermark, active));
    }

    /** The smallest watermark among the other active partitions, if any is active. */
    Optional<Instant> slowestActive(String except) {
      Instant slowest = null;
      for (Map.Entry<String, Clock> e : clocks.entrySet()) {
        Clock c = e.getValue();
        if (!e.getKey().equals(except) && c.active()
            && (slowest == null || c.watermark().isBefore(slowest))) {
          slowest = c.watermark();
        }
      }
      return Optional.ofNullable(slowest);
    }
  }
}
