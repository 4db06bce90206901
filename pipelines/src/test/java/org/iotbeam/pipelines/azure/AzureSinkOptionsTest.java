package org.iotbeam.pipelines.azure;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assume.assumeTrue;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.iotbeam.pipelines.azure.cosmos.CosmosConnection;
import org.iotbeam.pipelines.azure.servicebus.ServiceBusConnection;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.ProcessingConfig;
import org.iotbeam.transforms.TelemetryProcessing;
import org.iotbeam.transforms.TelemetryResults;
import org.junit.Test;

/** The wiring helper: nothing without flags, the sinks with them (graph construction only). */
public class AzureSinkOptionsTest {

  private static TelemetryResults results(Pipeline p) {
    return p.apply(Create.empty(Coders.INBOUND))
        .apply(new TelemetryProcessing(ProcessingConfig.defaults()));
  }

  @Test
  public void withoutFlagsNothingIsApplied() {
    assumeTrue("SERVICEBUS_CONNECTION_STRING is set here", !ServiceBusConnection.isConfigured(""));
    AzureSinkOptions options = PipelineOptionsFactory.fromArgs().as(AzureSinkOptions.class);
    Pipeline p = Pipeline.create(options);
    assertThat(AzureSinkOptions.applyTo(results(p), options), empty());
  }

  @Test
  public void flagsApplyTheSinks() {
    AzureSinkOptions options =
        PipelineOptionsFactory.fromArgs(
                "--cosmosEndpoint=https://acct.documents.azure.com:443/",
                    "--cosmosGatewayMode=true",
                "--serviceBusNamespace=sb-iotbeam", "--serviceBusQueue=alerts-test")
            .as(AzureSinkOptions.class);
    Pipeline p = Pipeline.create(options);
    assertThat(AzureSinkOptions.applyTo(results(p), options), hasSize(3));
    CosmosConnection c = AzureSinkOptions.connection(options);
    assertEquals("telemetry", c.database());
    assertFalse(c.toString().contains("explicit key"));
    assertEquals(
        "sb-iotbeam.servicebus.windows.net", ServiceBusConnection.fullyQualified("sb-iotbeam"));
  }
}
