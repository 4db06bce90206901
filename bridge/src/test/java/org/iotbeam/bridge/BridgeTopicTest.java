package org.iotbeam.bridge;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.Map;
import org.junit.Test;

public class BridgeTopicTest {
  @Test
  public void parsesIotHubTopicsAndPropertyBags() {
    // as the simulator's MqttTransport.topic writes it (EndToEndTest there runs the two together)
    MqttKafkaBridge.Parsed p =
        MqttKafkaBridge.parseTopic(
            "devices/dev-000042/messages/events/"
                + "traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    assertEquals("dev-000042", p.deviceId());
    assertEquals(
        Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
        p.properties());

    p = MqttKafkaBridge.parseTopic("devices/d-1/messages/events/");
    assertEquals("d-1", p.deviceId());
    assertEquals(Map.of(), p.properties());
    p = MqttKafkaBridge.parseTopic("devices/d-1/messages/events");
    assertEquals(Map.of(), p.properties());

    p =
        MqttKafkaBridge.parseTopic(
            "devices/d-1/messages/events/a=1&b=x%20y&%24.ct=application%2Fjson");
    assertEquals(Map.of("a", "1", "b", "x y", "$.ct", "application/json"), p.properties());

    assertNull(MqttKafkaBridge.parseTopic("devices//messages/events/"));
    assertNull(MqttKafkaBridge.parseTopic("foo/d-1/messages/events/"));
  }
}
