package org.iotbeam.pipelines.azure.servicebus;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.junit.Assume;
import org.junit.Test;

/**
 * Against a real namespace, only when env SERVICEBUS_CONNECTION_STRING is set (no Service Bus can
 * run on these machines). The queue is env SERVICEBUS_QUEUE, default {@code alerts}; the test
 * receives (and deletes) the messages it sent and ignores others it finds. A fresh device id per
 * run keeps the queue's duplicate detection from dropping a rerun.
 */
public class ServiceBusLiveTest {

  @Test
  public void sendsAlertsAndReceivesThemBack() {
    String cs = System.getenv(ServiceBusConnection.CONNECTION_STRING_ENV);
    boolean configured = cs != null && !cs.isBlank();
    String skip = "SERVICEBUS_CONNECTION_STRING not set: skipping the live Service Bus test";
    if (!configured) {
      System.out.println(skip); // also in the test output file, beside the XML report
    }
    Assume.assumeTrue(skip, configured);
    String queue =
        System.getenv().getOrDefault("SERVICEBUS_QUEUE", ServiceBusConnection.DEFAULT_QUEUE);
    ServiceBusConnection connection = ServiceBusConnection.of("", queue);
    String device = "live-test-" + UUID.randomUUID();
    Alert raised =
        AlertMessagesTest.alert(AlertState.RAISED).toBuilder()
            .setDeviceId(device)
            .setId(device + "|temp-high|1700000000000")
            .build();
    Alert cleared =
        raised.toBuilder()
            .setState(AlertState.CLEARED)
            .setClearedAtMs(1_700_000_060_000L)
            .setEventTimeMs(1_700_000_060_000L)
            .build();
    Alert other =
        raised.toBuilder()
            .setRuleId("humidity-high")
            .setId(device + "|humidity-high|1700000000000")
            .build();
    List<Alert> alerts = List.of(raised, other, cleared, raised); // the last one is a replay

    try (ServiceBusSenderClient sender = connection.createSender()) {
      MessageBatcher.Result<Alert> result = ServiceBusAlertSink.send(sender, alerts, false);
      assertTrue(result.failures().toString(), result.failures().isEmpty());
      assertEquals(4, result.sent());
    }

    Map<String, ServiceBusReceivedMessage> received = new HashMap<>();
    try (ServiceBusReceiverClient receiver =
        connection
            .clientBuilder()
            .receiver()
            .queueName(queue)
            .receiveMode(ServiceBusReceiveMode.RECEIVE_AND_DELETE)
            .buildClient()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received.size() < 3 && System.nanoTime() < deadline) {
        for (ServiceBusReceivedMessage m : receiver.receiveMessages(10, Duration.ofSeconds(5))) {
          if (device.equals(m.getApplicationProperties().get("deviceId"))) {
            received.put(m.getMessageId(), m);
          }
        }
      }
    }
    assertEquals(received.keySet().toString(), 3, received.size());
    ServiceBusReceivedMessage clear = received.get(raised.getId() + ":CLEARED");
    assertEquals("application/json", clear.getContentType());
    assertEquals("temp-high", clear.getSubject());
    assertEquals("CLEARED", clear.getApplicationProperties().get("state"));
  }
}
