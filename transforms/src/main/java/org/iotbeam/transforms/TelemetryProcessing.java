package org.iotbeam.transforms;

import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.transforms.PTransform;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.Reading;

/**
 * The one composite both pipelines apply: parse and validate, enrich, de-duplicate, then
 * windowed statistics and alert detection side by side. Sources and sinks are the pipelines'
 * business; this transform does no I/O, which is what lets the same code serve a Kafka stream on
 * Flink, a backfill over archived blobs and a TestStream in a unit test.
 */
public class TelemetryProcessing extends PTransform<PCollection<InboundMessage>, TelemetryResults> {
  private final ProcessingConfig config;

  public TelemetryProcessing(ProcessingConfig config) {
    this.config = config;
  }

  @Override
  public TelemetryResults expand(PCollection<InboundMessage> messages) {
    PCollectionTuple parsed = messages.apply("Parse", new ParseTelemetry(config.limits()));
    PCollection<Reading> readings = parsed.get(ParseTelemetry.VALID)
        .apply("Enrich", new EnrichReadings(config.registry()))
        .apply("Deduplicate", new DeduplicateReadings(config.dedupHorizon()));
    return new TelemetryResults(
        messages.getPipeline(),
        readings,
        readings.apply("WindowedStatistics", new WindowedStatistics(
            config.windowSize(), config.allowedLateness(), config.earlyFiringDelay(),
            config.lateFiringDelay())),
        readings.apply("DetectAlerts",
            new DetectAlerts(config.rules(), config.outOfOrderPolicy())),
        parsed.get(ParseTelemetry.DEAD_LETTERS));
  }
}
