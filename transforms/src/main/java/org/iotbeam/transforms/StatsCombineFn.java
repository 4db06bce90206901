package org.iotbeam.transforms;

import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.TimestampedValue;
import org.iotbeam.domain.stats.RunningStats;

/** Min, max, mean, standard deviation, count and first/last time of timestamped readings. */
public class StatsCombineFn extends CombineFn<TimestampedValue<Double>, RunningStats, RunningStats> {
  @Override
  public RunningStats createAccumulator() {
    return new RunningStats();
  }

  @Override
  public RunningStats addInput(RunningStats acc, TimestampedValue<Double> v) {
    return acc.add(v.getValue(), v.getTimestamp().getMillis());
  }

  @Override
  public RunningStats mergeAccumulators(Iterable<RunningStats> accs) {
    RunningStats merged = new RunningStats();
    for (RunningStats a : accs) {
      merged.merge(a);
    }
    return merged;
  }

  @Override
  public RunningStats extractOutput(RunningStats acc) {
    return acc;
  }

  @Override
  public Coder<RunningStats> getAccumulatorCoder(
      CoderRegistry registry, Coder<TimestampedValue<Double>> inputCoder)
      throws CannotProvideCoderException {
    return RunningStatsCoder.of();
  }

  @Override
  public Coder<RunningStats> getDefaultOutputCoder(
      CoderRegistry registry, Coder<TimestampedValue<Double>> inputCoder)
      throws CannotProvideCoderException {
    return RunningStatsCoder.of();
  }
}
