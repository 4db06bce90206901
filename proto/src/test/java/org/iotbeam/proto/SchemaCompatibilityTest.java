package org.iotbeam.proto;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.Test;

/**
 * Old and new readers read each other's bytes. The golden files under {@code golden/} were written
 * by the v1, v2 and v3 writers and are never regenerated: if a schema change breaks them, the
 * change is wrong, not the files.
 */
public class SchemaCompatibilityTest {

  private static byte[] golden(String name) throws IOException {
    try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new IllegalStateException("golden file missing: " + name);
      }
      return in.readAllBytes();
    }
  }

  @Test
  public void currentReaderReadsV1Bytes() throws Exception {
    Telemetry t = Telemetry.parseFrom(golden("telemetry-v1.bin"));
    assertThat(t.getDeviceId(), is("dev-000001"));
    assertThat(t.getTimestampMs(), is(1767225600000L));
    assertThat(t.getTemperature(), is(21.5));
    assertThat(t.getHumidity(), is(40.25));
    assertFalse("v1 has no pressure", t.hasPressure());
    assertFalse(t.hasLocation());
    assertFalse(t.hasBatteryLevel());
    assertThat(SchemaVersions.detect(golden("telemetry-v1.bin")), is(1));
  }

  @Test
  public void currentReaderReadsV2Bytes() throws Exception {
    Telemetry t = Telemetry.parseFrom(golden("telemetry-v2.bin"));
    assertThat(t.getDeviceId(), is("dev-000002"));
    assertThat(t.getTemperature(), is(-3.75));
    assertThat(t.getPressure(), is(1013.25));
    assertThat(t.getLocation().getLatitude(), is(52.3676));
    assertThat(t.getLocation().getAltitude(), is(2.0));
    assertThat(t.getMetadataMap().get("firmware"), is("2.1.0"));
    assertFalse("v2 has no battery level", t.hasBatteryLevel());
    assertThat(SchemaVersions.detect(golden("telemetry-v2.bin")), is(2));
  }

  @Test
  public void currentReaderReadsV3Bytes() throws Exception {
    Telemetry t = Telemetry.parseFrom(golden("telemetry-v3.bin"));
    assertThat(t.getBatteryLevel(), is(76.5));
    assertThat(t.getSignalStrength(), is(-87));
    assertThat(t.getErrorCodesList(), contains("E_FAN_SLOW"));
    assertThat(t.getLocation().hasAltitude(), is(false));
    assertThat(SchemaVersions.detect(golden("telemetry-v3.bin")), is(3));
  }

  @Test
  public void versionOfUnversionedMessageIsInferredFromItsFields() throws Exception {
    byte[] bytes = golden("telemetry-v1-unversioned.bin");
    assertThat(Telemetry.parseFrom(bytes).getSchemaVersion(), is(0));
    assertThat(SchemaVersions.detect(bytes), is(1));

    Telemetry v2ish = Telemetry.newBuilder().setDeviceId("d-1").setPressure(1000).build();
    assertThat(SchemaVersions.detect(v2ish.toByteArray()), is(2));
    Telemetry v3ish = Telemetry.newBuilder().setDeviceId("d-1").addErrorCodes("E").build();
    assertThat(SchemaVersions.detect(v3ish.toByteArray()), is(3));
  }

  @Test
  public void v1ReaderReadsCurrentBytesAndKeepsWhatItDoesNotKnow() throws Exception {
    byte[] current = golden("telemetry-v3.bin");
    org.iotbeam.proto.v1.Telemetry old = org.iotbeam.proto.v1.Telemetry.parseFrom(current);
    assertThat(old.getDeviceId(), is("dev-000003"));
    assertThat(old.getTemperature(), is(30.0));
    assertThat(old.getHumidity(), is(55.5));
    assertTrue("v3 fields survive as unknown fields", old.getUnknownFields().hasField(9));
    // an old service that reads and forwards a message must not strip newer fields
    assertArrayEquals(current, old.toByteArray());
  }

  @Test
  public void v2ReaderReadsCurrentBytes() throws Exception {
    org.iotbeam.proto.v2.Telemetry old =
        org.iotbeam.proto.v2.Telemetry.parseFrom(golden("telemetry-v3.bin"));
    assertThat(old.getPressure(), is(998.5));
    assertThat(old.getLocation().getLongitude(), is(8.5417));
    assertThat(old.getMetadataMap().get("site"), is("plant-a"));
    assertTrue(old.getUnknownFields().hasField(10));
  }

  @Test
  public void oldReadersReadEachOthersBytes() throws Exception {
    org.iotbeam.proto.v2.Telemetry fromV1 =
        org.iotbeam.proto.v2.Telemetry.parseFrom(golden("telemetry-v1.bin"));
    assertThat(fromV1.getDeviceId(), is("dev-000001"));
    assertFalse(fromV1.hasPressure());
    org.iotbeam.proto.v1.Telemetry fromV2 =
        org.iotbeam.proto.v1.Telemetry.parseFrom(golden("telemetry-v2.bin"));
    assertThat(fromV2.getHumidity(), is(88.0));
  }
}
