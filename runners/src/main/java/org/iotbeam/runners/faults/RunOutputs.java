package org.iotbeam.runners.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.iotbeam.domain.validation.Stage;
import org.iotbeam.pipelines.sinks.FinishedFiles;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.SourcePosition;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.ContentHash;

/**
 * What one streaming run left, in its files under {@code --outputBase} or in its Kafka output
 * topics, reduced to what must not depend on how the run went: the final pane per aggregate id, the
 * alert events by id and state, the dead letters by id, the raw archive by source position (files
 * only). Finished files only (Beam's {@code .temp*} directories hold panes no checkpoint
 * finalized). Records of the suite's clock device (the ticks that close the last windows, {@link
 * ClockTicks}) are counted apart: whether the tick of "now" closed its own window depends on how
 * long a run went on.
 */
final class RunOutputs {
  /** Latest pane (highest pane index) per aggregate id, empty ones (count 0) left out. */
  final Map<String, WindowAggregate> aggregates = new TreeMap<>();

  /** Aggregate records with count 0, by id: an extra record (ToAggregatesFn drops them). */
  final Map<String, Integer> emptyAggregates = new TreeMap<>();

  /** Same id and pane (or alert state), different content: a replay that was not identical. */
  final List<String> conflicting = new ArrayList<>();

  /** Kafka records whose key is not their record's id (consumers upsert by key). */
  final List<String> wrongKeys = new ArrayList<>();

  /** Records identical to one seen before (replays after a restore). */
  int replayedCopies;

  /** Aggregates and alerts of the clock device: not compared. */
  int clockRecords;

  /** "id STATE" -> the alert event. */
  final Map<String, Alert> alerts = new TreeMap<>();

  /** Dead letters of messages (parse/validate), by id. */
  final Map<String, DeadLetter> deadLetters = new TreeMap<>();

  /** Dead letters of sinks (stage sink): depend on the faults, reported apart. */
  final Map<String, DeadLetter> sinkDeadLetters = new TreeMap<>();

  /** Raw archive: source position -> payload hash. */
  final Map<String, String> archive = new TreeMap<>();

  /** Source positions archived more than once, with how often. */
  final Map<String, Integer> archivedTwice = new TreeMap<>();

  int aggregateRecords;
  int alertRecords;
  int deadLetterRecords;
  int archiveRecords;

  private final String clockDevice;
  private final Map<String, WindowAggregate> panes = new HashMap<>();

  RunOutputs(String clockDevice) {
    this.clockDevice = clockDevice;
  }

  /** The finished files under a run's {@code --outputBase}. */
  static RunOutputs fromFiles(Path base, String clockDevice) {
    RunOutputs o = new RunOutputs(clockDevice);
    FinishedFiles.jsonLines(base.resolve("aggregates")).forEach(l -> o.addAggregate(null, l));
    FinishedFiles.jsonLines(base.resolve("alerts")).forEach(l -> o.addAlert(null, l));
    FinishedFiles.jsonLines(base.resolve("dead-letters")).forEach(l -> o.addDeadLetter(null, l));
    FinishedFiles.forEachArchived(base.resolve("raw"), o::addArchived);
    return o;
  }

  /**
   * A run's Kafka output topics, {@code PREFIX-aggregates}, {@code PREFIX-alerts} and {@code
   * PREFIX-dead-letters}, read to their ends (no raw archive: it goes to files only).
   */
  static RunOutputs fromTopics(String bootstrap, String prefix, String clockDevice) {
    RunOutputs o = new RunOutputs(clockDevice);
    Duration timeout = Duration.ofSeconds(60);
    for (ConsumerRecord<String, String> r :
        TopicRecords.readAll(bootstrap, prefix + "-aggregates", timeout)) {
      o.addAggregate(r.key(), r.value());
    }
    for (ConsumerRecord<String, String> r :
        TopicRecords.readAll(bootstrap, prefix + "-alerts", timeout)) {
      o.addAlert(r.key(), r.value());
    }
    for (ConsumerRecord<String, String> r :
        TopicRecords.readAll(bootstrap, prefix + "-dead-letters", timeout)) {
      o.addDeadLetter(r.key(), r.value());
    }
    return o;
  }

  /** One aggregate record; {@code key}: its Kafka key (null for a file's record). */
  void addAggregate(String key, String json) {
    WindowAggregate a = ProtoJson.parse(json, WindowAggregate.newBuilder()).build();
    aggregateRecords++;
    checkKey(key, a.getId());
    if (a.getDeviceId().equals(clockDevice)) {
      clockRecords++;
      return;
    }
    if (a.getCount() == 0) {
      emptyAggregates.merge(a.getId(), 1, Integer::sum);
      return;
    }
    String pane = a.getId() + " pane " + a.getPaneIndex();
    WindowAggregate samePane = panes.putIfAbsent(pane, a);
    if (samePane != null) {
      if (samePane.equals(a)) {
        replayedCopies++;
      } else {
        conflicting.add(pane);
      }
    }
    WindowAggregate latest = aggregates.get(a.getId());
    if (latest == null || a.getPaneIndex() > latest.getPaneIndex()) {
      aggregates.put(a.getId(), a);
    }
  }

  void addAlert(String key, String json) {
    Alert a = ProtoJson.parse(json, Alert.newBuilder()).build();
    alertRecords++;
    checkKey(key, a.getId());
    if (a.getDeviceId().equals(clockDevice)) {
      clockRecords++;
      return;
    }
    Alert same = alerts.putIfAbsent(a.getId() + " " + a.getState(), a);
    if (same != null) {
      if (same.equals(a)) {
        replayedCopies++;
      } else {
        conflicting.add("alert " + a.getId() + " " + a.getState());
      }
    }
  }

  void addDeadLetter(String key, String json) {
    DeadLetter d = ProtoJson.parse(json, DeadLetter.newBuilder()).build();
    deadLetterRecords++;
    checkKey(key, d.getId());
    DeadLetter same =
        (Stage.SINK.is(d.getStage()) ? sinkDeadLetters : deadLetters).putIfAbsent(d.getId(), d);
    if (same != null) {
      if (same.equals(d)) {
        replayedCopies++;
      } else {
        conflicting.add("dead letter " + d.getId());
      }
    }
  }

  void addArchived(InboundMessage m) {
    archiveRecords++;
    String pos = position(m);
    if (archive.put(pos, ContentHash.hex(m.getPayload().toByteArray())) != null) {
      archivedTwice.merge(pos, 2, (x, y) -> x + 1);
    }
  }

  private void checkKey(String key, String id) {
    if (key != null && !key.equals(id)) {
      wrongKeys.add("key " + key + " for " + id);
    }
  }

  static String position(InboundMessage m) {
    SourcePosition s = m.getSource();
    return s.getTopic() + ":" + s.getPartition() + ":" + s.getOffset();
  }

  /** Aggregates compared on what they computed, not on how their panes came about. */
  static String statistics(WindowAggregate a) {
    return a.getCount()
        + " "
        + a.getMin()
        + " "
        + a.getMax()
        + " "
        + a.getMean()
        + " "
        + a.getStddev()
        + " "
        + a.getFirstTimestampMs()
        + " "
        + a.getLastTimestampMs();
  }

  /** What a dead letter must say the same in every run: why, and about which bytes. */
  static String verdict(DeadLetter d) {
    return d.getReason()
        + " "
        + d.getStage()
        + " "
        + d.getDetail()
        + " "
        + ContentHash.hex(d.getInbound().getPayload().toByteArray());
  }
}
