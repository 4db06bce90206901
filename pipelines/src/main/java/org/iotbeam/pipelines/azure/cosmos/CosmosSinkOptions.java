package org.iotbeam.pipelines.azure.cosmos;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The flags of the Cosmos DB hot-store sink. Empty endpoint: no Cosmos DB sink. */
public interface CosmosSinkOptions extends PipelineOptions {
  @Description(
      "Cosmos DB account endpoint (https://<account>.documents.azure.com:443/). Empty: "
          + "no Cosmos DB sink. Auth: the key in env var COSMOS_KEY on the workers, or "
          + "DefaultAzureCredential (managed identity) when it is unset.")
  @Default.String("")
  String getCosmosEndpoint();

  void setCosmosEndpoint(String value);

  @Description("Cosmos DB database holding the aggregates and alerts containers.")
  @Default.String(CosmosConnection.DEFAULT_DATABASE)
  String getCosmosDatabase();

  void setCosmosDatabase(String value);

  @Description(
      "Use gateway (HTTPS) mode instead of direct mode; needed by local stand-ins and "
          + "behind firewalls that only let 443 through.")
  @Default.Boolean(false)
  Boolean getCosmosGatewayMode();

  void setCosmosGatewayMode(Boolean value);

  @Description("Let the SDK discover the account's regional endpoints; off for a local stand-in.")
  @Default.Boolean(true)
  Boolean getCosmosEndpointDiscovery();

  void setCosmosEndpointDiscovery(Boolean value);

  @Description(
      "Never let an older pane (or alert state) replace a newer one: read, compare, "
          + "write with if-match. A backfill's aggregates rank above every streaming pane of their "
          + "window (never above a newer window); off: plain upserts, last writer wins.")
  @Default.Boolean(true)
  Boolean getCosmosPaneOrderGuard();

  void setCosmosPaneOrderGuard(Boolean value);

  @Description(
      "Attempts per item beyond the SDK's own throttling retries, before the record "
          + "goes to the sink's dead letters.")
  @Default.Integer(6)
  Integer getCosmosMaxAttempts();

  void setCosmosMaxAttempts(Integer value);
}
