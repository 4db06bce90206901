package org.iotbeam.pipelines.sinks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;

/**
 * The finished output files of a sink under a local directory: Beam's {@code .temp*} directories
 * hold panes that no checkpoint has finalized yet, and are skipped. For tools and tests that read
 * what a run wrote.
 */
public final class FinishedFiles {
  private FinishedFiles() {}

  /** Finished files under {@code dir} whose name ends with {@code suffix}, sorted. */
  public static List<Path> list(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().endsWith(suffix))
          .filter(f -> !dir.relativize(f).toString().contains(".temp"))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The non-blank lines of one gzip'd JSON-lines file. */
  public static List<String> gzipLines(Path file) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank())
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  /** Every message of the finished raw-archive files ({@link RawArchiveSink}) under {@code dir}. */
  public static void forEachArchived(Path dir, Consumer<InboundMessage> each) {
    for (Path f : list(dir, RawArchiveFormat.SUFFIX)) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
        RawArchiveFormat.read(in).forEachRemaining(each);
      } catch (IOException e) {
        throw new UncheckedIOException(f.toString(), e);
      }
    }
  }

  /** Every record line of the finished {@link JsonLinesFileSink} files under {@code dir}. */
  public static List<String> jsonLines(Path dir) {
    List<String> lines = new ArrayList<>();
    for (Path f : list(dir, JsonLinesFileSink.SUFFIX)) {
      lines.addAll(gzipLines(f));
    }
    return lines;
  }
}
