package org.iotbeam.pipelines.batch;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.proto.InboundMessage;
import org.joda.time.Instant;

/**
 * Messages read from an archive, handed on in chunks of about {@value #TARGET_BYTES} bytes: each
 * message's timestamp (the backfill's placement of it) and its protobuf bytes, one after another.
 *
 * <p>Why chunks: what was read goes to two consumers, the processing and the dead-letter recovery's
 * "was it read" check. Flink's batch runner never chains a step into one with two consumers and
 * hands each consumer its own serialized copy of every element. One element per message costs two
 * encodings and two decodings through Beam's coders and Flink's record handling for every message
 * of the archive; a chunk is one byte array copied twice, and the step that hands on its messages
 * ({@link #encodedMessages()}, each as its bytes, which the processing parses) chains into the
 * processing.
 */
final class ArchiveChunk {
  /** Where a reader cuts a chunk. */
  static final int TARGET_BYTES = 1 << 20;

  private ArchiveChunk() {}

  /** One message of a chunk and the timestamp it was read with. */
  interface Visitor {
    void accept(InboundMessage message, long timestampMs);
  }

  /** Gathers messages into one chunk. Not thread-safe. */
  static final class Builder {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(TARGET_BYTES + 4096);
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 8192);
    private long earliestMs = Long.MAX_VALUE;
    private int messages;
    private long takenAt; // the stream's count runs on across chunks

    void add(InboundMessage m, long timestampMs) {
      try {
        out.writeInt64NoTag(timestampMs);
        out.writeUInt32NoTag(m.getSerializedSize());
        m.writeTo(out);
      } catch (IOException e) {
        throw new UncheckedIOException("writing to memory cannot fail otherwise", e);
      }
      added(timestampMs);
    }

    /** Adds a message by its protobuf encoding, as an archive file held it. */
    void add(byte[] encodedMessage, long timestampMs) {
      try {
        out.writeInt64NoTag(timestampMs);
        out.writeByteArrayNoTag(encodedMessage);
      } catch (IOException e) {
        throw new UncheckedIOException("writing to memory cannot fail otherwise", e);
      }
      added(timestampMs);
    }

    private void added(long timestampMs) {
      earliestMs = Math.min(earliestMs, timestampMs);
      messages++;
    }

    boolean isEmpty() {
      return messages == 0;
    }

    boolean isFull() {
      return out.getTotalBytesWritten() - takenAt >= TARGET_BYTES;
    }

    /** The earliest timestamp of the chunk's messages: the chunk's own. */
    long earliestMs() {
      return earliestMs;
    }

    /** The chunk so far; the builder starts a new one. */
    byte[] take() {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("writing to memory cannot fail otherwise", e);
      }
      byte[] chunk = bytes.toByteArray();
      bytes.reset();
      takenAt = out.getTotalBytesWritten();
      earliestMs = Long.MAX_VALUE;
      messages = 0;
      return chunk;
    }
  }

  /** One message of a chunk by its protobuf encoding, and the timestamp it was read with. */
  interface EncodedVisitor {
    void accept(byte[] encodedMessage, long timestampMs);
  }

  /** Every message of {@code chunk}, in the order it was added. */
  static void forEach(byte[] chunk, Visitor visitor) {
    forEachEncoded(
        chunk,
        (encoded, ts) -> {
          try {
            visitor.accept(InboundMessage.parseFrom(encoded), ts);
          } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a chunk that ArchiveChunk.Builder wrote", e);
          }
        });
  }

  /** Every message of {@code chunk} by its protobuf encoding, in the order it was added. */
  static void forEachEncoded(byte[] chunk, EncodedVisitor visitor) {
    CodedInputStream in = CodedInputStream.newInstance(chunk);
    try {
      while (!in.isAtEnd()) {
        long timestampMs = in.readInt64();
        visitor.accept(in.readByteArray(), timestampMs);
      }
    } catch (IOException e) {
      throw new IllegalStateException("a chunk that ArchiveChunk.Builder wrote", e);
    }
  }

  /**
   * The messages of the chunks by their protobuf encoding, each with its own timestamp: what {@link
   * org.iotbeam.transforms.TelemetryProcessing#ofEncodedMessages()} takes.
   */
  static PTransform<PCollection<byte[]>, PCollection<byte[]>> encodedMessages() {
    return new PTransform<>() {
      @Override
      public PCollection<byte[]> expand(PCollection<byte[]> chunks) {
        return chunks.apply(ParDo.of(new MessagesFn())).setCoder(ByteArrayCoder.of());
      }
    };
  }

  static final class MessagesFn extends DoFn<byte[], byte[]> {
    @ProcessElement
    public void process(@Element byte[] chunk, OutputReceiver<byte[]> out) {
      // never earlier than the chunk's timestamp, its earliest message's
      forEachEncoded(chunk, (m, ts) -> out.outputWithTimestamp(m, new Instant(ts)));
    }
  }
}
