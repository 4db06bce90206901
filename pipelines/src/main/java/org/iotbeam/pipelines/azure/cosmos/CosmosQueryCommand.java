package org.iotbeam.pipelines.azure.cosmos;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.iotbeam.cli.Flags;
import org.iotbeam.domain.Metric;

/**
 * Prints what the hot store knows of one device: the latest statistics per metric and the active
 * alerts, optionally the last N windows per metric.
 *
 * <p>It uses only point reads (the "latest" item of each metric, sent as one bulk read) and reads
 * of the device's logical partition ({@code readAllItems(new PartitionKey(deviceId))}): no SQL
 * query, so no query plan, which both keeps the cost per call small and fixed and works against the
 * local stand-in (which has no query-plan endpoint).
 *
 * <pre>
 * iotbeam query --endpoint=https://ACCOUNT.documents.azure.com:443/ --device=sensor-0001 \
 *     [--history=3] [--database=telemetry] [--gateway] [--noEndpointDiscovery]
 * </pre>
 *
 * Auth as the sink: env COSMOS_KEY, else DefaultAzureCredential. Exit status 0 on success, 2 on bad
 * arguments, 1 when Cosmos DB fails.
 */
public final class CosmosQueryCommand {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** What to show. */
  public record Request(String deviceId, int history) {}

  private CosmosQueryCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The flags of {@code iotbeam query}, in the one flag style of every command. */
  public interface QueryOptions extends PipelineOptions {
    @Description("the account: https://ACCOUNT.documents.azure.com:443/")
    @Validation.Required
    String getEndpoint();

    void setEndpoint(String v);

    @Description("the device")
    @Validation.Required
    String getDevice();

    void setDevice(String v);

    @Description("also the last N windows per metric")
    @Default.Integer(0)
    int getHistory();

    void setHistory(int v);

    @Description("the database of the aggregates and alerts containers")
    @Default.String(CosmosConnection.DEFAULT_DATABASE)
    String getDatabase();

    void setDatabase(String v);

    @Description("gateway (HTTPS) mode: local stand-ins, firewalls open on 443 only")
    boolean isGateway();

    void setGateway(boolean v);

    @Description("no regional endpoint discovery (a local stand-in)")
    boolean isNoEndpointDiscovery();

    void setNoEndpointDiscovery(boolean v);
  }

  static final String ABOUT =
      String.join(
          "\n",
          "The latest statistics per metric and the active alerts of one device in Cosmos DB.",
          "Auth: env COSMOS_KEY, else DefaultAzureCredential. Exit code 0, 1 when Cosmos DB fails, "
              + "2 for bad flags.");

  static void check(QueryOptions o, List<String> problems) {
    if (o.getHistory() < 0) {
      problems.add("--history must be >= 0, got " + o.getHistory());
    }
    if (o.getEndpoint() != null && !o.getEndpoint().matches("^https?://.+")) {
      problems.add(
          "--endpoint '"
              + o.getEndpoint()
              + "' must be a URL like "
              + "https://ACCOUNT.documents.azure.com:443/");
    }
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    return Flags.run(
        "iotbeam query",
        ABOUT,
        QueryOptions.class,
        CosmosQueryCommand::check,
        args,
        out,
        err,
        o ->
            run(
                CosmosConnection.of(o.getEndpoint())
                    .withDatabase(o.getDatabase())
                    .withGatewayMode(o.isGateway())
                    .withEndpointDiscovery(!o.isNoEndpointDiscovery()),
                new Request(o.getDevice(), o.getHistory()),
                out,
                err));
  }

