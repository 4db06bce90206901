package org.iotbeam.pipelines.azure.servicebus;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasLength;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.google.protobuf.util.JsonFormat;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertKind;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.Severity;
import org.junit.Test;

/** The Alert -> message mapping, on the SDK's real {@link ServiceBusMessage}. */
public class AlertMessagesTest {
  static Alert alert(AlertState state) {
    return Alert.newBuilder()
        .setId("dev-1|temp-high|1700000000000")
        .setDeviceId("dev-1")
        .setRuleId("temp-high")
        .setKind(AlertKind.THRESHOLD)
        .setMetric("temperature")
        .setSeverity(Severity.CRITICAL)
        .setPriority(1)
        .setState(state)
        .setRaisedAtMs(1_700_000_000_000L)
        .setEventTimeMs(1_700_000_000_000L)
        .setValue(91.5)
        .setThreshold(80)
        .setTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .build();
  }

  @Test
  public void mapsTheAlertToAJsonMessageWithItsRoutingProperties() throws Exception {
    ServiceBusMessage m = AlertMessages.toMessage(alert(AlertState.RAISED), false);

    assertEquals("dev-1|temp-high|1700000000000:RAISED", m.getMessageId());
    assertEquals("application/json", m.getContentType());
    assertEquals("temp-high", m.getSubject());
    assertEquals("dev-1", m.getPartitionKey());
    assertNull(m.getSessionId());
    assertEquals("dev-1|temp-high|1700000000000", m.getCorrelationId());
    assertEquals("CRITICAL", m.getApplicationProperties().get("severity"));
    assertEquals(1, m.getApplicationProperties().get("priority"));
    assertEquals("THRESHOLD", m.getApplicationProperties().get("kind"));
    assertEquals("RAISED", m.getApplicationProperties().get("state"));
    assertEquals("dev-1", m.getApplicationProperties().get("deviceId"));
    assertEquals(
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        m.getApplicationProperties().get("traceparent"));

    Alert.Builder back = Alert.newBuilder();
    JsonFormat.parser().merge(m.getBody().toString(), back);
    assertEquals(alert(AlertState.RAISED), back.build());
  }

  @Test
  public void raiseAndClearOfOneAlertHaveDifferentMessageIdsAndReplaysTheSame() {
    String raised = AlertMessages.toMessage(alert(AlertState.RAISED), false).getMessageId();
    String cleared = AlertMessages.toMessage(alert(AlertState.CLEARED), false).getMessageId();
    assertNotEquals(raised, cleared); // duplicate detection must not drop the CLEAR
    assertEquals(raised, AlertMessages.toMessage(alert(AlertState.RAISED), false).getMessageId());
  }

  @Test
  public void sessionsUseTheDeviceAsSessionId() {
    ServiceBusMessage m = AlertMessages.toMessage(alert(AlertState.CLEARED), true);
    assertEquals("dev-1", m.getSessionId());
    assertEquals("CLEARED", m.getApplicationProperties().get("state"));
  }

  @Test
  public void overlongMessageIdsAreHashedDeterministically() {
    Alert a =
        alert(AlertState.RAISED).toBuilder().setId("d".repeat(150) + "|rule|1700000000000").build();
    String id = AlertMessages.messageId(a);
    assertThat(id, hasLength(64));
    assertEquals(id, AlertMessages.messageId(a));
    assertNotEquals(
        id, AlertMessages.messageId(a.toBuilder().setState(AlertState.CLEARED).build()));
    ServiceBusMessage m = AlertMessages.toMessage(a, false);
    assertEquals(id, m.getMessageId());
    assertNull(m.getCorrelationId());
  }

  @Test
  public void noTraceparentNoProperty() {
    ServiceBusMessage m =
        AlertMessages.toMessage(
            alert(AlertState.RAISED).toBuilder().clearTraceparent().build(), false);
    assertFalse(m.getApplicationProperties().containsKey("traceparent"));
  }

  @Test
  public void anAlertWithoutIdIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            AlertMessages.toMessage(alert(AlertState.RAISED).toBuilder().clearId().build(), false));
  }
}
