package org.iotbeam.pipelines.batch;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;

/** The archive layouts a backfill reads, each listed by ingest hour ({@code --archiveFormat}). */
public enum ArchiveFormat {
  /**
   * This platform's raw archive ({@link RawArchiveFormat}): {@code BASE/dt=YYYY-MM-DD/hour=HH/
   * *.pb.gz}, BASE being the streaming pipeline's {@code outputBase/raw}.
   */
  RAW {
    @Override
    String pattern(String base, long hourStartMs) {
      return slash(base)
          + RawArchiveFormat.partitionOf(hourStartMs)
          + "*"
          + RawArchiveFormat.SUFFIX;
    }

    @Override
    long hourOf(String path) {
      return ArchiveRange.partitionStartOf(path);
    }

    @Override
    Iterator<Read> read(InputStream in, String path) {
      return mapped(
          RawArchiveFormat.readEncoded(in),
          encoded -> {
            try {
              return new Read(InboundMessage.parseFrom(encoded), encoded);
            } catch (InvalidProtocolBufferException e) {
              throw new RawArchiveFormat.ArchiveReadException("corrupt raw archive record", e);
            }
          });
    }
  },

  /**
   * Event Hubs Capture ({@link CaptureFiles}): {@code BASE/{partition}/YYYY/MM/DD/HH/mm/ss.avro},
   * BASE being {@code .../{namespace}/{eventhub}}. A Capture file is named after the start of its
   * capture window (at most 15 minutes), so it may hold events enqueued in the next hour: the hour
   * before each hour is listed as well, and the events are kept by their enqueued time.
   */
  CAPTURE {
    private final DateTimeFormatter hourPath =
        DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

    @Override
    String pattern(String base, long hourStartMs) {
      return slash(base)
          + "*/"
          + hourPath.format(Instant.ofEpochMilli(hourStartMs))
          + "/*/*"
          + CaptureFiles.SUFFIX;
    }

    @Override
    long hourOf(String path) {
      try {
        return Math.floorDiv(CaptureFiles.locate(path).windowStartMs(), ReadSpan.HOUR_MS)
            * ReadSpan.HOUR_MS;
      } catch (IllegalArgumentException e) {
        return -1;
      }
    }

    @Override
    Iterator<Read> read(InputStream in, String path) throws IOException {
      return mapped(CaptureFiles.read(in, path), m -> new Read(m, null));
    }

    @Override
    List<Long> listedHours(ReadSpan span) {
      List<Long> hours = new ArrayList<>();
      hours.add(span.fromMs() - ReadSpan.HOUR_MS);
      hours.addAll(span.hours());
      return hours;
    }
  };

  /** The glob of the files of one hour under {@code base}. */
  abstract String pattern(String base, long hourStartMs);

  /** The start of the hour a file is listed under, from its path; -1 if the path has none. */
  abstract long hourOf(String path);

  /**
   * One message of a file, with its protobuf encoding when the file holds exactly that (else null):
   * a backfill's chunks take it as it is instead of encoding the message again.
   */
  record Read(InboundMessage message, byte[] encoded) {}

  /** The messages of one (decompressed) file. */
  abstract Iterator<Read> read(InputStream in, String path) throws IOException;

  private static <A, B> Iterator<B> mapped(Iterator<A> from, Function<A, B> f) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return from.hasNext();
      }

      @Override
      public B next() {
        return f.apply(from.next());
      }
    };
  }

  /** The hours whose files can hold messages ingested within {@code span}. */
  List<Long> listedHours(ReadSpan span) {
    return span.hours();
  }

  /** Every glob a backfill lists for {@code span}. */
  List<String> patterns(String base, ReadSpan span) {
    List<String> out = new ArrayList<>();
    for (long h : listedHours(span)) {
      out.add(pattern(base, h));
    }
    return out;
  }

  private static String slash(String base) {
    return base.endsWith("/") ? base : base + "/";
  }
}
