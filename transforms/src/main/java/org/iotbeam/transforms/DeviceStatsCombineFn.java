package org.iotbeam.transforms;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.iotbeam.domain.stats.DeviceSample;
import org.iotbeam.domain.stats.DeviceStats;

/** Per metric: min, max, mean, standard deviation, count and first/last time of the samples. */
public class DeviceStatsCombineFn extends CombineFn<DeviceSample, DeviceStats, DeviceStats> {
  @Override
  public DeviceStats createAccumulator() {
    return new DeviceStats();
  }

  @Override
  public DeviceStats addInput(DeviceStats acc, DeviceSample s) {
    return acc.add(s);
  }

  @Override
  public DeviceStats mergeAccumulators(Iterable<DeviceStats> accs) {
    DeviceStats merged = new DeviceStats();
    for (DeviceStats a : accs) {
      merged.merge(a);
    }
    return merged;
  }

  @Override
  public DeviceStats extractOutput(DeviceStats acc) {
    return acc;
  }

  @Override
  public Coder<DeviceStats> getAccumulatorCoder(
      CoderRegistry registry, Coder<DeviceSample> inputCoder) {
    return DeviceStatsCoder.of();
  }

  @Override
  public Coder<DeviceStats> getDefaultOutputCoder(
      CoderRegistry registry, Coder<DeviceSample> inputCoder) {
    return DeviceStatsCoder.of();
  }
}
