package org.iotbeam.transforms;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.WindowAggregate;

/**
 * What {@link TelemetryProcessing} produces: the three streams every pipeline writes out, and the
 * readings when asked for.
 */
public final class TelemetryResults implements POutput {
  private static final TupleTag<Reading> READINGS = new TupleTag<>("readings");
  private static final TupleTag<WindowAggregate> AGGREGATES = new TupleTag<>("aggregates");
  private static final TupleTag<Alert> ALERTS = new TupleTag<>("alerts");
  private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters");

  private final Pipeline pipeline;
  private final PCollection<Reading> readings;
  private final PCollection<WindowAggregate> aggregates;
  private final PCollection<Alert> alerts;
  private final PCollection<DeadLetter> deadLetters;

  TelemetryResults(
      Pipeline pipeline,
      PCollection<Reading> readings,
      PCollection<WindowAggregate> aggregates,
      PCollection<Alert> alerts,
      PCollection<DeadLetter> deadLetters) {
    this.pipeline = pipeline;
    this.readings = readings;
    this.aggregates = aggregates;
    this.alerts = alerts;
    this.deadLetters = deadLetters;
  }

  /**
   * Valid, enriched, de-duplicated readings, stamped with their event time.
   *
   * @throws IllegalStateException unless asked for with {@link TelemetryProcessing#withReadings()}
   */
  public PCollection<Reading> readings() {
    if (readings == null) {
      throw new IllegalStateException(
          "the readings were not kept: apply new TelemetryProcessing(config).withReadings()");
    }
    return readings;
  }

  /** Window statistics per device and metric; several panes per window share an id. */
  public PCollection<WindowAggregate> aggregates() {
    return aggregates;
  }

  /** Alert events (raised, cleared); events of one alert share an id. */
  public PCollection<Alert> alerts() {
    return alerts;
  }

  /** Everything rejected, with the original bytes and the reason. */
  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    Map<TupleTag<?>, PValue> all = new LinkedHashMap<>();
    if (readings != null) {
      all.put(READINGS, readings);
    }
    all.put(AGGREGATES, aggregates);
    all.put(ALERTS, alerts);
    all.put(DEAD_LETTERS, deadLetters);
    return all;
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, org.apache.beam.sdk.values.PInput input, PTransform<?, ?> transform) {}
}
