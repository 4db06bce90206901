package org.iotbeam.transforms;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.KV;
import org.iotbeam.proto.Reading;
import org.joda.time.Instant;

/**
 * A device's readings packed into one byte array (each one's protobuf, length-delimited, one after
 * another), so a batch grouping by device handles a few elements per device instead of one per
 * reading. A pack holds either readings ({@link #READINGS}) or the messages they will be parsed
 * from ({@link ParseAndPack}): the grouping side is told which by an {@link Unpacker}.
 *
 * <p>Why: Flink's batch GroupByKey sorts its input before and after the exchange, and Beam's key
 * comparator offers Flink no normalized key, so every comparison decodes both keys from the sort
 * buffer; with the records, their encodings and the exchange, that was a third of a backfill's time
 * at one element per reading.
 */
final class PackedReadings {
  /** Where a device's pack is handed on. */
  static final int PACK_BYTES = 64 << 10;

  /** How much a packer holds at most before it hands on every pack. */
  static final long MAX_HELD_BYTES = 32L << 20;

  private PackedReadings() {}

  /** Turns a pack back into its device's readings, in the order they were added. */
  interface Unpacker extends Serializable {
    void forEach(byte[] pack, Consumer<Reading> each);
  }

  /** Packs of readings as they are ({@link Packer#add(Reading, long)}). */
  static final Unpacker READINGS = new ReadingsUnpacker();

  private static final class ReadingsUnpacker implements Unpacker {
    @Override
    public void forEach(byte[] pack, Consumer<Reading> each) {
      PackedReadings.forEach(pack, Reading.parser(), each);
    }
  }

  /** Readings of one device, as {@link Packer} hands them on. */
  record Pack(String deviceId, byte[] bytes, long earliestMs) {
    /** The pack as the grouping takes it, keyed by its device. */
    KV<String, byte[]> element() {
      return KV.of(deviceId, bytes);
    }

    /** Its earliest reading's timestamp: the grouping's stays the device's earliest. */
    Instant timestamp() {
      return new Instant(earliestMs);
    }
  }

  /**
   * Gathers readings per device; a device's pack is ready once it holds {@code packBytes}, and
   * every pack once all of them together hold {@code maxBytes} (memory stays bounded however many
   * devices there are). Not thread-safe.
   */
  static final class Packer {
    private final int packBytes;
    private final long maxBytes;
    private final Map<String, Open> open = new HashMap<>();
    private final List<Pack> ready = new ArrayList<>();
    private long held;

    private static final class Open {
      byte[] bytes = new byte[512];
      int size;
      long earliestMs = Long.MAX_VALUE;
    }

    Packer(int packBytes, long maxBytes) {
      this.packBytes = packBytes;
      this.maxBytes = maxBytes;
    }

    /** A packer with this class's sizes, as the grouping DoFns use. */
    Packer() {
      this(PACK_BYTES, MAX_HELD_BYTES);
    }

    /** Adds a reading to its device's pack. */
    void add(Reading r, long timestampMs) {
      add(r.getTelemetry().getDeviceId(), r, timestampMs);
    }

    /** Adds {@code m} (a reading, or what one is parsed from) to {@code device}'s pack. */
    void add(String device, MessageLite m, long timestampMs) {
      int n = m.getSerializedSize();
      Open o = room(device, n);
      CodedOutputStream c = CodedOutputStream.newInstance(o.bytes, o.size, o.bytes.length - o.size);
      try {
        c.writeUInt32NoTag(n);
        m.writeTo(c);
      } catch (IOException e) {
        throw new UncheckedIOException("writing to an array of the right size cannot fail", e);
      }
      added(device, o, o.size + c.getTotalBytesWritten(), timestampMs);
    }

    /** Adds a message by its protobuf encoding, copied as it is, to {@code device}'s pack. */
    void add(String device, byte[] encoded, long timestampMs) {
      Open o = room(device, encoded.length);
      CodedOutputStream c = CodedOutputStream.newInstance(o.bytes, o.size, o.bytes.length - o.size);
      try {
        c.writeUInt32NoTag(encoded.length);
        c.writeRawBytes(encoded);
      } catch (IOException e) {
        throw new UncheckedIOException("writing to an array of the right size cannot fail", e);
      }
      added(device, o, o.size + c.getTotalBytesWritten(), timestampMs);
    }

    /** The device's open pack, with room for one more message of {@code n} bytes. */
    private Open room(String device, int n) {
      Open o = open.computeIfAbsent(device, d -> new Open());
      int need = o.size + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
      if (need > o.bytes.length) {
        byte[] grown = new byte[Math.max(need, o.bytes.length * 2)];
        System.arraycopy(o.bytes, 0, grown, 0, o.size);
        o.bytes = grown;
      }
      return o;
    }

    private void added(String device, Open o, int size, long timestampMs) {
      held += size - o.size;
      o.size = size;
      o.earliestMs = Math.min(o.earliestMs, timestampMs);
      if (o.size >= packBytes) {
        open.remove(device);
        emit(device, o);
      } else if (held >= maxBytes) {
        flush();
      }
    }

    /** Makes every pack ready. */
    void flush() {
      open.forEach(this::emit);
      open.clear();
    }

    /** Hands the ready packs to {@code to}, in the order they became ready. */
    void drain(Consumer<Pack> to) {
      ready.forEach(to);
      ready.clear();
    }

    private void emit(String device, Open o) {
      held -= o.size;
      byte[] bytes = o.bytes.length == o.size ? o.bytes : Arrays.copyOf(o.bytes, o.size);
      ready.add(new Pack(device, bytes, o.earliestMs));
    }
  }

  /** Every message of a pack, in the order they were added. */
  static <T> void forEach(byte[] pack, Parser<T> parser, Consumer<T> each) {
    CodedInputStream in = CodedInputStream.newInstance(pack);
    try {
      while (!in.isAtEnd()) {
        int limit = in.pushLimit(in.readRawVarint32());
        each.accept(parser.parseFrom(in));
        in.popLimit(limit);
      }
    } catch (IOException e) {
      throw new IllegalStateException("a pack that PackedReadings.Packer wrote", e);
    }
  }
}
