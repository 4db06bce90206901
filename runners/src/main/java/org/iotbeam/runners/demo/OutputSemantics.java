package org.iotbeam.runners.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.PaneTiming;
import org.iotbeam.proto.WindowAggregate;

/**
 * What the finished files say about event time, read back record by record: how many aggregate
 * records were written for how many windows (a watermark that outruns the data shows as late panes
 * and several records per window), and whether the scripted excursion's alert was raised and
 * cleared.
 */
final class OutputSemantics {
  private OutputSemantics() {}

  static DemoSummary.Semantics read(Path base, String excursionDevice, String excursionRule) {
    Set<String> ids = new HashSet<>();
    long[] records = {0};
    long[] late = {0};
    boolean[] alert = {false, false};
    for (Path f : OutputCounts.files(base.resolve("aggregates"), OutputCounts.JSONL_SUFFIX)) {
      forEachLine(
          f,
          line -> {
            WindowAggregate a = ProtoJson.parse(line, WindowAggregate.newBuilder()).build();
            ids.add(a.getId());
            records[0]++;
            if (a.getPaneTiming() == PaneTiming.LATE) {
              late[0]++;
            }
          });
    }
    for (Path f : OutputCounts.files(base.resolve("alerts"), OutputCounts.JSONL_SUFFIX)) {
      forEachLine(
          f,
          line -> {
            Alert a = ProtoJson.parse(line, Alert.newBuilder()).build();
            if (a.getDeviceId().equals(excursionDevice) && a.getRuleId().equals(excursionRule)) {
              alert[a.getState() == AlertState.RAISED ? 0 : 1] = true;
            }
          });
    }
    return new DemoSummary.Semantics(
        ids.size(), records[0], late[0], excursionDevice, excursionRule, alert[0], alert[1]);
  }

  private static void forEachLine(Path gz, java.util.function.Consumer<String> each) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          each.accept(line);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(gz.toString(), e);
    }
  }
}
