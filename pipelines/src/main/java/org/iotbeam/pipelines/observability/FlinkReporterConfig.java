package org.iotbeam.pipelines.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.iotbeam.pipelines.flink.EmbeddedFlink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink configuration lines of {@link FlinkBeamMetricsReporter}, for a cluster's
 * flink-conf.yaml and, through {@link EmbeddedFlink}, for the embedded runner.
 */
public final class FlinkReporterConfig {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkReporterConfig.class);
  public static final String FACTORY_KEY = "metrics.reporter.iotbeam.factory.class";

  private FlinkReporterConfig() {}

  /** The reporter's configuration keys and values. */
  public static Map<String, String> entries(String host, int port) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(FACTORY_KEY, FlinkBeamMetricsReporterFactory.class.getName());
    m.put("metrics.reporter.iotbeam.host", host);
    m.put("metrics.reporter.iotbeam.port", Integer.toString(port));
    return m;
  }

  /** The lines to append to a flink-conf.yaml. */
  public static String lines(String host, int port) {
    StringBuilder b =
        new StringBuilder(
            "\n# Beam metrics in Prometheus format (org.iotbeam.pipelines.observability)\n");
    entries(host, port).forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
    return b.toString();
  }

  /**
   * Adds the reporter to the embedded MiniCluster's configuration ({@link EmbeddedFlink}), unless
   * that configuration has one already. Embedded runs only: a cluster's task managers read their
   * own conf (runners' flink-conf.yaml).
   */
  public static void enableEmbedded(FlinkPipelineOptions f, String host, int port) {
    EmbeddedFlink.configure(f, entries(host, port));
    LOG.info("embedded Flink: Beam metrics will be served on http://{}:{}/metrics", host, port);
  }
}