  public static int run(
      CosmosConnection connection, Request request, PrintStream out, PrintStream err) {
    try (CosmosAsyncClient client = connection.createAsyncClient()) {
      print(client, connection.database(), request, out);
      return 0;
    } catch (CosmosException e) {
      err.println("error: Cosmos DB answered " + e.getStatusCode() + ": " + e.getShortMessage());
      return 1;
    } catch (RuntimeException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  static void print(CosmosAsyncClient client, String database, Request request, PrintStream out) {
    String device = request.deviceId();
    CosmosAsyncContainer aggregates =
        client.getDatabase(database).getContainer(CosmosDocuments.AGGREGATES_CONTAINER);
    CosmosAsyncContainer alerts =
        client.getDatabase(database).getContainer(CosmosDocuments.ALERTS_CONTAINER);

    out.println("device " + device);
    out.println("latest aggregates:");
    // the point reads of the "latest" items, one per metric, sent together as one bulk read
    List<VersionedDocument.DocKey> keys = new ArrayList<>();
    for (Metric m : Metric.values()) {
      keys.add(
          new VersionedDocument.DocKey(
              CosmosIds.itemId(CosmosDocuments.latestId(device, m.id())), device));
    }
    int found = 0;
    for (BulkStore.ItemResult r : new CosmosBulkStore(aggregates, TIMEOUT).read(keys)) {
      if (r.ok()) {
        found++;
        out.println("  " + describeAggregate(r.item()));
      } else if (r.statusCode() != 404) {
        throw new IllegalStateException(
            "reading the latest aggregates failed: status " + r.statusCode() + " " + r.error());
      }
    }
    if (found == 0) {
      out.println("  (none)");
    }

    if (request.history() > 0) {
      Map<String, List<ObjectNode>> byMetric = new TreeMap<>();
      for (ObjectNode item : readPartition(aggregates, device)) {
        if (CosmosDocuments.TYPE_WINDOW.equals(text(item, CosmosDocuments.TYPE))) {
          byMetric.computeIfAbsent(text(item, "metric"), k -> new ArrayList<>()).add(item);
        }
      }
      out.println("last " + request.history() + " windows per metric:");
      for (Map.Entry<String, List<ObjectNode>> e : byMetric.entrySet()) {
        e.getValue().stream()
            .sorted(
                Comparator.comparingLong((ObjectNode n) -> n.path("windowStartMs").asLong())
                    .reversed())
            .limit(request.history())
            .forEach(n -> out.println("  " + describeAggregate(n)));
      }
    }

    List<ObjectNode> active = new ArrayList<>();
    for (ObjectNode item : readPartition(alerts, device)) {
      if (CosmosDocuments.TYPE_ALERT.equals(text(item, CosmosDocuments.TYPE))
          && "RAISED".equals(text(item, "state"))) {
        active.add(item);
      }
    }
    active.sort(
        Comparator.comparingInt((ObjectNode n) -> n.path("priority").asInt())
            .thenComparing(n -> -n.path("raisedAtMs").asLong()));
    out.println("active alerts: " + active.size());
    for (ObjectNode a : active) {
      out.println("  " + describeAlert(a));
    }
  }

  static String describeAggregate(JsonNode n) {
    return String.format(
        Locale.ROOT,
        "%-15s %s..%s count=%d min=%.3f max=%.3f mean=%.3f stddev=%.3f pane=%d %s%s",
        text(n, "metric"),
        Instant.ofEpochMilli(n.path("windowStartMs").asLong()),
        Instant.ofEpochMilli(n.path("windowEndMs").asLong()),
        n.path("count").asLong(),
        n.path("min").asDouble(),
        n.path("max").asDouble(),
        n.path("mean").asDouble(),
        n.path("stddev").asDouble(),
        n.path("paneIndex").asLong(),
        text(n, "paneTiming"),
        n.path("finalPane").asBoolean() ? " final" : "");
  }

  static String describeAlert(JsonNode n) {
    return String.format(
            Locale.ROOT,
            "[%s p%d] %s %s/%s raised %s value=%.3f threshold=%.3f id=%s %s",
            text(n, "severity"),
            n.path("priority").asInt(),
            text(n, "kind"),
            text(n, "ruleId"),
            text(n, "metric"),
            Instant.ofEpochMilli(n.path("raisedAtMs").asLong()),
            n.path("value").asDouble(),
            n.path("threshold").asDouble(),
            text(n, CosmosDocuments.RECORD_ID),
            text(n, "message"))
        .trim();
  }

  private static List<ObjectNode> readPartition(CosmosAsyncContainer container, String device) {
    List<ObjectNode> items =
        container
            .readAllItems(new PartitionKey(device), ObjectNode.class)
            .collectList()
            .block(TIMEOUT);
    return items == null ? List.of() : items;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }
}
