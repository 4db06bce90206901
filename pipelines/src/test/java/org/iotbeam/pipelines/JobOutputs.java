package org.iotbeam.pipelines;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.proto.WindowAggregate;

/**
 * What one run of the streaming job wrote, reduced to what must not depend on how the run went
 * (restarts, failovers, duplicates from at-least-once sinks, how panes fell into files): the final
 * aggregate per id, alert ids and states, dead-letter ids and the archived source positions, from
 * the Kafka topics and from the files. Empty aggregates (count 0) are kept apart: they are a known
 * streaming bug, not a failover's doing.
 */
record JobOutputs(
    String name,
    Map<String, String> aggregates,
    Set<String> emptyAggregates,
    Set<String> alerts,
    Set<String> deadLetters,
    Set<String> archived,
    int kafkaRecords,
    int fileRecords) {

  /** Reads the topics {@code <prefix>aggregates}, ... and the files under {@code outputBase}. */
  static JobOutputs read(String name, String bootstrap, String topicPrefix, Path outputBase) {
    Map<String, String> kafkaAggregates = new TreeMap<>();
    Set<String> empty = new TreeSet<>();
    int kafka = 0;
    // the topic keeps write order per id (one key, one partition): the last record is the answer
    for (ConsumerRecord<byte[], byte[]> r :
        KafkaTestIo.readAll(bootstrap, topicPrefix + "aggregates", Map.of())) {
      kafka++;
      WindowAggregate a =
          ProtoJson.parse(
                  new String(r.value(), java.nio.charset.StandardCharsets.UTF_8),
                  WindowAggregate.newBuilder())
              .build();
      if (a.getCount() == 0) {
        empty.add(a.getId());
      } else {
        kafkaAggregates.put(a.getId(), summary(a));
      }
    }
    Map<String, WindowAggregate> fromFiles = new TreeMap<>();
    int files = 0;
    for (String line : StreamingPipelineFlinkTest.fileLines(outputBase.resolve("aggregates"))) {
      files++;
      WindowAggregate a = ProtoJson.parse(line, WindowAggregate.newBuilder()).build();
      if (a.getCount() == 0) {
        empty.add(a.getId());
      } else {
        fromFiles.merge(a.getId(), a, (x, y) -> x.getPaneIndex() >= y.getPaneIndex() ? x : y);
      }
    }
    Map<String, String> aggregates = new TreeMap<>();
    kafkaAggregates.forEach((id, s) -> aggregates.put("kafka " + id, s));
    fromFiles.forEach((id, a) -> aggregates.put("files " + id, summary(a)));

    Set<String> alerts = new TreeSet<>();
    for (String j :
        KafkaTestIo.values(KafkaTestIo.readAll(bootstrap, topicPrefix + "alerts", Map.of()))) {
      kafka++;
      Alert a = ProtoJson.parse(j, Alert.newBuilder()).build();
      alerts.add("kafka " + a.getId() + " " + a.getState());
    }
    for (String j : StreamingPipelineFlinkTest.fileLines(outputBase.resolve("alerts"))) {
      files++;
      Alert a = ProtoJson.parse(j, Alert.newBuilder()).build();
      alerts.add("files " + a.getId() + " " + a.getState());
    }
    Set<String> dead = new TreeSet<>();
    for (String j :
        KafkaTestIo.values(
            KafkaTestIo.readAll(bootstrap, topicPrefix + "dead-letters", Map.of()))) {
      kafka++;
      dead.add("kafka " + ProtoJson.parse(j, DeadLetter.newBuilder()).build().getId());
    }
    for (String j : StreamingPipelineFlinkTest.fileLines(outputBase.resolve("dead-letters"))) {
      files++;
      dead.add("files " + ProtoJson.parse(j, DeadLetter.newBuilder()).build().getId());
    }
    Set<String> archived = new TreeSet<>();
    for (Path f : KafkaTestIo.files(outputBase.resolve("raw"), RawArchiveFormat.SUFFIX)) {
      for (InboundMessage m : KafkaTestIo.archive(f)) {
        files++;
        archived.add(
            m.getSource().getTopic()
                + ":"
                + m.getSource().getPartition()
                + ":"
                + m.getSource().getOffset());
      }
    }
    return new JobOutputs(name, aggregates, empty, alerts, dead, archived, kafka, files);
  }

  /** The statistics that must agree; means and deviations to 1e-9 (merge order may differ). */
  private static String summary(WindowAggregate a) {
    return String.format(
        "count=%d min=%s max=%s mean=%.9g stddev=%.9g",
        a.getCount(), a.getMin(), a.getMax(), a.getMean(), a.getStddev());
  }

  /** Aggregates, alerts, dead letters, archive: the ids in one run only and values that differ. */
  List<String> differences(JobOutputs other) {
    List<String> out = new ArrayList<>();
    Set<String> ids = new TreeSet<>(aggregates.keySet());
    ids.addAll(other.aggregates.keySet());
    for (String id : ids) {
      if (!Objects.equals(aggregates.get(id), other.aggregates.get(id))) {
        out.add(
            "aggregate "
                + id
                + ": "
                + name
                + " "
                + aggregates.get(id)
                + " | "
                + other.name
                + " "
                + other.aggregates.get(id));
      }
    }
    diff(out, "alert", alerts, other.alerts, other.name);
    diff(out, "dead letter", deadLetters, other.deadLetters, other.name);
    diff(out, "archived message", archived, other.archived, other.name);
    return out;
  }

  private void diff(
      List<String> out, String what, Set<String> mine, Set<String> theirs, String otherName) {
    for (String s : mine) {
      if (!theirs.contains(s)) {
        out.add(what + " " + s + ": only in " + name);
      }
    }
    for (String s : theirs) {
      if (!mine.contains(s)) {
        out.add(what + " " + s + ": only in " + otherName);
      }
    }
  }

  String counts() {
    return String.format(
        "%s: %d final aggregates (Kafka + files), %d alert ids+states, %d dead "
            + "letters, %d archived messages; %d empty aggregates (count 0, reported apart); read %d "
            + "Kafka records, %d file records",
        name,
        aggregates.size(),
        alerts.size(),
        deadLetters.size(),
        archived.size(),
        emptyAggregates.size(),
        kafkaRecords,
        fileRecords);
  }
}
