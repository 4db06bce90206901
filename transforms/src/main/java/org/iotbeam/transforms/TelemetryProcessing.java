package org.iotbeam.transforms;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;

/**
 * The one composite both pipelines apply: parse and validate, enrich, then each device's timeline
 * (copies dropped, alerts evaluated and window statistics built in arrival order), then the panes
 * of those statistics. One keyed exchange a reading (by device into the timeline); into the panes,
 * one element per device and window, and one per late reading. Sources and sinks are the pipelines'
 * business; this transform does no I/O, which is what lets the same code serve a Kafka stream on
 * Flink, a backfill over archived blobs and a TestStream in a unit test.
 *
 * <p>On bounded input (a backfill) parsing and the packing of each device's valid messages for the
 * grouping are one step ({@link ParseAndPack}), and enrichment follows the grouping: the same
 * judge, enrichment and timeline, without a step whose outputs Flink's batch runner would serialize
 * once per consumer.
 */
public class TelemetryProcessing extends PTransform<PCollection<InboundMessage>, TelemetryResults> {
  private final ProcessingConfig config;
  private final boolean keepReadings;

  public TelemetryProcessing(ProcessingConfig config) {
    this(config, false);
  }

  private TelemetryProcessing(ProcessingConfig config, boolean keepReadings) {
    this.config = config;
    this.keepReadings = keepReadings;
  }

  /**
   * Also keeps the valid, de-duplicated readings as {@link TelemetryResults#readings()}. Off by
   * default: no shipped sink writes them, and they would be every reading once more through the
   * pipeline ({@link DeviceTimeline#withReadings()}).
   */
  public TelemetryProcessing withReadings() {
    return new TelemetryProcessing(config, true);
  }

  /**
   * The same processing of bounded input given as each message's protobuf encoding ({@code
   * InboundMessage.toByteArray()}): a backfill hands on the archive's records as it read them, so
   * no message is encoded again before it is packed for the grouping ({@link ParseAndPack}).
   *
   * @throws IllegalArgumentException when applied to unbounded input: a stream applies this
   *     transform to its {@link InboundMessage}s
   */
  public PTransform<PCollection<byte[]>, TelemetryResults> ofEncodedMessages() {
    return new PTransform<>("ProcessEncoded") {
      @Override
      public TelemetryResults expand(PCollection<byte[]> encoded) {
        if (encoded.isBounded() != PCollection.IsBounded.BOUNDED) {
          throw new IllegalArgumentException(
              "ofEncodedMessages() is for bounded input (a backfill); a stream applies"
                  + " TelemetryProcessing to its InboundMessages");
        }
        // the same judge, enrichment and timeline; on Flink's batch runner a step with two
        // outputs hands each consumer both, serialized: one step up to the packs (ParseAndPack)
        ParseAndPack parseAndPack = new ParseAndPack(config.limits(), config.registry());
        PCollectionTuple parsed = encoded.apply("ParseAndPack", parseAndPack);
        PCollectionTuple timeline =
            parsed
                .get(ParseAndPack.PACKS)
                .apply(deviceTimeline().fromPacks(parseAndPack.unpacker()));
        return results(encoded.getPipeline(), timeline, parsed.get(ParseTelemetry.DEAD_LETTERS));
      }
    };
  }

  @Override
  public TelemetryResults expand(PCollection<InboundMessage> messages) {
    if (messages.isBounded() == PCollection.IsBounded.BOUNDED) {
      return messages
          .apply(
              "Encode",
              MapElements.into(TypeDescriptor.of(byte[].class)).via(InboundMessage::toByteArray))
          .setCoder(ByteArrayCoder.of())
          .apply(ofEncodedMessages());
    }
    PCollectionTuple parsed = messages.apply("Parse", new ParseTelemetry(config.limits()));
    PCollectionTuple timeline =
        parsed
            .get(ParseTelemetry.VALID)
            .apply("Enrich", new EnrichReadings(config.registry()))
            .apply("DeviceTimeline", deviceTimeline());
    return results(messages.getPipeline(), timeline, parsed.get(ParseTelemetry.DEAD_LETTERS));
  }

  private DeviceTimeline deviceTimeline() {
    DeviceTimeline deviceTimeline =
        new DeviceTimeline(
            config.dedupHorizon(),
            config.rules(),
            config.outOfOrderPolicy(),
            config.windows(),
            config.earlyFiringDelay() != null);
    return keepReadings ? deviceTimeline.withReadings() : deviceTimeline;
  }

  private TelemetryResults results(
      Pipeline pipeline, PCollectionTuple timeline, PCollection<DeadLetter> deadLetters) {
    return new TelemetryResults(
        pipeline,
        keepReadings ? timeline.get(DeviceTimeline.FIRST_COPIES) : null,
        timeline
            .get(DeviceTimeline.WINDOW_STATS)
            .apply(
                "WindowedStatistics",
                new WindowedStatistics(
                    config.windows(), config.earlyFiringDelay(), config.lateFiringDelay())),
        timeline.get(DeviceTimeline.ALERTS),
        deadLetters);
  }
}
