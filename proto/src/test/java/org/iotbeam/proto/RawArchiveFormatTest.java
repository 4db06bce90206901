package org.iotbeam.proto;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.Test;

public class RawArchiveFormatTest {
  private static InboundMessage msg(int i) {
    return InboundMessage.newBuilder()
        .setPayload(ByteString.copyFrom(new byte[] {(byte) i, 1, 2, 3}))
        .setIngestTimeMs(1_700_000_000_000L + i)
        .setSource(SourcePosition.newBuilder().setSystem("kafka").setOffset(i))
        .build();
  }

  @Test
  public void roundTripsMessagesInOrder() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<InboundMessage> written = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      written.add(msg(i));
      RawArchiveFormat.write(msg(i), out);
    }
    List<InboundMessage> read = new ArrayList<>();
    RawArchiveFormat.read(new ByteArrayInputStream(out.toByteArray())).forEachRemaining(read::add);
    assertThat(read, is(written));
  }

  @Test
  public void truncatedLastRecordIsAnErrorNotASilentEnd() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RawArchiveFormat.write(msg(1), out);
    RawArchiveFormat.write(msg(2), out);
    byte[] bytes = out.toByteArray();
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 3);
    Iterator<InboundMessage> it = RawArchiveFormat.read(new ByteArrayInputStream(cut));
    assertThrows(
        RawArchiveFormat.ArchiveReadException.class,
        () -> {
          while (it.hasNext()) {
            it.next();
          }
        });
  }

  @Test
  public void readsEachRecordsEncodingAsWritten() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 100; i++) {
      RawArchiveFormat.write(msg(i), out);
    }
    Iterator<byte[]> it = RawArchiveFormat.readEncoded(new ByteArrayInputStream(out.toByteArray()));
    for (int i = 0; i < 100; i++) {
      assertThat(it.next(), is(msg(i).toByteArray()));
    }
    assertThat(it.hasNext(), is(false));
    byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() - 1);
    Iterator<byte[]> truncated = RawArchiveFormat.readEncoded(new ByteArrayInputStream(cut));
    assertThrows(
        RawArchiveFormat.ArchiveReadException.class,
        () -> {
          while (truncated.hasNext()) {
            truncated.next();
          }
        });
  }

  @Test
  public void partitionsByUtcDateAndHour() {
    // 2026-01-01T23:59:59.999Z
    assertThat(RawArchiveFormat.partitionOf(1767311999999L), is("dt=2026-01-01/hour=23/"));
    assertThat(RawArchiveFormat.partitionOf(1767312000000L), is("dt=2026-01-02/hour=00/"));
  }
}
