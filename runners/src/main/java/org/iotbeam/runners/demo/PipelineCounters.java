package org.iotbeam.runners.demo;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.iotbeam.pipelines.observability.FlinkBeamMetricsReporter;
import org.iotbeam.transforms.TelemetryMetrics;

/** A running pipeline's counters in namespace {@code iotbeam}, summed over steps, by name. */
final class PipelineCounters {
  private PipelineCounters() {}

  /**
   * The live counters of the embedded Flink cluster's {@link FlinkBeamMetricsReporter} (the
   * configuration {@link Demo} writes turns it on) once it has any, else what {@link
   * PipelineResult#metrics()} says (other runners, or a finished job; a running streaming job on
   * Flink has none there).
   */
  static Map<String, Long> read(PipelineResult result) {
    Map<String, Long> live = FlinkBeamMetricsReporter.counters();
    if (!live.isEmpty()) {
      return live;
    }
    try {
      return sum(result.metrics().queryMetrics(MetricsFilter.builder().build()));
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  static Map<String, Long> sum(MetricQueryResults q) {
    Map<String, Long> m = new TreeMap<>();
    for (MetricResult<Long> c : q.getCounters()) {
      if (!TelemetryMetrics.NAMESPACE.equals(c.getName().getNamespace())) {
        continue;
      }
      Long v = c.getAttempted();
      if (v != null) {
        m.merge(c.getName().getName(), v, Long::sum);
      }
    }
    return m;
  }
}
