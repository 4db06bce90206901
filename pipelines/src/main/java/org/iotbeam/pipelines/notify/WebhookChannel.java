package org.iotbeam.pipelines.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.time.Duration;
import org.iotbeam.domain.notify.NotificationText;
import org.iotbeam.pipelines.sinks.AlertWebhookSink;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.OutgoingMessage;

/**
 * POSTs the message as JSON to the recipient URL, the way {@link AlertWebhookSink} posts alerts
 * (its {@code postOnce}: Idempotency-Key = the message key; client errors other than 408/429 are
 * final). The body: {@code text} (the subject, what chat webhooks such as Slack's show), {@code
 * body} (the e-mail text), {@code key}, and {@code notification}, the whole {@code OutgoingMessage}
 * with its notices and alerts.
 */
public class WebhookChannel implements NotificationChannel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final NotificationText text;
  private final long timeoutMs;
  private final HttpClient client;

  public WebhookChannel(NotificationText text, long timeoutMs) {
    this.text = text;
    this.timeoutMs = timeoutMs;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeoutMs)).build();
  }

  @Override
  public void send(OutgoingMessage m) throws DeliveryException {
    String json;
    try {
      ObjectNode body =
          JSON.createObjectNode()
              .put("text", text.subject(m))
              .put("body", text.body(m))
              .put("key", m.getKey());
      body.set("notification", JSON.readTree(ProtoJson.toJson(m)));
      json = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new DeliveryException("cannot write the webhook body: " + e.getMessage(), false, e);
    }
    AlertWebhookSink.Attempt a;
    try {
      a = AlertWebhookSink.postOnce(client, m.getRecipient(), json, m.getKey(), timeoutMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException("interrupted", true, e);
    }
    if (!a.delivered()) {
      throw new DeliveryException(
          "webhook " + AlertWebhookSink.redacted(m.getRecipient()) + ": " + a.error(),
          a.retryable());
    }
  }
}
