package org.iotbeam.transforms;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.function.Consumer;
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
 * {@link ParseTelemetry} and the packing of {@link DeviceTimeline}'s bounded rendition in one step,
 * for bounded input, each message given as its protobuf encoding: outputs each device's valid
 * messages in packs ({@link #PACKS}, for {@link DeviceTimeline#fromPacks}) and the dead letters
 * ({@link ParseTelemetry#DEAD_LETTERS}). The packs' {@link #unpacker} parses each message into its
 * reading again and enriches it ({@link EnrichReadings}) after the grouping. The same judge ({@link
 * MessageJudge}), enrichment and counters as a stream's.
 *
 * <p>Why one step: Flink's batch runner hands every consumer of a step with two outputs the
 * serialized union of both, and chains neither. Parsing one element per reading, the readings were
 * encoded and decoded twice each (once for the dead letters' consumer, which drops them); as packs,
 * a few byte arrays per device are copied.
 *
 * <p>Why messages in the packs, not readings: a message is its payload's bytes, copied as they are,
 * and a small envelope; a reading had every string of the telemetry, its metadata map, the device's
 * profile and two hashes to encode into the pack and to decode after it, for a parse (done again
 * after the grouping) that costs less. Enrichment after the grouping adds the profile and the
 * hashes where they are used.
 */
final class ParseAndPack extends PTransform<PCollection<byte[]>, PCollectionTuple> {
  /** A device's valid messages, packed ({@link PackedReadings}), stamped with the earliest. */
  static final TupleTag<KV<String, byte[]>> PACKS = new TupleTag<>("packs") {};

  private final ValidationLimits limits;
  private final DeviceRegistry registry;

  ParseAndPack(ValidationLimits limits, DeviceRegistry registry) {
    this.limits = limits;
    this.registry = registry;
  }

  @Override
  public PCollectionTuple expand(PCollection<byte[]> messages) {
    PCollectionTuple out =
        messages.apply(
            "ParseAndPack",
            ParDo.of(new PackFn(limits))
                .withOutputTags(PACKS, TupleTagList.of(ParseTelemetry.DEAD_LETTERS)));
    out.get(PACKS).setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()));
    out.get(ParseTelemetry.DEAD_LETTERS).setCoder(Coders.DEAD_LETTER);
    return out;
  }

  /** The enriched readings of the packs this step outputs. */
  PackedReadings.Unpacker unpacker() {
    return new MessagesUnpacker(registry);
  }

  private static final class MessagesUnpacker implements PackedReadings.Unpacker {
    private final EnrichReadings.CountingEnricher enricher;

    MessagesUnpacker(DeviceRegistry registry) {
      this.enricher = new EnrichReadings.CountingEnricher(registry);
    }

    @Override
    public void forEach(byte[] pack, Consumer<Reading> each) {
      PackedReadings.forEach(
          pack,
          InboundMessage.parser(),
          m -> each.accept(enricher.enrich(TelemetryParser.readingOfValid(m))));
    }
  }

  /** Judges each message (given as its protobuf encoding) and packs the valid ones' encodings. */
  static final class PackFn extends DoFn<byte[], KV<String, byte[]>> {
    private final MessageJudge judge;
    private transient PackedReadings.Packer packer;

    PackFn(ValidationLimits limits) {
      this.judge = new MessageJudge(limits);
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
    public void process(@Element byte[] encoded, MultiOutputReceiver out) {
      InboundMessage in;
      try {
        in = InboundMessage.parseFrom(encoded);
      } catch (InvalidProtocolBufferException e) {
        // what a reader or TelemetryProcessing encoded, never what arrived: a bug, not bad input
        throw new IllegalStateException("an encoded InboundMessage that does not parse", e);
      }
      judge.judge(
          in,
          new MessageJudge.Verdict() {
            @Override
            public void valid(TelemetryParser.Parsed parsed, long eventTimeMs) {
              packer.add(parsed.telemetry().getDeviceId(), encoded, eventTimeMs);
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
