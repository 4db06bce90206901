package org.iotbeam.pipelines.azure;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosException;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.iotbeam.pipelines.azure.cosmos.CosmosConnection;
import org.iotbeam.pipelines.azure.servicebus.ServiceBusConnection;

/**
 * Checks, before the streaming job starts, that the configured Azure sinks take their credentials:
 * Cosmos DB reads its database, Service Bus opens a sender link to the queue (which authenticates
 * it). Each problem names the credential and what to check. Without these a wrong key shows only as
 * sink failures (dead letters) once data flows.
 *
 * <p>Not exercised by a test here: cosmosdb-server accepts any key, and Service Bus has no local
 * stand-in; {@code ServiceBusLiveTest} runs against a real namespace when one is configured.
 */
public final class AzureSinkChecks {
  private AzureSinkChecks() {}

  /** Every problem found within {@code timeout} per sink; empty when none is configured. */
  public static List<String> problems(AzureSinkOptions options, Duration timeout) {
    List<String> p = new ArrayList<>();
    String endpoint = options.getCosmosEndpoint();
    if (endpoint != null && !endpoint.isBlank()) {
      checkCosmos(AzureSinkOptions.connection(options), timeout, p);
    }
    if (ServiceBusConnection.isConfigured(options.getServiceBusNamespace())) {
      checkServiceBus(ServiceBusConnection.fromOptions(options), timeout, p);
    }
    return p;
  }

  private static void checkCosmos(CosmosConnection c, Duration timeout, List<String> p) {
    String credential =
        "the key in environment variable "
            + c.keyEnvVar()
            + " (without it, the Entra identity of DefaultAzureCredential)";
    try (CosmosAsyncClient client = c.createAsyncClient()) {
      client.getDatabase(c.database()).read().block(timeout);
    } catch (CosmosException e) {
      if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
        p.add(
            "Cosmos DB "
                + c.endpoint()
                + " refused "
                + credential
                + " (HTTP "
                + e.getStatusCode()
                + "): check that it is this account's key and was not "
                + "regenerated, or that the identity has the Cosmos DB Built-in Data Contributor role");
      } else if (e.getStatusCode() == 404) {
        p.add(
            "Cosmos DB "
                + c.endpoint()
                + " has no database '"
                + c.database()
                + "': create it (terraform/modules/cosmos) or fix --cosmosDatabase");
      } else {
        p.add(
            "Cosmos DB "
                + c.endpoint()
                + " answered HTTP "
                + e.getStatusCode()
                + ": "
                + e.getShortMessage());
      }
    } catch (RuntimeException e) {
      p.add(
          "cannot reach Cosmos DB "
              + c.endpoint()
              + " within "
              + timeout.toSeconds()
              + " s: "
              + e.getMessage());
    }
  }

  private static void checkServiceBus(ServiceBusConnection c, Duration timeout, List<String> p) {
    CompletableFuture<Void> check =
        CompletableFuture.runAsync(
            () -> {
              try (ServiceBusSenderClient sender = c.createSender()) {
                sender.createMessageBatch(); // opens and authenticates the link
              }
            });
    try {
      check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      String why = String.valueOf(e.getCause());
      boolean refused =
          why.contains("Unauthorized")
              || why.contains("unauthorized")
              || why.contains("401")
              || why.contains("InvalidSignature");
      p.add(
          "Service Bus queue "
              + c.queue()
              + " of "
              + c
              + (refused ? " refused " : ": ")
              + (refused
                  ? "the connection string in environment variable "
                      + ServiceBusConnection.CONNECTION_STRING_ENV
                      + " (or the Entra identity): check that "
                      + "it belongs to this namespace, was not rotated, and has the Send claim (or the "
                      + "Azure Service Bus Data Sender role)"
                  : why));
    } catch (TimeoutException e) {
      check.cancel(true);
      p.add(
          "no answer from Service Bus ("
              + c
              + ") within "
              + timeout.toSeconds()
              + " s: check "
              + "the namespace and that outbound AMQP (5671) is open");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.add("interrupted while checking Service Bus");
    }
  }
}
