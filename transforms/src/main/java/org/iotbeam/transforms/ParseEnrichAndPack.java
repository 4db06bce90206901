package org.iotbeam.transforms;

import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.iotbeam.domain.registry.DeviceRegistry;
import org.iotbeam.domain.validation.ValidationLimits;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.Reading;
import org.joda.time.Duration;

/**
 * {@link ParseTelemetry}, {@link EnrichReadings} and the packing of {@link DeviceTimeline}'s
 * bounded rendition in one step, for bounded input: outputs each device's enriched readings in
 * packs ({@link #PACKS}, for {@link DeviceTimeline#fromPacks()}) and the dead letters ({@link
 * ParseTelemetry#DEAD_LETTERS}). The same judge ({@link MessageJudge}), enrichment and counters.
 *
 * <p>Why one step: Flink's batch runner hands every consumer of a step with two outputs the
 * serialized union of both, and chains neither. Parsing one element per reading, the readings were
 * encoded and decoded twice each (once for the dead letters' consumer, which drops them); as packs,
 * a few byte arrays per device are copied.
 */
final class ParseEnrichAndPack extends PTransform<PCollection<InboundMessage>, PCollectionTuple> {
  /** A device's enriched readings, packed ({@link PackedReadings}), stamped with the earliest. */
  static final TupleTag<KV<String, byte[]>> PACKS = new TupleTag<>("packs") {};

  private final ValidationLimits limits;
  private final DeviceRegistry registry;

  ParseEnrichAndPack(ValidationLimits limits, DeviceRegistry registry) {
    this.limits = limits;
    this.registry = registry;
  }

  @Override
  public PCollectionTuple expand(PCollection<InboundMessage> messages) {
    PCollectionTuple out =
        messages.apply(
            "ParseEnrichAndPack",
            ParDo.of(new PackFn(limits, registry))
                .withOutputTags(PACKS, TupleTagList.of(ParseTelemetry.DEAD_LETTERS)));
    out.get(PACKS).setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()));
    out.get(ParseTelemetry.DEAD_LETTERS).setCoder(Coders.DEAD_LETTER);
    return out;
  }

  static final class PackFn extends DoFn<InboundMessage, KV<String, byte[]>> {
    private final MessageJudge judge;
    private final EnrichReadings.CountingEnricher enricher;
    private transient PackedReadings.Packer packer;

    PackFn(ValidationLimits limits, DeviceRegistry registry) {
      this.judge = new MessageJudge(limits);
      this.enricher = new EnrichReadings.CountingEnricher(registry);
    }

    @Setup
    public void setup() {
      judge.setup();
    }

    @StartBundle
    public void startBundle() {
      packer = new PackedReadings.Packer();
    }

    @ProcessElement
    public void process(@Element InboundMessage in, MultiOutputReceiver out) {
      judge.judge(
          in,
          new MessageJudge.Verdict() {
            @Override
            public void valid(Reading reading, long eventTimeMs) {
              packer.add(enricher.enrich(reading), eventTimeMs);
            }

            @Override
            public void dead(DeadLetter deadLetter) {
              out.get(ParseTelemetry.DEAD_LETTERS).output(deadLetter);
            }
          });
      packer.drain(p -> out.get(PACKS).outputWithTimestamp(p.element(), p.timestamp()));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      judge.flush();
      packer.flush();
      packer.drain(p -> c.output(PACKS, p.element(), p.timestamp(), GlobalWindow.INSTANCE));
    }

    /** Readings move back to their event time; a pack is stamped with its earliest reading. */
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }
}
