package org.iotbeam.pipelines.observability;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * {@code metrics.reporter.iotbeam.factory.class:
 * org.iotbeam.pipelines.observability.FlinkBeamMetricsReporterFactory}; found by Flink through
 * META-INF/services.
 */
public class FlinkBeamMetricsReporterFactory implements MetricReporterFactory {
  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new FlinkBeamMetricsReporter();
  }
}
