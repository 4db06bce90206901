package org.iotbeam.pipelines.azure.blob;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.iotbeam.pipelines.batch.BackfillPipeline;
import org.iotbeam.pipelines.batch.BackfillTestSupport;
import org.iotbeam.pipelines.batch.Summary;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.WindowAggregate;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The backfill over {@code azfs://} (Beam's Azure file system) against Azurite: the archive is
 * uploaded with the blob SDK, read through azfs, and the results written back through azfs.
 */
public class AzureBackfillTest {
  private static LocalAzurite azurite;

  @BeforeClass
  public static void startAzurite() throws Exception {
    azurite = LocalAzurite.start().createContainers("raw", "processed");
    BlobContainerClient raw = azurite.client().getBlobContainerClient("raw");
    for (Map.Entry<String, byte[]> f : BackfillTestSupport.standardArchive(90).entrySet()) {
      raw.getBlobClient("telemetry/" + f.getKey()).upload(BinaryData.fromBytes(f.getValue()));
    }
  }

  @AfterClass
  public static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  private static BackfillPipeline.Options options(String archive, String from, String to) {
    // only the connection string: the backfill picks BlobClientFactory for azfs:// itself
    List<String> args =
        new ArrayList<>(List.of("--azureConnectionString=" + azurite.connectionString()));
    args.addAll(
        List.of(
            "--runner=DirectRunner",
            "--archiveBase=" + archive,
            "--outputBase=azfs://devstoreaccount1/processed/backfill",
            "--from=" + from,
            "--to=" + to));
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .as(BackfillPipeline.Options.class);
  }

  @Test
  public void backfillsFromAzfsToAzfs() throws Exception {
    Summary s =
        BackfillPipeline.run(
            options(
                "azfs://devstoreaccount1/raw/telemetry",
                "2026-11-20T10:00:00Z",
                "2026-11-20T11:00:00Z"));
    // ingest hours 08 .. 11 are listed (warm-up and skew before, delay and lateness after):
    // the files of 10 and 11; the readings of 11:xx are read and left out
    assertEquals(2, s.files());
    assertEquals(30 * 3 + 1, s.messagesOutside());
    assertEquals(180, s.valid());
    String out = "azfs://devstoreaccount1/processed/backfill";
    List<WindowAggregate> aggs =
        BackfillTestSupport.readOutputs(out, "aggregates", WindowAggregate::newBuilder);
    assertEquals(72, aggs.size());
    assertTrue(aggs.stream().allMatch(a -> a.getCount() == 5 && a.getFinalPane()));
    List<Alert> alerts = BackfillTestSupport.readOutputs(out, "alerts", Alert::newBuilder);
    assertTrue(
        alerts.stream()
            .anyMatch(
                a ->
                    a.getDeviceId().equals("hot-01")
                        && a.getRuleId().equals("temperature-critical-high")));
    assertEquals(
        2,
        BackfillTestSupport.<DeadLetter>readOutputs(out, "dead-letters", DeadLetter::newBuilder)
            .size());
    // the files are real blobs in the container, under the streaming layout
    assertTrue(
        azurite.client().getBlobContainerClient("processed").listBlobs().stream()
            .anyMatch(
                b ->
                    b.getName()
                        .startsWith(
                            "backfill/aggregates/dt=2026-11-20/hour=10/aggregates-backfill-20261120T1000Z-"
                                + "20261120T1100Z-s00-of-02.jsonl.gz")));
  }

  @Test
  public void missingContainerFailsFastNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BackfillPipeline.run(
                    options(
                        "azfs://devstoreaccount1/no-such-archive/telemetry",
                        "2026-11-20T10:00:00Z",
                        "2026-11-20T11:00:00Z")));
    assertThat(
        e.getMessage(),
        containsString("container 'no-such-archive' does not exist in account 'devstoreaccount1'"));
  }

  @Test
  public void emptyRangeFailsFastNamingTheHoursChecked() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BackfillPipeline.run(
                    options(
                        "azfs://devstoreaccount1/raw/telemetry",
                        "2026-11-19T10:00:00Z",
                        "2026-11-19T12:00:00Z")));
    assertThat(
        e.getMessage(),
        containsString(
            "no raw archive files under "
                + "azfs://devstoreaccount1/raw/telemetry for [2026-11-19T10:00:00Z, 2026-11-19T12:00:00Z)"
                + " (ingest hours [2026-11-19T08:00:00Z, 2026-11-19T13:00:00Z)): checked "
                + "azfs://devstoreaccount1/raw/telemetry/dt=2026-11-19/hour=08/*.pb.gz"));
  }
}
