package org.iotbeam.pipelines.sinks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;

/** The flags of the {@link AlertWebhookSink}, shared by the streaming and the batch pipeline. */
public interface AlertWebhookOptions extends PipelineOptions {
  @Description("Alert webhook (http/https URL) that gets each alert event as JSON; empty: none.")
  @Default.String("")
  String getAlertWebhookUrl();

  void setAlertWebhookUrl(String value);

  @Description("Attempts per alert before it goes to the dead letters.")
  @Default.Integer(4)
  Integer getWebhookMaxAttempts();

  void setWebhookMaxAttempts(Integer value);

  @Description("First retry delay of the webhook, milliseconds; doubles per attempt.")
  @Default.Long(500)
  Long getWebhookInitialBackoffMs();

  void setWebhookInitialBackoffMs(Long value);

  @Description("Webhook connect and request timeout, milliseconds.")
  @Default.Long(5000)
  Long getWebhookTimeoutMs();

  void setWebhookTimeoutMs(Long value);

  /** Whether {@code --alertWebhookUrl} names a webhook. */
  static boolean isConfigured(AlertWebhookOptions o) {
    return o.getAlertWebhookUrl() != null && !o.getAlertWebhookUrl().isBlank();
  }

  /** Every problem with these flags; the {@code --webhook*} ones only matter with a webhook. */
  static List<String> problems(AlertWebhookOptions o) {
    List<String> p = new ArrayList<>();
    if (!isConfigured(o)) {
      return p;
    }
    String hook = o.getAlertWebhookUrl();
    if (!hook.startsWith("http://") && !hook.startsWith("https://")) {
      p.add("--alertWebhookUrl must be an http:// or https:// URL");
    }
    Integer attempts = o.getWebhookMaxAttempts();
    if (attempts == null || attempts < 1 || attempts > 20) {
      p.add("--webhookMaxAttempts must be 1..20, was " + attempts);
    }
    Long backoff = o.getWebhookInitialBackoffMs();
    if (backoff == null || backoff < 0) {
      p.add("--webhookInitialBackoffMs must be zero or more, was " + backoff);
    }
    Long timeout = o.getWebhookTimeoutMs();
    if (timeout == null || timeout < 1) {
      p.add("--webhookTimeoutMs must be positive, was " + timeout);
    }
    return p;
  }

  /**
   * Sends the alerts to the webhook when one is configured; returns the alerts it could not deliver
   * as dead letters (for a {@link DeadLetterHandler}), empty when there is no webhook. (Not {@code
   * applyTo}: Beam refuses two static methods of one name and different return types across an
   * options interface's supertypes, and {@code AzureSinkOptions.applyTo} exists.)
   */
  static Optional<PCollection<DeadLetter>> sendTo(
      PCollection<Alert> alerts, AlertWebhookOptions o) {
    if (!isConfigured(o)) {
      return Optional.empty();
    }
    return Optional.of(
        alerts.apply(
            "AlertWebhook",
            new AlertWebhookSink(
                o.getAlertWebhookUrl(),
                o.getWebhookMaxAttempts(),
                o.getWebhookInitialBackoffMs(),
                o.getWebhookTimeoutMs())));
  }
}
