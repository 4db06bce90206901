package org.iotbeam.pipelines.azure.cosmos;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.ThrottlingRetryOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the hot store is and how to authenticate; serializable so a DoFn can carry it and build its
 * client in {@code @Setup}.
 *
 * <p>Authentication: the account key is read from the environment variable {@link #keyEnvVar()}
 * (default {@value #DEFAULT_KEY_ENV}) <em>on the worker</em>, so the key never travels inside the
 * serialized pipeline. When the variable is unset or empty the client authenticates with {@code
 * DefaultAzureCredential} (managed identity on AKS, workload identity, Azure CLI on a developer
 * machine), which is what production uses: the Terraform account has local (key) authentication
 * disabled. {@link #withKey(String)} exists for local stand-ins whose key is a public constant
 * (tests); it is serialized with the pipeline, so never pass a real key there.
 *
 * <p>Throttling: the SDK's own {@link ThrottlingRetryOptions} retry every 429 after the server's
 * retry-after, up to {@link #throttleRetries()} times and {@link #throttleMaxWait()} in total; what
 * still fails is retried by {@link ConditionalBulkWriter} under a {@link RetryPolicy}.
 */
public final class CosmosConnection implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String DEFAULT_KEY_ENV = "COSMOS_KEY";
  public static final String DEFAULT_DATABASE = "telemetry";

  private final String endpoint;
  private final String database;
  private final String keyEnvVar;
  private final String key; // only for stand-ins with a public key; null normally
  private final boolean gatewayMode;
  private final boolean endpointDiscovery;
  private final int throttleRetries;
  private final Duration throttleMaxWait;

  private CosmosConnection(
      String endpoint,
      String database,
      String keyEnvVar,
      String key,
      boolean gatewayMode,
      boolean endpointDiscovery,
      int throttleRetries,
      Duration throttleMaxWait) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.database = Objects.requireNonNull(database, "database");
    this.keyEnvVar = keyEnvVar;
    this.key = key;
    this.gatewayMode = gatewayMode;
    this.endpointDiscovery = endpointDiscovery;
    this.throttleRetries = throttleRetries;
    this.throttleMaxWait = throttleMaxWait;
  }

  /** Direct mode, endpoint discovery on, key from {@value #DEFAULT_KEY_ENV} or Entra ID. */
  public static CosmosConnection of(String endpoint) {
    return new CosmosConnection(
        endpoint, DEFAULT_DATABASE, DEFAULT_KEY_ENV, null, false, true, 9, Duration.ofSeconds(30));
  }

  public CosmosConnection withDatabase(String value) {
    return new CosmosConnection(
        endpoint,
        value,
        keyEnvVar,
        key,
        gatewayMode,
        endpointDiscovery,
        throttleRetries,
        throttleMaxWait);
  }

  public CosmosConnection withKeyEnvVar(String value) {
    return new CosmosConnection(
        endpoint,
        database,
        value,
        key,
        gatewayMode,
        endpointDiscovery,
        throttleRetries,
        throttleMaxWait);
  }

  /** A key carried in the pipeline itself: for local stand-ins only (see the class comment). */
  public CosmosConnection withKey(String value) {
    return new CosmosConnection(
        endpoint,
        database,
        keyEnvVar,
        value,
        gatewayMode,
        endpointDiscovery,
        throttleRetries,
        throttleMaxWait);
  }

  /** Gateway (HTTPS) mode instead of direct (TCP); the local stand-in needs it. */
  public CosmosConnection withGatewayMode(boolean value) {
    return new CosmosConnection(
        endpoint,
        database,
        keyEnvVar,
        key,
        value,
        endpointDiscovery,
        throttleRetries,
        throttleMaxWait);
  }

  /** Off for the local stand-in, which advertises no regional endpoints of its own. */
  public CosmosConnection withEndpointDiscovery(boolean value) {
    return new CosmosConnection(
        endpoint, database, keyEnvVar, key, gatewayMode, value, throttleRetries, throttleMaxWait);
  }

  public CosmosConnection withThrottling(int retries, Duration maxWait) {
    return new CosmosConnection(
        endpoint, database, keyEnvVar, key, gatewayMode, endpointDiscovery, retries, maxWait);
  }

  public String endpoint() {
    return endpoint;
  }

  public String database() {
    return database;
  }

  public String keyEnvVar() {
    return keyEnvVar;
  }

  public int throttleRetries() {
    return throttleRetries;
  }

  public Duration throttleMaxWait() {
    return throttleMaxWait;
  }

  /** The key to use, or null for Entra ID ({@code DefaultAzureCredential}). */
  String resolveKey() {
    if (key != null && !key.isBlank()) {
      return key;
    }
    String fromEnv = keyEnvVar == null ? null : System.getenv(keyEnvVar);
    return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
  }

  /** A new client; the caller closes it. */
  public CosmosAsyncClient createAsyncClient() {
    CosmosClientBuilder builder =
        new CosmosClientBuilder()
            .endpoint(endpoint)
            .endpointDiscoveryEnabled(endpointDiscovery)
            .contentResponseOnWriteEnabled(false)
            .throttlingRetryOptions(
                new ThrottlingRetryOptions()
                    .setMaxRetryAttemptsOnThrottledRequests(throttleRetries)
                    .setMaxRetryWaitTime(throttleMaxWait));
    String resolved = resolveKey();
    if (resolved != null) {
      builder.key(resolved);
    } else {
      builder.credential(new DefaultAzureCredentialBuilder().build());
    }
    if (gatewayMode) {
      builder.gatewayMode();
    } else {
      builder.directMode();
    }
    return builder.buildAsyncClient();
  }

  @Override
  public String toString() {
    return "CosmosConnection{"
        + endpoint
        + ", db="
        + database
        + ", auth="
        + (key != null ? "explicit key" : "env " + keyEnvVar + " or DefaultAzureCredential")
        + (gatewayMode ? ", gateway" : ", direct")
        + "}";
  }
}
