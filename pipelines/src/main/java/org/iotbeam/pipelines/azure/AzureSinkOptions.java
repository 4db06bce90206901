package org.iotbeam.pipelines.azure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.pipelines.azure.cosmos.CosmosConnection;
import org.iotbeam.pipelines.azure.cosmos.CosmosSinkOptions;
import org.iotbeam.pipelines.azure.cosmos.CosmosUpsert;
import org.iotbeam.pipelines.azure.cosmos.RetryPolicy;
import org.iotbeam.pipelines.azure.servicebus.ServiceBusAlertSink;
import org.iotbeam.pipelines.azure.servicebus.ServiceBusConnection;
import org.iotbeam.pipelines.azure.servicebus.ServiceBusSinkOptions;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.TelemetryResults;

/**
 * The Azure sinks' flags together, and the one call a pipeline makes to wire them: {@code
 * AzureSinkOptions.applyTo(results, options)}. Each sink is applied only when configured ({@code
 * --cosmosEndpoint}; {@code --serviceBusNamespace} or env SERVICEBUS_CONNECTION_STRING), so with no
 * flags it does nothing.
 */
public interface AzureSinkOptions extends CosmosSinkOptions, ServiceBusSinkOptions {

  /**
   * Applies the configured sinks to the results' aggregates and alerts; returns each applied sink's
   * dead letters (records it could not write after retries, in the windows of what it wrote: for a
   * {@link org.iotbeam.pipelines.sinks.DeadLetterHandler}), empty when none is configured.
   */
  static List<PCollection<DeadLetter>> applyTo(TelemetryResults results, AzureSinkOptions options) {
    return applyTo(results.aggregates(), results.alerts(), options, false, true);
  }

  /**
   * {@link #applyTo(TelemetryResults, AzureSinkOptions)} for any pipeline's aggregates and alerts.
   *
   * @param reprocessing the aggregates are a backfill's, complete for their windows: they replace
   *     what streaming stored for the same windows ({@link CosmosUpsert#reprocessedAggregates})
   * @param notify send the alerts to Service Bus when it is configured; a backfill does not unless
   *     asked, so yesterday's alerts are not announced again
   */
  static List<PCollection<DeadLetter>> applyTo(
      PCollection<WindowAggregate> aggregates,
      PCollection<Alert> alerts,
      AzureSinkOptions options,
      boolean reprocessing,
      boolean notify) {
    List<PCollection<DeadLetter>> failures = new ArrayList<>();
    String endpoint = options.getCosmosEndpoint();
    if (endpoint != null && !endpoint.isBlank()) {
      CosmosConnection connection = connection(options);
      RetryPolicy policy =
          new RetryPolicy(
              options.getCosmosMaxAttempts(),
              RetryPolicy.defaults().baseBackoff(),
              RetryPolicy.defaults().maxBackoff());
      CosmosUpsert<WindowAggregate> upsert =
          reprocessing
              ? CosmosUpsert.reprocessedAggregates(connection)
              : CosmosUpsert.aggregates(connection);
      failures.add(
          aggregates.apply(
              "CosmosAggregates",
              upsert.withRetryPolicy(policy).withOrderGuard(options.getCosmosPaneOrderGuard())));
      failures.add(
          alerts.apply(
              "CosmosAlerts",
              CosmosUpsert.alerts(connection)
                  .withRetryPolicy(policy)
                  .withOrderGuard(options.getCosmosPaneOrderGuard())));
    }
    if (notify && ServiceBusConnection.isConfigured(options.getServiceBusNamespace())) {
      failures.add(
          alerts.apply(
              "ServiceBusAlerts",
              new ServiceBusAlertSink(ServiceBusConnection.fromOptions(options))));
    }
    return failures;
  }

  /** The Cosmos DB connection these options describe. */
  static CosmosConnection connection(CosmosSinkOptions options) {
    return CosmosConnection.of(options.getCosmosEndpoint())
        .withDatabase(options.getCosmosDatabase())
        .withGatewayMode(options.getCosmosGatewayMode())
        .withEndpointDiscovery(options.getCosmosEndpointDiscovery())
        .withThrottling(9, Duration.ofSeconds(30));
  }
}
