package org.iotbeam.transforms;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.Reading;

/**
 * The one composite both pipelines apply: parse and validate, enrich, then each device's timeline
 * (copies dropped, alerts evaluated in arrival order) and the windowed statistics of its first
 * copies. Two keyed exchanges a reading: by device into the timeline, by device into the windows.
 * Sources and sinks are the pipelines' business; this transform does no I/O, which is what lets the
 * same code serve a Kafka stream on Flink, a backfill over archived blobs and a TestStream in a
 * unit test.
 */
public class TelemetryProcessing extends PTransform<PCollection<InboundMessage>, TelemetryResults> {
  private final ProcessingConfig config;

  public TelemetryProcessing(ProcessingConfig config) {
    this.config = config;
  }

  @Override
  public TelemetryResults expand(PCollection<InboundMessage> messages) {
    PCollectionTuple parsed = messages.apply("Parse", new ParseTelemetry(config.limits()));
    PCollectionTuple timeline =
        parsed
            .get(ParseTelemetry.VALID)
            .apply("Enrich", new EnrichReadings(config.registry()))
            .apply(
                "DeviceTimeline",
                new DeviceTimeline(
                    config.dedupHorizon(), config.rules(), config.outOfOrderPolicy()));
    PCollection<Reading> readings = timeline.get(DeviceTimeline.FIRST_COPIES);
    return new TelemetryResults(
        messages.getPipeline(),
        readings,
        readings.apply(
            "WindowedStatistics",
            new WindowedStatistics(
                config.windowSize(),
                config.allowedLateness(),
                config.earlyFiringDelay(),
                config.lateFiringDelay())),
        timeline.get(DeviceTimeline.ALERTS),
        parsed.get(ParseTelemetry.DEAD_LETTERS));
  }
}
