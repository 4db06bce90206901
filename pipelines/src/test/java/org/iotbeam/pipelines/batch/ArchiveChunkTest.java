package org.iotbeam.pipelines.batch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.SourcePosition;
import org.junit.Test;

public class ArchiveChunkTest {
  private static InboundMessage message(int i, int payloadBytes) {
    byte[] payload = new byte[payloadBytes];
    for (int k = 0; k < payload.length; k++) {
      payload[k] = (byte) (i + k);
    }
    return InboundMessage.newBuilder()
        .setPayload(ByteString.copyFrom(payload))
        .setIngestTimeMs(1_700_000_000_000L + i)
        .setSource(
            SourcePosition.newBuilder().setTopic("telemetry").setPartition(i % 3).setOffset(i))
        .build();
  }

  private record Read(InboundMessage message, long timestampMs) {}

  private static List<Read> read(byte[] chunk) {
    List<Read> out = new ArrayList<>();
    ArchiveChunk.forEach(chunk, (m, ts) -> out.add(new Read(m, ts)));
    return out;
  }

  @Test
  public void messagesComeBackInOrderWithTheirTimestamps() {
    ArchiveChunk.Builder b = new ArchiveChunk.Builder();
    List<Read> added = new ArrayList<>();
    long[] timestamps = {5_000L, 1_000L, 9_000L, 1_000L, -7L}; // any order, even before 1970
    for (int i = 0; i < timestamps.length; i++) {
      InboundMessage m = message(i, i * 40); // the first has an empty payload
      b.add(m, timestamps[i]);
      added.add(new Read(m, timestamps[i]));
    }
    assertEquals(-7L, b.earliestMs());
    assertEquals(added, read(b.take()));
  }

  @Test
  public void aMessageAddedByItsEncodingIsTheSameAsAddedParsed() {
    ArchiveChunk.Builder parsed = new ArchiveChunk.Builder();
    ArchiveChunk.Builder encoded = new ArchiveChunk.Builder();
    List<Read> added = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      InboundMessage m = message(i, i * 7);
      parsed.add(m, 1_000L * (50 - i));
      encoded.add(m.toByteArray(), 1_000L * (50 - i));
      added.add(new Read(m, 1_000L * (50 - i)));
    }
    assertEquals(parsed.earliestMs(), encoded.earliestMs());
    byte[] chunk = encoded.take();
    assertEquals(added, read(chunk));
    org.junit.Assert.assertArrayEquals(parsed.take(), chunk);
    List<byte[]> encodings = new ArrayList<>();
    ArchiveChunk.forEachEncoded(chunk, (bytes, ts) -> encodings.add(bytes));
    for (int i = 0; i < added.size(); i++) {
      org.junit.Assert.assertArrayEquals(added.get(i).message().toByteArray(), encodings.get(i));
    }
  }

  @Test
  public void aTakenBuilderStartsAnEmptyChunk() {
    ArchiveChunk.Builder b = new ArchiveChunk.Builder();
    b.add(message(1, 10), 3_000L);
    b.take();
    assertTrue(b.isEmpty());
    assertEquals(Long.MAX_VALUE, b.earliestMs());
    b.add(message(2, 10), 4_000L);
    assertEquals(List.of(new Read(message(2, 10), 4_000L)), read(b.take()));
  }

  @Test
  public void isFullOnceTheTargetSizeIsReached() {
    ArchiveChunk.Builder b = new ArchiveChunk.Builder();
    int n = 0;
    while (!b.isFull()) {
      b.add(message(n++, 1000), n);
    }
    assertTrue(n > ArchiveChunk.TARGET_BYTES / 1100);
    byte[] chunk = b.take();
    assertTrue(chunk.length >= ArchiveChunk.TARGET_BYTES);
    assertEquals(n, read(chunk).size());
    assertFalse(b.isFull());
  }
}
