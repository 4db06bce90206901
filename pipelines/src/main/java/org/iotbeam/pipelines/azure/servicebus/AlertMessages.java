package org.iotbeam.pipelines.azure.servicebus;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.iotbeam.proto.Alert;

/**
 * Alert -> Service Bus message.
 *
 * <ul>
 *   <li>Body: the alert as protobuf JSON (proto field names in lowerCamelCase, enums by name),
 *       content type {@value #CONTENT_TYPE}.
 *   <li>Message id: {@code <alert id>:<state>}. The queue has duplicate detection on message id.
 *       The alert id alone would be wrong: RAISED and CLEARED share it, so the broker would drop
 *       the CLEAR as a duplicate of the RAISE and nobody would learn the alert ended. A random id
 *       would be wrong too: a replay (retried bundle, restore from a checkpoint) would notify
 *       twice. Alert id plus state is exactly one message per lifecycle event: replays of an event
 *       are dropped by the broker (within its detection window), the CLEAR is delivered. Service
 *       Bus caps a message id at 128 characters; a longer one is replaced by the hex SHA-256 of
 *       itself, still deterministic.
 *   <li>Partition key (or session id, when the queue uses sessions) = device id: one device's
 *       events stay in one partition / session, so a consumer sees RAISE before CLEAR.
 *   <li>Correlation id = alert id, linking the RAISE and the CLEAR of one alert.
 *   <li>Subject = rule id; application properties severity, priority, kind, state, deviceId,
 *       metric, alertId and the W3C traceparent of the reading that caused it, for subscription
 *       filters and tracing without parsing the body.
 * </ul>
 */
public final class AlertMessages {
  public static final String CONTENT_TYPE = "application/json";
  static final int MAX_ID_LENGTH = 128;
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private AlertMessages() {}

  public static String messageId(Alert alert) {
    String id = alert.getId() + ":" + alert.getState().name();
    if (id.length() <= MAX_ID_LENGTH) {
      return id;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }

  public static ServiceBusMessage toMessage(Alert alert, boolean sessions) {
    if (alert.getId().isEmpty() || alert.getDeviceId().isEmpty()) {
      throw new IllegalArgumentException("an alert needs an id and a device id: " + alert);
    }
    String json;
    try {
      json = JSON.print(alert);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("alert " + alert.getId() + " is not printable", e);
    }
    ServiceBusMessage m = new ServiceBusMessage(BinaryData.fromString(json));
    m.setContentType(CONTENT_TYPE);
    m.setMessageId(messageId(alert));
    m.setCorrelationId(alert.getId().length() <= MAX_ID_LENGTH ? alert.getId() : null);
    m.setSubject(alert.getRuleId());
    if (sessions) {
      m.setSessionId(alert.getDeviceId());
    } else {
      m.setPartitionKey(alert.getDeviceId());
    }
    Map<String, Object> p = m.getApplicationProperties();
    p.put("severity", alert.getSeverity().name());
    p.put("priority", alert.getPriority());
    p.put("kind", alert.getKind().name());
    p.put("state", alert.getState().name());
    p.put("deviceId", alert.getDeviceId());
    p.put("metric", alert.getMetric());
    p.put("alertId", alert.getId());
    if (!alert.getTraceparent().isEmpty()) {
      p.put("traceparent", alert.getTraceparent());
    }
    return m;
  }
}
