package org.iotbeam.pipelines.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.domain.validation.Stage;
import org.iotbeam.pipelines.sinks.JsonLinesFileSink;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.RawArchiveFormat;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.DeadLetters;
import org.iotbeam.transforms.TelemetryMetrics;

/**
 * What became of the messages an earlier run dead-lettered, now that the backfill has re-judged
 * them with the flags given now.
 *
 * <p>The earlier dead letters are read from their files ({@code --priorDeadLetters}: the streaming
 * pipeline's {@code outputBase/dead-letters}, by default the one next to a raw archive; every
 * {@code dt=/hour=} of the read span, earlier backfills' files included). Those whose message lies
 * in this backfill's range, by the same rule the backfill reads by ({@link MessageSelector}), are
 * joined by dead-letter id (the message's source position) with this run's dead letters and with
 * the ids of the messages it read:
 *
 * <ul>
 *   <li>dead before, read now, not dead now: <b>recovered</b>. A record with the same id supersedes
 *       the dead letter in every dead-letter sink: {@link Stage#RECOVERED}, {@link
 *       Reason#RECOVERED}, the original message, and a detail naming the backfill and the earlier
 *       reason. A reader that keeps the last record per id sees it resolved.
 *   <li>dead before and dead now: <b>still dead</b>; the new dead letter (same id, perhaps a new
 *       reason) replaces the old.
 *   <li>dead now only: <b>newly dead</b> (stricter flags than the earlier run's).
 * </ul>
 *
 * Sink and webhook failures (their ids are not source positions) and earlier "recovered" records
 * are not dead letters of a message and take no part. Counted as {@code
 * backfill_dead_letters_recovered}, {@code _still_dead}, {@code _new}.
 */
final class Recovery extends PTransform<PCollection<DeadLetter>, PCollection<DeadLetter>> {
  static final String STAGE = Stage.RECOVERED.code();
  static final String REASON = Reason.RECOVERED.name();
  static final String RECOVERED = "backfill_dead_letters_recovered";
  static final String STILL_DEAD = "backfill_dead_letters_still_dead";
  static final String NEWLY_DEAD = "backfill_dead_letters_new";
  static final String PRIOR_READ = "backfill_prior_dead_letters_read";

  private static final TupleTag<DeadLetter> BEFORE = new TupleTag<>() {};
  private static final TupleTag<DeadLetter> NOW = new TupleTag<>() {};
  private static final TupleTag<Long> READ = new TupleTag<>() {};

  private final String priorBase;
  private final MessageSelector selector;
  private final PCollection<byte[]> read;

  /**
   * @param priorBase where the earlier dead-letter files are ({@code .../dead-letters}); null or
   *     empty: none, nothing is recovered, every dead letter counts as new
   * @param read what the backfill read ({@link ArchiveChunk}s), to check a recovered message was
   *     really read
   */
  Recovery(String priorBase, MessageSelector selector, PCollection<byte[]> read) {
    this.priorBase = priorBase;
    this.selector = selector;
    this.read = read;
  }

