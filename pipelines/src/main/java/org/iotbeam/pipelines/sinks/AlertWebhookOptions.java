package org.iotbeam.pipelines.sinks;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

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
}
