package org.iotbeam.pipelines.azure.cosmos;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.pipelines.azure.cosmos.VersionedDocument.DocKey;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertKind;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.PaneTiming;
import org.iotbeam.proto.Severity;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.TelemetryMetrics;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;

/**
 * The Cosmos DB sinks and the query command against the real stand-in
 * ({@code @vercel/cosmosdb-server} over TLS, started by {@link LocalCosmosDb}).
 */
public class CosmosSinkTest {
  private static final String DB = "telemetry";
  private static final long W0 = 1_700_000_100_000L - (1_700_000_100_000L % 300_000L);
  private static final long W1 = W0 + 300_000L;

  private static LocalCosmosDb cosmos;
  private static CosmosAsyncClient client;

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @BeforeClass
  public static void startCosmos() throws Exception {
    cosmos =
        LocalCosmosDb.start(
            DB, CosmosDocuments.AGGREGATES_CONTAINER, CosmosDocuments.ALERTS_CONTAINER);
    client = cosmos.connection().createAsyncClient();
  }

  @AfterClass
  public static void stopCosmos() throws Exception {
    if (client != null) {
      client.close();
    }
    if (cosmos != null) {
      cosmos.close();
    }
  }

  static WindowAggregate aggregate(
      String device, String metric, long windowStart, int pane, long count, double mean) {
    return WindowAggregate.newBuilder()
        .setId(device + "|" + metric + "|" + windowStart)
        .setDeviceId(device)
        .setMetric(metric)
        .setDeviceType("thermostat")
        .setSite("plant-7")
        .setWindowStartMs(windowStart)
        .setWindowEndMs(windowStart + 300_000)
        .setCount(count)
        .setMin(mean - 1)
        .setMax(mean + 1)
        .setMean(mean)
        .setStddev(0.5)
        .setFirstTimestampMs(windowStart + 1)
        .setLastTimestampMs(windowStart + 2)
        .setPaneIndex(pane)
        .setPaneTiming(pane == 0 ? PaneTiming.ON_TIME : PaneTiming.LATE)
        .build();
  }

  static Alert alert(String device, String rule, long raisedAt, AlertState state, long eventTime) {
    return Alert.newBuilder()
        .setId(device + "|" + rule + "|" + raisedAt)
        .setDeviceId(device)
        .setRuleId(rule)
        .setKind(AlertKind.THRESHOLD)
        .setMetric("temperature")
        .setSeverity(Severity.CRITICAL)
        .setPriority(1)
        .setState(state)
        .setRaisedAtMs(raisedAt)
        .setClearedAtMs(state == AlertState.CLEARED ? eventTime : 0)
        .setEventTimeMs(eventTime)
        .setValue(91.5)
        .setThreshold(80)
        .setMessage("temperature above 80")
        .setTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .build();
  }