  /**
   * @param deadNow this run's dead letters of the range
   */
  @Override
  public PCollection<DeadLetter> expand(PCollection<DeadLetter> deadNow) {
    PCollection<DeadLetter> before =
        deadNow
            .getPipeline()
            .begin()
            .apply("PriorDeadLetters", new PriorDeadLetters(priorBase, selector));
    PCollectionView<List<String>> beforeIds =
        before
            .apply("PriorIds", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::getId))
            .apply("Distinct", Distinct.create())
            .apply("AsList", View.asList());
    PCollection<KV<String, Long>> readOfPrior =
        read.apply("ReadOfPrior", ParDo.of(new ReadOfPriorFn(beforeIds)).withSideInputs(beforeIds))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return KeyedPCollectionTuple.of(BEFORE, keyed(before, "KeyPrior"))
        .and(NOW, keyed(deadNow, "KeyNow"))
        .and(READ, readOfPrior)
        .apply("ById", CoGroupByKey.create())
        .apply("Resolve", ParDo.of(new ResolveFn(selector.range().toString())))
        .setCoder(Coders.DEAD_LETTER);
  }

  private static PCollection<KV<String, DeadLetter>> keyed(PCollection<DeadLetter> d, String name) {
    return d.apply(
            name,
            WithKeys.<String, DeadLetter>of(DeadLetter::getId)
                .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.DEAD_LETTER));
  }

  /** The earlier dead letters of messages in the range. */
  static final class PriorDeadLetters extends PTransform<PBegin, PCollection<DeadLetter>> {
    private final String base;
    private final MessageSelector selector;

    PriorDeadLetters(String base, MessageSelector selector) {
      this.base = base;
      this.selector = selector;
    }

    @Override
    public PCollection<DeadLetter> expand(PBegin begin) {
      List<String> patterns = new ArrayList<>();
      if (base != null && !base.isBlank()) {
        String b = base.endsWith("/") ? base : base + "/";
        for (long hour : selector.span().hours()) {
          patterns.add(b + RawArchiveFormat.partitionOf(hour) + "*" + JsonLinesFileSink.SUFFIX);
        }
      }
      return begin
          .apply("Patterns", Create.of(patterns).withCoder(StringUtf8Coder.of()))
          .apply("List", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
          .apply("Open", FileIO.readMatches())
          .apply("Lines", TextIO.readFiles())
          .apply("OfTheRange", ParDo.of(new ParseFn(selector)))
          .setCoder(Coders.DEAD_LETTER);
    }
  }

  static final class ParseFn extends DoFn<String, DeadLetter> {
    private final MessageSelector selector;
    private final Counter read = TelemetryMetrics.counter(PRIOR_READ);

    ParseFn(MessageSelector selector) {
      this.selector = selector;
    }

    @ProcessElement
    public void process(@Element String line, OutputReceiver<DeadLetter> out) {
      if (line.isBlank()) {
        return;
      }
      DeadLetter d = ProtoJson.parse(line, DeadLetter.newBuilder()).build();
      read.inc();
      if (isOfAMessage(d) && selector.inRange(d.getInbound())) {
        out.output(d);
      }
    }
  }

  /** A dead letter of an inbound message (not a sink's failure, not a "recovered" record). */
  static boolean isOfAMessage(DeadLetter d) {
    return !STAGE.equals(d.getStage())
        && !Stage.SINK.is(d.getStage())
        && d.getId().equals(DeadLetters.idOf(d.getInbound()));
  }

  /** The ids of the messages read that were dead before. */
  static final class ReadOfPriorFn extends DoFn<byte[], KV<String, Long>> {
    private final PCollectionView<List<String>> before;
    private transient List<String> seen;
    private transient Set<String> ids;

    ReadOfPriorFn(PCollectionView<List<String>> before) {
      this.before = before;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<String> list = c.sideInput(before);
      if (list.isEmpty()) {
        return;
      }
      if (list != seen) { // the runner hands out the same materialized list: one set per task
        ids = new HashSet<>(list);
        seen = list;
      }
      ArchiveChunk.forEach(
          c.element(),
          (m, ts) -> {
            String id = DeadLetters.idOf(m);
            if (ids.contains(id)) {
              c.output(KV.of(id, 1L));
            }
          });
    }
  }

  static final class ResolveFn extends DoFn<KV<String, CoGbkResult>, DeadLetter> {
    private final String range;
    private final Counter recovered = TelemetryMetrics.counter(RECOVERED);
    private final Counter stillDead = TelemetryMetrics.counter(STILL_DEAD);
    private final Counter newlyDead = TelemetryMetrics.counter(NEWLY_DEAD);

    ResolveFn(String range) {
      this.range = range;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> e, OutputReceiver<DeadLetter> out) {
      // the same dead letter may have been written more than once (replays): pick one, always
      // the same one
      DeadLetter before = null;
      for (DeadLetter d : e.getValue().getAll(BEFORE)) {
        if (before == null || BY_CONTENT.compare(d, before) < 0) {
          before = d;
        }
      }
      boolean deadNow = e.getValue().getAll(NOW).iterator().hasNext();
      boolean read = e.getValue().getAll(READ).iterator().hasNext();
      if (before == null) {
        if (deadNow) {
          newlyDead.inc();
        }
      } else if (deadNow) {
        stillDead.inc();
      } else if (read) {
        recovered.inc();
        out.output(recovered(before, range));
      }
    }
  }

  private static final Comparator<DeadLetter> BY_CONTENT =
      Comparator.comparing(DeadLetter::getReason)
          .thenComparing(DeadLetter::getDetail)
          .thenComparing(DeadLetter::getStage);

  /** The record that supersedes {@code before} once its message is a reading. */
  static DeadLetter recovered(DeadLetter before, String range) {
    return before.toBuilder()
        .setStage(STAGE)
        .setReason(REASON)
        .setDetail(
            "a valid reading when the backfill of "
                + range
                + " reprocessed it (was "
                + before.getReason()
                + ": "
                + before.getDetail()
                + ")")
        .build();
  }
}
