package org.iotbeam.proto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The format of the raw archive, the one contract between the streaming pipeline that writes it,
 * the batch pipeline that reads it back, and the simulator's file transport.
 *
 * <p>A file is a gzip stream (the compression is the file system's business, by suffix) of
 * {@link InboundMessage}s, each preceded by its varint length, the protobuf "delimited" framing.
 * Keeping the whole envelope, not only the payload, keeps the ingest time and source position, so
 * reprocessing validates exactly as the first run did.
 *
 * <p>Files live under {@code base/dt=YYYY-MM-DD/hour=HH/}, by the event time of their window, so a
 * backfill of a time range lists only the hours it needs.
 */
public final class RawArchiveFormat {
  public static final String SUFFIX = ".pb.gz";
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

  private RawArchiveFormat() {}

  /** The partition directory, relative to the archive base, for an event time. */
  public static String partitionOf(long eventTimeMs) {
    Instant t = Instant.ofEpochMilli(eventTimeMs);
    return "dt=" + DAY.format(t) + "/hour=" + HOUR.format(t) + "/";
  }

  public static void write(InboundMessage message, OutputStream out) throws IOException {
    message.writeDelimitedTo(out);
  }

  /** Reads messages until the stream ends; a truncated last record is an error, not an end. */
  public static Iterator<InboundMessage> read(InputStream in) {
    return new Iterator<>() {
      private InboundMessage next = advance();

      private InboundMessage advance() {
        try {
          return InboundMessage.parseDelimitedFrom(in);
        } catch (IOException e) {
          throw new ArchiveReadException("corrupt or truncated raw archive record", e);
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public InboundMessage next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        InboundMessage current = next;
        next = advance();
        return current;
      }
    };
  }

  /** A raw archive file that cannot be read to its end. */
  public static final class ArchiveReadException extends RuntimeException {
    public ArchiveReadException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
