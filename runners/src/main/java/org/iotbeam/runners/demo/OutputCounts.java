package org.iotbeam.runners.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.iotbeam.proto.RawArchiveFormat;

/**
 * Counts the finished files under the streaming pipeline's {@code --outputBase} and the records in
 * them: raw/ holds gzip'd {@link RawArchiveFormat} archives ({@code .pb.gz}, one message each), the
 * other directories gzip'd JSON lines ({@code .jsonl.gz}, one record per line). Beam writes into
 * temporary files (under a {@code .temp-beam...} directory) and renames them when a bundle is
 * finalized, so only files outside hidden directories count: those are complete.
 */
public final class OutputCounts {
  static final String JSONL_SUFFIX = ".jsonl.gz";

  private OutputCounts() {}

  public static DemoSummary.Outputs count(Path base) {
    Map<String, DemoSummary.FileCount> m = new LinkedHashMap<>();
    for (String dir : DemoSummary.OUTPUT_DIRS) {
      m.put(dir, count(base.resolve(dir), dir.equals("raw")));
    }
    return new DemoSummary.Outputs(base, m);
  }

  static DemoSummary.FileCount count(Path dir, boolean rawArchive) {
    List<Path> files = files(dir, rawArchive ? RawArchiveFormat.SUFFIX : JSONL_SUFFIX);
    long records = 0;
    int counted = 0;
    for (Path f : files) {
      try {
        records += rawArchive ? archiveRecords(f) : lines(f);
        counted++;
      } catch (IOException | RuntimeException e) {
        // a file being renamed or deleted under us: it is counted on the next look
      }
    }
    return new DemoSummary.FileCount(counted, records);
  }

  static List<Path> files(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().endsWith(suffix))
          .filter(f -> !hidden(dir.relativize(f)))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  static long lines(Path gz) throws IOException {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
      long n = 0;
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          n++;
        }
      }
      return n;
    }
  }

  static long archiveRecords(Path f) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
      long n = 0;
      for (Iterator<?> it = RawArchiveFormat.read(in); it.hasNext(); it.next()) {
        n++;
      }
      return n;
    }
  }
}
