package org.iotbeam.domain.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.iotbeam.domain.BundledConfig;
import org.iotbeam.proto.DeviceProfile;
import org.junit.Test;

public class DeviceRegistryTest {
  private static final String DOC =
      "{\"defaults\": {\"deviceType\": \"generic\", \"site\": \"none\","
          + " \"firmware\": \"?\"},"
          + " \"devices\": [{\"deviceId\": \"dev-000001\", \"deviceType\": \"hvac\", \"site\": \"a\"}],"
          + " \"prefixes\": [{\"prefix\": \"dev-\", \"deviceType\": \"sensor\", \"site\": \"b\"},"
          + "                {\"prefix\": \"dev-00\", \"deviceType\": \"cold-room\", \"site\": \"c\"}]}";

  @Test
  public void exactIdBeatsLongestPrefixBeatsShorterPrefix() {
    DeviceRegistry r = DeviceRegistry.parse(DOC.getBytes(UTF_8), "test");
    assertEquals("hvac", r.lookup("dev-000001").get().getDeviceType());
    assertEquals("?", r.lookup("dev-000001").get().getFirmware()); // missing field -> default
    assertEquals("cold-room", r.lookup("dev-000002").get().getDeviceType());
    assertEquals("sensor", r.lookup("dev-100000").get().getDeviceType());
    assertFalse(r.lookup("other").isPresent());
    DeviceProfile d = r.defaultsFor("other");
    assertEquals("other", d.getDeviceId());
    assertEquals("generic", d.getDeviceType());
  }

  @Test
  public void resolveRemembersWhatLookupAndDefaultsSay() {
    DeviceRegistry r = DeviceRegistry.parse(DOC.getBytes(UTF_8), "test");
    for (int round = 0; round < 2; round++) { // the second round is answered from memory
      DeviceRegistry.Resolved known = r.resolve("dev-000002");
      assertEquals(r.lookup("dev-000002").get(), known.profile());
      assertTrue(known.known());
      DeviceRegistry.Resolved stranger = r.resolve("other");
      assertEquals(r.defaultsFor("other"), stranger.profile());
      assertFalse(stranger.known());
    }
  }

  @Test
  public void typosAndDuplicatesFailWithTheirLocation() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DeviceRegistry.parse("{\"devics\": []}".getBytes(UTF_8), "reg.json"));
    assertThat(e.getMessage(), containsString("reg.json"));
    assertThat(e.getMessage(), containsString("devics"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DeviceRegistry.parse(
                    "{\"devices\": [{\"deviceId\": \"a1x\"}, {\"deviceId\": \"a1x\"}]}"
                        .getBytes(UTF_8),
                    "r"));
    assertThat(e.getMessage(), containsString("listed twice"));
  }

  @Test
  public void bundledRegistryLoads() {
    DeviceRegistry r = BundledConfig.registry();
    assertEquals("cold-room", r.lookup("dev-000042").get().getDeviceType());
    assertEquals("environment-sensor", r.lookup("dev-000420").get().getDeviceType());
  }
}