  private static ObjectNode read(String container, String recordId, String device) {
    CosmosAsyncContainer c = client.getDatabase(DB).getContainer(container);
    try {
      return c.readItem(CosmosIds.itemId(recordId), new PartitionKey(device), ObjectNode.class)
          .block(Duration.ofSeconds(30))
          .getItem();
    } catch (CosmosException e) {
      if (e.getStatusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  @Test
  public void sinksWriteTheFinalStateAndTheQueryCommandShowsIt() {
    String dev = "dev-1";
    String odd = "bay/7#b"; // characters Cosmos ids may not hold
    PCollection<WindowAggregate> aggregates =
        pipeline.apply(
            "Aggregates",
            Create.of(
                    aggregate(dev, "temperature", W0, 0, 2, 20.0),
                    aggregate(dev, "temperature", W0, 1, 3, 21.0), // late pane: replaces pane 0
                    aggregate(dev, "temperature", W1, 0, 4, 22.0), // newer window: the "latest"
                    aggregate(dev, "humidity", W0, 0, 5, 40.0),
                    aggregate(odd, "pressure", W0, 0, 6, 1013.0))
                .withCoder(Coders.AGGREGATE));
    PCollection<Alert> alerts =
        pipeline.apply(
            "Alerts",
            Create.of(
                    alert(dev, "temp-high", W0 + 10, AlertState.RAISED, W0 + 10),
                    alert(dev, "temp-high", W0 + 10, AlertState.CLEARED, W0 + 99),
                    alert(dev, "temp-critical", W1 + 5, AlertState.RAISED, W1 + 5),
                    alert(odd, "pressure-low", W0 + 7, AlertState.RAISED, W0 + 7))
                .withCoder(Coders.ALERT));

    CosmosConnection connection = cosmos.connection();
    PCollection<DeadLetter> aggregateFailures =
        aggregates.apply("CosmosAggregates", CosmosUpsert.aggregates(connection));
    PCollection<DeadLetter> alertFailures =
        alerts.apply("CosmosAlerts", CosmosUpsert.alerts(connection));
    PAssert.that(aggregateFailures).empty();
    PAssert.that(alertFailures).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(0, counter(result, "cosmos_aggregates_failed"));
    assertEquals(0, counter(result, "cosmos_alerts_failed"));

    ObjectNode w0 = read("aggregates", dev + "|temperature|" + W0, dev);
    assertEquals(3, w0.get("count").asLong());
    assertEquals(1, w0.get("paneIndex").asLong());
    assertEquals("LATE", w0.get("paneTiming").asText());
    assertEquals(dev, w0.get("deviceId").asText());
    ObjectNode latestTemp = read("aggregates", CosmosDocuments.latestId(dev, "temperature"), dev);
    assertEquals(W1, latestTemp.get("windowStartMs").asLong());
    assertEquals(22.0, latestTemp.get("mean").asDouble(), 1e-9);
    assertEquals(
        5,
        read("aggregates", CosmosDocuments.latestId(dev, "humidity"), dev).get("count").asLong());
    ObjectNode oddDoc = read("aggregates", odd + "|pressure|" + W0, odd);
    assertEquals(odd + "|pressure|" + W0, oddDoc.get("recordId").asText());
    assertEquals("bay~2F7~23b|pressure|" + W0, oddDoc.get("id").asText());

    ObjectNode cleared = read("alerts", dev + "|temp-high|" + (W0 + 10), dev);
    assertEquals("CLEARED", cleared.get("state").asText());
    assertFalse(cleared.get("active").asBoolean());
    assertEquals(W0 + 99, cleared.get("clearedAtMs").asLong());
    assertNull(cleared.get("ttl")); // a cleared alert expires with the container's default
    ObjectNode raised = read("alerts", dev + "|temp-critical|" + (W1 + 5), dev);
    assertEquals("RAISED", raised.get("state").asText());
    assertEquals(-1, raised.get("ttl").asInt());

    // the query command: point reads and a read of the device's partition
    String out = query(dev, 2);
    assertThat(out, containsString("device dev-1"));
    assertThat(out, containsString("temperature"));
    assertThat(out, containsString("count=4 min=21.000 max=23.000 mean=22.000"));
    assertThat(out, containsString("humidity"));
    assertThat(out, containsString("last 2 windows per metric:"));
    assertThat(
        out,
        containsString("count=3 min=20.000 max=22.000 mean=21.000 stddev=0.500 " + "pane=1 LATE"));
    assertThat(out, containsString("active alerts: 1"));
    assertThat(out, containsString("[CRITICAL p1] THRESHOLD temp-critical/temperature"));
    assertThat(out, not(containsString("temp-high|")));

    String oddOut = query(odd, 0);
    assertThat(oddOut, containsString("count=6"));
    assertThat(oddOut, containsString("active alerts: 1"));
    assertThat(query("nobody", 0), containsString("latest aggregates:\n  (none)"));
  }

  @Test
  public void anOlderPaneArrivingLaterDoesNotReplaceANewerOne() throws Exception {
    // straight through the real bulk store: pane 2 first, then pane 1 of the same window
    String dev = "dev-order";
    CosmosAsyncContainer container =
        client.getDatabase(DB).getContainer(CosmosDocuments.AGGREGATES_CONTAINER);
    ConditionalBulkWriter writer =
        new ConditionalBulkWriter(
            new CosmosBulkStore(container, Duration.ofSeconds(60)),
            RetryPolicy.defaults(),
            Sleeper.REAL,
            true);

    ConditionalBulkWriter.Summary first =
        writer.write(
            CosmosDocuments.aggregateDocuments(aggregate(dev, "temperature", W0, 2, 9, 30.0)));
    assertEquals(2, first.written());
    ConditionalBulkWriter.Summary second =
        writer.write(
            CosmosDocuments.aggregateDocuments(aggregate(dev, "temperature", W0, 1, 7, 29.0)));
    assertEquals(0, second.written());
    assertEquals(2, second.stale());
    ConditionalBulkWriter.Summary third =
        writer.write(
            CosmosDocuments.aggregateDocuments(aggregate(dev, "temperature", W0, 3, 10, 31.0)));
    assertEquals(2, third.written());
    assertTrue(third.failures().isEmpty());

    ObjectNode stored = read("aggregates", dev + "|temperature|" + W0, dev);
    assertEquals(10, stored.get("count").asLong());
    assertEquals(3, stored.get("paneIndex").asLong());

    // a replace with a stale etag is refused by the server (412): the guard really is atomic
    CosmosBulkStore store = new CosmosBulkStore(container, Duration.ofSeconds(60));
    VersionedDocument doc =
        CosmosDocuments.aggregateDocuments(aggregate(dev, "temperature", W0, 4, 11, 32.0)).get(0);
    List<BulkStore.ItemResult> results =
        store.write(
            List.of(
                new BulkStore.WriteOp(
                    BulkStore.WriteKind.REPLACE_IF_MATCH, doc, "\"not-the-etag\"")));
    assertEquals(412, results.get(0).statusCode());
    assertEquals(404, store.read(List.of(new DocKey("no-such-item", dev))).get(0).statusCode());
  }

  @Test
  public void aBackfilledWindowReplacesStreamingsPanesButNotANewerLatest() throws Exception {
    String dev = "dev-reprocessed";
    CosmosAsyncContainer container =
        client.getDatabase(DB).getContainer(CosmosDocuments.AGGREGATES_CONTAINER);
    ConditionalBulkWriter writer =
        new ConditionalBulkWriter(
            new CosmosBulkStore(container, Duration.ofSeconds(60)),
            RetryPolicy.defaults(),
            Sleeper.REAL,
            true);
    // streaming: W0 up to its late pane 2, then W1 (the latest)
    writer.write(CosmosDocuments.aggregateDocuments(aggregate(dev, "temperature", W0, 2, 7, 30.0)));
    writer.write(CosmosDocuments.aggregateDocuments(aggregate(dev, "temperature", W1, 0, 5, 31.0)));

    // a backfill recomputes W0 (its only pane is 0) with the messages streaming had rejected
    ConditionalBulkWriter.Summary backfill =
        writer.write(
            CosmosDocuments.reprocessedAggregateDocuments(
                aggregate(dev, "temperature", W0, 0, 9, 29.5)));
    assertEquals(1, backfill.written()); // the window item
    assertEquals(1, backfill.stale()); // not the latest item: W1 is newer
    ObjectNode w0 = read("aggregates", dev + "|temperature|" + W0, dev);
    assertEquals(9, w0.get("count").asLong());
    assertEquals(
        W1,
        read("aggregates", CosmosDocuments.latestId(dev, "temperature"), dev)
            .get("windowStartMs")
            .asLong());
    // a rerun of the backfill replaces its own result; a late streaming pane does not
    assertEquals(
        1,
        writer
            .write(
                CosmosDocuments.reprocessedAggregateDocuments(
                    aggregate(dev, "temperature", W0, 0, 10, 29.0)))
            .written());
    assertEquals(
        0,
        writer
            .write(
                CosmosDocuments.aggregateDocuments(aggregate(dev, "temperature", W0, 3, 8, 28.0)))
            .written());
    assertEquals(10, read("aggregates", dev + "|temperature|" + W0, dev).get("count").asLong());
  }

  @Test
  public void queryCommandRefusesBadArguments() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        CosmosQueryCommand.run(
            new String[] {"--history", "-1", "--no-endpoint-discovery"},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err));
    assertEquals(2, status);
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text, containsString("4 problems with the flags:"));
    assertThat(text, containsString("--endpoint is required"));
    assertThat(text, containsString("--device is required"));
    assertThat(text, containsString("--history must be >= 0, got -1"));
    assertThat(
        text,
        containsString(
            "unknown flag --no-endpoint-discovery (did you mean --noEndpointDiscovery?)"));
  }

  private static String query(String device, int history) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        CosmosQueryCommand.run(
            cosmos.connection(),
            new CosmosQueryCommand.Request(device, history),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(err.toString(StandardCharsets.UTF_8), 0, status);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(TelemetryMetrics.NAMESPACE, name))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
