package org.iotbeam.pipelines.azure.servicebus;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The flags of the Service Bus alert sink. It is on when {@code --serviceBusNamespace} is set
 * (auth: DefaultAzureCredential) or env {@value ServiceBusConnection#CONNECTION_STRING_ENV} holds a
 * connection string (it wins over the credential when both are there).
 */
public interface ServiceBusSinkOptions extends PipelineOptions {
  @Description(
      "Service Bus namespace for alert notifications (NAME or "
          + "NAME.servicebus.windows.net), authenticated with DefaultAzureCredential. Empty and no "
          + "env SERVICEBUS_CONNECTION_STRING: no Service Bus sink.")
  @Default.String("")
  String getServiceBusNamespace();

  void setServiceBusNamespace(String value);

  @Description("Queue receiving the alert events.")
  @Default.String(ServiceBusConnection.DEFAULT_QUEUE)
  String getServiceBusQueue();

  void setServiceBusQueue(String value);

  @Description(
      "Set the session id (= device id) instead of the partition key; only for a "
          + "session-enabled queue.")
  @Default.Boolean(false)
  Boolean getServiceBusSessions();

  void setServiceBusSessions(Boolean value);

  @Description(
      "Retries of a failed send (exponential backoff) before its alerts go to the "
          + "sink's dead letters.")
  @Default.Integer(5)
  Integer getServiceBusMaxRetries();

  void setServiceBusMaxRetries(Integer value);
}
