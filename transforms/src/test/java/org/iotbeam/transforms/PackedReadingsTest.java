package org.iotbeam.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.Telemetry;
import org.junit.Test;

public class PackedReadingsTest {
  private static Reading reading(String device, long ts) {
    return Reading.newBuilder()
        .setTelemetry(
            Telemetry.newBuilder().setDeviceId(device).setTimestampMs(ts).setTemperature(ts % 40))
        .setContentHash(device + ts)
        .build();
  }

  private static List<Reading> unpack(byte[] pack) {
    List<Reading> out = new ArrayList<>();
    PackedReadings.READINGS.forEach(pack, out::add);
    return out;
  }

  @Test
  public void eachDevicesReadingsComeBackInOrderWithTheEarliestTimestamp() {
    List<PackedReadings.Pack> packs = new ArrayList<>();
    PackedReadings.Packer p = new PackedReadings.Packer(1 << 20, 1L << 30);
    Map<String, List<Reading>> added = new HashMap<>();
    long[] timestamps = {50, 10, 70, 30, 20, 90};
    for (int i = 0; i < timestamps.length; i++) {
      Reading r = reading("d" + (i % 2), timestamps[i]);
      p.add(r, timestamps[i]);
      added.computeIfAbsent("d" + (i % 2), d -> new ArrayList<>()).add(r);
    }
    p.drain(packs::add);
    assertTrue("nothing ready before a flush", packs.isEmpty());
    p.flush();
    p.drain(packs::add);
    assertEquals(2, packs.size());
    for (PackedReadings.Pack pack : packs) {
      assertEquals(added.get(pack.deviceId()), unpack(pack.bytes()));
    }
    Map<String, Long> earliest = new HashMap<>();
    packs.forEach(k -> earliest.put(k.deviceId(), k.earliestMs()));
    assertEquals(Map.of("d0", 20L, "d1", 10L), earliest);
  }

  @Test
  public void aFullPackIsHandedOnAloneAndTheRestStayOpen() {
    List<PackedReadings.Pack> packs = new ArrayList<>();
    int size = reading("big", 1).getSerializedSize() + 1;
    PackedReadings.Packer p = new PackedReadings.Packer(3 * size, 1L << 30);
    p.add(reading("small", 1), 1);
    for (int i = 1; i <= 3; i++) {
      p.add(reading("big", i), i);
    }
    p.drain(packs::add);
    assertEquals(1, packs.size());
    assertEquals("big", packs.get(0).deviceId());
    assertEquals(3, unpack(packs.get(0).bytes()).size());
    p.flush();
    p.drain(packs::add);
    assertEquals(List.of(reading("small", 1)), unpack(packs.get(1).bytes()));
  }

  @Test
  public void everyPackIsHandedOnOnceTheHeldBytesReachTheLimit() {
    List<PackedReadings.Pack> packs = new ArrayList<>();
    int size = reading("a", 1).getSerializedSize() + 1;
    PackedReadings.Packer p = new PackedReadings.Packer(1 << 20, 4L * size);
    p.add(reading("a", 1), 1);
    p.add(reading("b", 1), 1);
    p.add(reading("c", 1), 1);
    p.drain(packs::add);
    assertTrue(packs.isEmpty());
    p.add(reading("d", 1), 1);
    p.drain(packs::add);
    assertEquals(4, packs.size());
    // held bytes start again from zero
    p.add(reading("a", 2), 2);
    p.add(reading("b", 2), 2);
    p.drain(packs::add);
    assertEquals(4, packs.size());
  }

  @Test
  public void aMessageAddedByItsEncodingPacksAsTheMessage() {
    List<PackedReadings.Pack> byMessage = new ArrayList<>();
    List<PackedReadings.Pack> byEncoding = new ArrayList<>();
    PackedReadings.Packer m = new PackedReadings.Packer(1 << 20, 1L << 30);
    PackedReadings.Packer e = new PackedReadings.Packer(1 << 20, 1L << 30);
    for (int i = 0; i < 200; i++) { // past the first pack buffer's 512 bytes
      Reading r = reading("d", 1000 - i);
      m.add("d", r, 1000 - i);
      e.add("d", r.toByteArray(), 1000 - i);
    }
    m.flush();
    e.flush();
    m.drain(byMessage::add);
    e.drain(byEncoding::add);
    assertEquals(1, byEncoding.size());
    assertEquals(801L, byEncoding.get(0).earliestMs());
    assertEquals(byMessage.get(0).earliestMs(), byEncoding.get(0).earliestMs());
    assertTrue(java.util.Arrays.equals(byMessage.get(0).bytes(), byEncoding.get(0).bytes()));
    assertEquals(200, unpack(byEncoding.get(0).bytes()).size());
  }
}
