package org.iotbeam.pipelines.sinks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.iotbeam.domain.validation.Stage;
import org.iotbeam.pipelines.observability.DeadLetterLog;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.TelemetryMetrics;
import org.joda.time.Duration;

/**
 * The one dead-letter path of a pipeline: every step or sink that can fail adds its dead letters
 * ({@link #add}), and {@link #close()}, once the pipeline's graph is built, brings them together
 * and writes them everywhere dead letters go:
 *
 * <ol>
 *   <li>each collection into the global window with the default trigger (a sink's failures inherit
 *       the windows of what it wrote: an aggregate's window means nothing to its dead letter, and
 *       Flatten refuses to merge collections windowed differently);
 *   <li>all of them to the dead-letter topic ({@link #withTopic}, optional); the records the topic
 *       itself refuses join the others, but go to the topic no second time (no cycle);
 *   <li>counted: {@code sink_dead_letters} per record of stage {@link Stage#SINK} (the parser
 *       counts its own, {@code dead_letters}), so the dead-letter files hold {@code dead_letters +
 *       sink_dead_letters} records; logged ({@link DeadLetterLog}, records of stage {@link
 *       Stage#RECOVERED} are not failures and are not logged);
 *   <li>to the dead-letter files ({@link #withFiles}).
 * </ol>
 *
 * The records are not changed on the way. Beam's own {@link ErrorHandler} contract: add before
 * {@code close()}, close before the pipeline runs (use try-with-resources); the handler throws when
 * used out of that order. Beam's {@code Pipeline.registerBadRecordErrorHandler} takes {@code
 * BadRecord}s, not our dead letters, and neither re-windows nor has a second sink for the failures
 * of the first: hence this one.
 */
public final class DeadLetterHandler implements ErrorHandler<DeadLetter, PDone> {
  private static final long serialVersionUID = 1L;

  /** WARN lines per minute and worker thread; the rest at DEBUG. */
  static final int WARN_PER_MINUTE = 20;

  private final transient Pipeline pipeline;
  private final transient List<PCollection<DeadLetter>> added = new ArrayList<>();
  private transient String topicName;
  private transient PTransform<PCollection<DeadLetter>, PCollection<DeadLetter>> topic;
  private transient String filesName;
  private transient PTransform<PCollection<DeadLetter>, ? extends POutput> files;
  private boolean closed;

  private DeadLetterHandler(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** A handler for {@code pipeline}'s dead letters, with no sink yet. */
  public static DeadLetterHandler of(Pipeline pipeline) {
    return new DeadLetterHandler(pipeline);
  }

  /**
   * The dead-letter topic: a sink that returns the records it could not write (e.g. {@link
   * KafkaJsonSink}); they go to the files only.
   */
  public DeadLetterHandler withTopic(
      String name, PTransform<PCollection<DeadLetter>, PCollection<DeadLetter>> sink) {
    checkOpen();
    this.topicName = name;
    this.topic = sink;
    return this;
  }

  /** The dead-letter files: the last resort, whose failure fails the pipeline. */
  public DeadLetterHandler withFiles(
      String name, PTransform<PCollection<DeadLetter>, ? extends POutput> sink) {
    checkOpen();
    this.filesName = name;
    this.files = sink;
    return this;
  }

  /** Adds a step's or sink's dead letters, in whatever windows they are. */
  @Override
  public void addErrorCollection(PCollection<DeadLetter> deadLetters) {
    checkOpen();
    added.add(deadLetters);
  }

  /** {@link #addErrorCollection}; returns this handler, for chaining. */
  public DeadLetterHandler add(PCollection<DeadLetter> deadLetters) {
    addErrorCollection(deadLetters);
    return this;
  }

  /** Adds them if there are any (a sink that is not configured has none). */
  public DeadLetterHandler add(Optional<PCollection<DeadLetter>> deadLetters) {
    deadLetters.ifPresent(this::addErrorCollection);
    return this;
  }

  /** Adds every one of them. */
  public DeadLetterHandler addAll(List<PCollection<DeadLetter>> deadLetters) {
    deadLetters.forEach(this::addErrorCollection);
    return this;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public PDone getOutput() {
    if (!closed) {
      throw new IllegalStateException("the dead-letter handler is not closed yet");
    }
    return PDone.in(pipeline);
  }

  /** Applies the dead-letter path to everything added: see the class comment. */
  @Override
  public void close() {
    checkOpen();
    if (files == null) {
      throw new IllegalStateException("dead letters need their files: withFiles(...)");
    }
    closed = true;
    List<PCollection<DeadLetter>> global = new ArrayList<>();
    for (PCollection<DeadLetter> c : added) {
      global.add(inGlobalWindow(c));
    }
    PCollection<DeadLetter> deadLetters =
        global.isEmpty()
            ? pipeline.apply("NoDeadLetters", Create.empty(Coders.DEAD_LETTER))
            : PCollectionList.of(global)
                .apply("WithSinkFailures", Flatten.pCollections())
                .setCoder(Coders.DEAD_LETTER);
    PCollection<DeadLetter> all = deadLetters;
    if (topic != null) {
      PCollection<DeadLetter> topicFailures = inGlobalWindow(deadLetters.apply(topicName, topic));
      all =
          PCollectionList.of(deadLetters)
              .and(topicFailures)
              .apply("WithDeadLetterTopicFailures", Flatten.pCollections())
              .setCoder(Coders.DEAD_LETTER);
    }
    all.apply("CountDeadLetters", ParDo.of(new CountFn()));
    all.apply("LogDeadLetters", new DeadLetterLog(WARN_PER_MINUTE));
    all.apply(filesName, files);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(
          "the dead-letter handler is closed: add dead letters and " + "sinks before close()");
    }
  }

  /** In the global window with the default trigger: as it is, or re-windowed. */
  private static PCollection<DeadLetter> inGlobalWindow(PCollection<DeadLetter> c) {
    WindowingStrategy<?, ?> w = c.getWindowingStrategy();
    if (w.getWindowFn() instanceof GlobalWindows && w.getTrigger() instanceof DefaultTrigger) {
      return c;
    }
    return c.apply(
        c.getName().replace('/', '_') + "_GlobalWindow",
        Window.<DeadLetter>into(new GlobalWindows())
            .triggering(DefaultTrigger.of())
            .withAllowedLateness(Duration.ZERO)
            .discardingFiredPanes());
  }

  /** {@code sink_dead_letters}: one per dead letter of stage {@link Stage#SINK}. */
  static final class CountFn extends DoFn<DeadLetter, Void> {
    private final Counter sinkDeadLetters =
        TelemetryMetrics.counter(TelemetryMetrics.SINK_DEAD_LETTERS);

    @ProcessElement
    public void process(@Element DeadLetter d) {
      if (Stage.SINK.is(d.getStage())) {
        sinkDeadLetters.inc();
      }
    }
  }
}
