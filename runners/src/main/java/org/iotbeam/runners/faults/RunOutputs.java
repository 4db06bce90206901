package org.iotbeam.runners.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.iotbeam.pipelines.sinks.FinishedFiles;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.proto.SourcePosition;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.ContentHash;

/**
 * What one streaming run left under its {@code --outputBase}, reduced to what must not depend on
 * how the run went: the final pane per aggregate id, the alert events by id and state, the dead
 * letters by id, the raw archive by source position. Finished files only (Beam's {@code .temp*}
 * directories hold panes no checkpoint finalized).
 */
final class RunOutputs {
  /** Latest pane (highest pane index) per aggregate id, empty ones (count 0) left out. */
  final Map<String, WindowAggregate> aggregates = new TreeMap<>();
  /** Aggregate records with count 0, by id: reported apart (a known bug being fixed). */
  final Map<String, Integer> emptyAggregates = new TreeMap<>();
  /** Same id and pane (or alert state), different content: a replay that was not identical. */
  final List<String> conflicting = new ArrayList<>();
  /** Records identical to one seen before (replays after a restore). */
  int replayedCopies;
  /** "id STATE" -> the alert event. */
  final Map<String, Alert> alerts = new TreeMap<>();
  /** Dead letters of messages (parse/validate), by id -> reason. */
  final Map<String, String> deadLetters = new TreeMap<>();
  /** Dead letters of sinks (stage sink): depend on the faults, reported apart. */
  final Map<String, String> sinkDeadLetters = new TreeMap<>();
  /** Raw archive: source position -> payload hash. */
  final Map<String, String> archive = new TreeMap<>();
  /** Source positions archived more than once, with how often. */
  final Map<String, Integer> archivedTwice = new TreeMap<>();
  int aggregateRecords;
  int alertRecords;
  int deadLetterRecords;
  int archiveRecords;

  static RunOutputs read(Path base) {
    RunOutputs o = new RunOutputs();
    Map<String, WindowAggregate> panes = new java.util.HashMap<>();
    for (String line : jsonLines(base.resolve("aggregates"))) {
      WindowAggregate a = ProtoJson.parse(line, WindowAggregate.newBuilder()).build();
      o.aggregateRecords++;
      if (a.getCount() == 0) {
        o.emptyAggregates.merge(a.getId(), 1, Integer::sum);
        continue;
      }
      WindowAggregate samePane = panes.putIfAbsent(a.getId() + " pane " + a.getPaneIndex(), a);
      if (samePane != null) {
        if (samePane.equals(a)) {
          o.replayedCopies++;
        } else {
          o.conflicting.add(a.getId() + " pane " + a.getPaneIndex());
        }
      }
      WindowAggregate latest = o.aggregates.get(a.getId());
      if (latest == null || a.getPaneIndex() > latest.getPaneIndex()) {
        o.aggregates.put(a.getId(), a);
      }
    }
    for (String line : jsonLines(base.resolve("alerts"))) {
      Alert a = ProtoJson.parse(line, Alert.newBuilder()).build();
      o.alertRecords++;
      Alert same = o.alerts.putIfAbsent(a.getId() + " " + a.getState(), a);
      if (same != null) {
        if (same.equals(a)) {
          o.replayedCopies++;
        } else {
          o.conflicting.add("alert " + a.getId() + " " + a.getState());
        }
      }
    }
    for (String line : jsonLines(base.resolve("dead-letters"))) {
      DeadLetter d = ProtoJson.parse(line, DeadLetter.newBuilder()).build();
      o.deadLetterRecords++;
      if ((d.getStage().equals("sink") ? o.sinkDeadLetters : o.deadLetters)
          .put(d.getId(), d.getReason()) != null) {
        o.replayedCopies++;
      }
    }
    for (Path f : FinishedFiles.list(base.resolve("raw"), RawArchiveFormat.SUFFIX)) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
        RawArchiveFormat.read(in).forEachRemaining(m -> {
          o.archiveRecords++;
          String pos = position(m);
          if (o.archive.put(pos, ContentHash.hex(m.getPayload().toByteArray())) != null) {
            o.archivedTwice.merge(pos, 2, (x, y) -> x + 1);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(f.toString(), e);
      }
    }
    return o;
  }

  static String position(InboundMessage m) {
    SourcePosition s = m.getSource();
    return s.getTopic() + ":" + s.getPartition() + ":" + s.getOffset();
  }

  private static List<String> jsonLines(Path dir) {
    return FinishedFiles.jsonLines(dir);
  }

  /** Aggregates compared on what they computed, not on how their panes came about. */
  static String statistics(WindowAggregate a) {
    return a.getCount() + " " + a.getMin() + " " + a.getMax() + " " + a.getMean() + " "
        + a.getStddev() + " " + a.getFirstTimestampMs() + " " + a.getLastTimestampMs();
  }
}
