package org.iotbeam.runners.demo;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.iotbeam.transforms.TelemetryMetrics;

/**
 * Hands the demo the pipeline's Beam counters while the job runs on the embedded Flink cluster in
 * this JVM.
 *
 * <p>Why not {@code PipelineResult.metrics()}: in streaming mode Beam's Flink runner (2.70) keeps
 * metrics in {@code FlinkMetricContainerWithoutAccumulator}: the counters exist only as Flink
 * metrics (a Flink counter {@code iotbeam.<name>} per operator and subtask, updated when a bundle
 * finishes), and the job's accumulators, which {@code metrics()} reads, stay empty until the job
 * ends. A metric reporter sees those Flink counters live; this one keeps them in memory and sums
 * them by name. Registered by {@link Factory} (Flink loads reporter factories with the
 * ServiceLoader) and switched on by the Flink configuration {@link Demo} writes.
 */
public final class DemoMetricsReporter implements MetricReporter {
  static final String NAME = "iotbeamdemo";
  private static final Map<Counter, String> COUNTERS = new ConcurrentHashMap<>();
  private static volatile int open;

  /** The Flink configuration lines that turn this reporter on. */
  static String configLines() {
    return "metrics.reporter." + NAME + ".factory.class: " + Factory.class.getName() + "\n";
  }

  /** Whether a reporter is open (the embedded cluster started with it). */
  static boolean isOpen() {
    return open > 0;
  }

  /** The {@code iotbeam} counters now, summed over operators and subtasks, by name. */
  static Map<String, Long> counters() {
    Map<String, Long> m = new TreeMap<>();
    COUNTERS.forEach((c, name) -> m.merge(name, c.getCount(), Long::sum));
    return m;
  }

  @Override
  public void open(MetricConfig config) {
    synchronized (DemoMetricsReporter.class) {
      open++;
    }
  }

  @Override
  public void close() {
    synchronized (DemoMetricsReporter.class) {
      open--;
      if (open <= 0) {
        COUNTERS.clear();
      }
    }
  }

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    String prefix = TelemetryMetrics.NAMESPACE + ".";
    if (metric instanceof Counter c && metricName.startsWith(prefix)) {
      COUNTERS.put(c, metricName.substring(prefix.length()));
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    if (metric instanceof Counter c) {
      COUNTERS.remove(c);
    }
  }

  /** Flink's entry point ({@code META-INF/services/...MetricReporterFactory}). */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new DemoMetricsReporter();
    }
  }
}
