package org.iotbeam.proto;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
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
 * <p>A file is a gzip stream (the compression is the file system's business, by suffix) of {@link
 * InboundMessage}s, each preceded by its varint length, the protobuf "delimited" framing. The
 * archive is raw: every message that arrived, before any parsing, valid or not, with the whole
 * envelope (original bytes, ingest time, source position), so reprocessing can re-judge what the
 * first run rejected, and rebuild the order in which it arrived.
 *
 * <p>Files live under {@code base/dt=YYYY-MM-DD/hour=HH/} by the <em>ingest</em> time of their
 * messages (the broker's append time): a broken message has no trustworthy event time, and the
 * ingest time is what bounds where a reading of a given event time can be found (see the backfill's
 * read span).
 */
public final class RawArchiveFormat {
  public static final String SUFFIX = ".pb.gz";
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

  private RawArchiveFormat() {}

  /**
   * The partition directory, relative to the archive base, of an hour: the raw archive files a
   * message under the hour of its ingest time; the output files (aggregates, alerts) use it for the
   * event time of their windows.
   */
  public static String partitionOf(long timeMs) {
    Instant t = Instant.ofEpochMilli(timeMs);
    return "dt=" + DAY.format(t) + "/hour=" + HOUR.format(t) + "/";
  }

  public static void write(InboundMessage message, OutputStream out) throws IOException {
    message.writeDelimitedTo(out);
  }

  /** Reads messages until the stream ends; a truncated last record is an error, not an end. */
  public static Iterator<InboundMessage> read(InputStream in) {
    Iterator<byte[]> records = readEncoded(in);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public InboundMessage next() {
        try {
          return InboundMessage.parseFrom(records.next());
        } catch (InvalidProtocolBufferException e) {
          throw new ArchiveReadException("corrupt raw archive record", e);
        }
      }
    };
  }

  /**
   * Reads each message's protobuf encoding as the file holds it, without parsing it: for a reader
   * that hands messages on in that encoding (a backfill's chunks), so they are not encoded again. A
   * truncated last record is an error, not an end.
   */
  public static Iterator<byte[]> readEncoded(InputStream in) {
    CodedInputStream coded = CodedInputStream.newInstance(in);
    return new Iterator<>() {
      private byte[] next = advance();

      private byte[] advance() {
        try {
          if (coded.isAtEnd()) {
            return null;
          }
          coded.resetSizeCounter(); // its 2 GiB limit counts per record, not per file
          return coded.readRawBytes(coded.readRawVarint32());
        } catch (IOException e) {
          throw new ArchiveReadException("corrupt or truncated raw archive record", e);
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public byte[] next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        byte[] current = next;
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
