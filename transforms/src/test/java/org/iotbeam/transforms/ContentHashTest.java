package org.iotbeam.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.UnknownFieldSet;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.iotbeam.proto.GeoLocation;
import org.iotbeam.proto.Telemetry;
import org.junit.Test;

public class ContentHashTest {
  private static final Telemetry V3 =
      Telemetry.newBuilder()
          .setDeviceId("dev-000042")
          .setTimestampMs(1_790_000_000_123L)
          .setSchemaVersion(3)
          .setTemperature(21.5)
          .setHumidity(48.25)
          .setPressure(1009.5)
          .setLocation(GeoLocation.newBuilder().setLatitude(52.1).setLongitude(4.3).setAltitude(12))
          .putMetadata("firmware", "3.2.0")
          .putMetadata("site", "plant-a")
          .setBatteryLevel(88.5)
          .setSignalStrength(-71)
          .addErrorCodes("E_WEAK_SIGNAL")
          .build();

  /** What the hash was before it skipped the copy: SHA-256 of the message without its version. */
  private static String copyThenHash(Telemetry t) throws Exception {
    byte[] d =
        MessageDigest.getInstance("SHA-256")
            .digest(t.toBuilder().setSchemaVersion(0).build().toByteArray());
    return HexFormat.of().formatHex(d, 0, 16);
  }

  @Test
  public void isTheHashOfTheMessageWithoutItsDeclaredVersion() throws Exception {
    assertEquals(copyThenHash(V3), ContentHash.of(V3));
    Telemetry v1 =
        Telemetry.newBuilder()
            .setDeviceId("d-1")
            .setTimestampMs(5)
            .setTemperature(1)
            .build(); // no version declared, nothing after field 4
    assertEquals(copyThenHash(v1), ContentHash.of(v1));
    Telemetry versionOnly = Telemetry.newBuilder().setSchemaVersion(2).build();
    assertEquals(copyThenHash(versionOnly), ContentHash.of(versionOnly));
    assertEquals(ContentHash.of(V3), ContentHash.of(V3.toBuilder().setSchemaVersion(1).build()));
    assertEquals(32, ContentHash.of(V3).length());
  }

  @Test
  public void metadataOrderDoesNotMatterButEveryValueDoes() {
    Telemetry reversed =
        V3.toBuilder()
            .clearMetadata()
            .putMetadata("site", "plant-a")
            .putMetadata("firmware", "3.2.0")
            .build();
    assertEquals(ContentHash.of(V3), ContentHash.of(reversed));
    assertNotEquals(
        ContentHash.of(V3), ContentHash.of(V3.toBuilder().putMetadata("site", "plant-b").build()));
    assertNotEquals(
        ContentHash.of(V3), ContentHash.of(V3.toBuilder().setSignalStrength(-70).build()));
    assertNotEquals(
        ContentHash.of(V3),
        ContentHash.of(V3.toBuilder().setTimestampMs(V3.getTimestampMs() + 1).build()));
  }

  @Test
  public void aFieldFromANewerSchemaIsContentToo() throws Exception {
    Telemetry withUnknown =
        Telemetry.parseFrom(
            V3.toBuilder()
                .setUnknownFields(
                    UnknownFieldSet.newBuilder()
                        .addField(16, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                        .build())
                .build()
                .toByteArray());
    assertEquals(copyThenHash(withUnknown), ContentHash.of(withUnknown));
    assertNotEquals(ContentHash.of(V3), ContentHash.of(withUnknown));
  }

  @Test
  public void knowsEveryFieldOfTelemetry() {
    // ContentHash.of writes the fields itself: a new field must be added there (and here)
    assertEquals(
        List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
        Telemetry.getDescriptor().getFields().stream().map(FieldDescriptor::getNumber).toList());
  }

  @Test
  public void growsItsBufferForALargeMessage() throws Exception {
    Telemetry.Builder big = V3.toBuilder();
    for (int i = 0; i < 500; i++) {
      big.putMetadata("key-" + i, "a value long enough to need more than a kilobyte " + i);
    }
    assertEquals(copyThenHashSorted(big.build()), ContentHash.of(big.build()));
  }

  /** As {@link #copyThenHash}, with the deterministic (key-ordered) map serialization. */
  private static String copyThenHashSorted(Telemetry t) throws Exception {
    Telemetry copy = t.toBuilder().setSchemaVersion(0).build();
    byte[] bytes = new byte[copy.getSerializedSize()];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    copy.writeTo(out);
    byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
    return HexFormat.of().formatHex(d, 0, 16);
  }

  @Test
  public void splitsIntoTwoLongs() {
    String h = ContentHash.of(V3);
    ContentHash.Bits bits = ContentHash.parse(h);
    assertEquals(h, String.format("%016x%016x", bits.high(), bits.low()));
  }

  @Test
  public void aMalformedHashHasNoBits() {
    String h = ContentHash.of(V3);
    assertNull(ContentHash.parse(null));
    assertNull(ContentHash.parse(h.substring(1)));
    assertNull(ContentHash.parse(h + "0"));
    assertNull(ContentHash.parse("g" + h.substring(1)));
    assertNull(ContentHash.parse(h.substring(0, 31) + "-"));
  }
}
