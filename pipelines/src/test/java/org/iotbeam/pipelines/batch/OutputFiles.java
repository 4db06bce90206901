package org.iotbeam.pipelines.batch;

import com.google.protobuf.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.iotbeam.pipelines.sinks.JsonLinesFileSink;
import org.iotbeam.pipelines.sinks.ProtoJson;

/** Reads the JSON-lines output files of a kind (aggregates, alerts, dead-letters), any FS. */
final class OutputFiles {
  private OutputFiles() {}

  /** Names every backfill file carries ({@link BackfillFiles}). */
  static final Predicate<String> BACKFILL = name -> name.contains("-backfill-");

  static List<String> names(String base, String kind) throws IOException {
    return names(base, kind, name -> true);
  }

  static List<String> names(String base, String kind, Predicate<String> which) throws IOException {
    List<String> out = new ArrayList<>();
    for (MatchResult.Metadata m : match(base, kind)) {
      if (which.test(m.resourceId().toString())) {
        out.add(m.resourceId().toString());
      }
    }
    out.sort(null);
    return out;
  }

  static <T extends Message> List<T> read(
      String base, String kind, Supplier<? extends Message.Builder> builder) throws IOException {
    return read(base, kind, builder, name -> true);
  }

  /** The records of the files of a kind whose name passes {@code which}. */
  @SuppressWarnings("unchecked")
  static <T extends Message> List<T> read(
      String base,
      String kind,
      Supplier<? extends Message.Builder> builder,
      Predicate<String> which)
      throws IOException {
    List<T> out = new ArrayList<>();
    for (MatchResult.Metadata m : match(base, kind)) {
      if (!which.test(m.resourceId().toString())) {
        continue;
      }
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(Channels.newInputStream(FileSystems.open(m.resourceId()))),
                  StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (!line.isBlank()) {
            out.add((T) ProtoJson.parse(line, builder.get()).build());
          }
        }
      }
    }
    return out;
  }

  private static List<MatchResult.Metadata> match(String base, String kind) throws IOException {
    String b = base.endsWith("/") ? base : base + "/";
    MatchResult r =
        FileSystems.match(b + kind + "/**" + JsonLinesFileSink.SUFFIX, EmptyMatchTreatment.ALLOW);
    return r.status() == MatchResult.Status.NOT_FOUND ? List.of() : r.metadata();
  }
}
