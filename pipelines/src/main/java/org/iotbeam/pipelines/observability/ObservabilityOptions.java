package org.iotbeam.pipelines.observability;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The flags of the Prometheus endpoint ({@link BeamMetricsExporter}). */
public interface ObservabilityOptions extends PipelineOptions {
  @Description(
      "Port of the Prometheus endpoint serving the pipeline's Beam metrics "
          + "(http://<prometheusHost>:<port>/metrics); 0: off. On Flink embedded a metric reporter "
          + "inside Flink serves them (added to the mini cluster's configuration); a Flink cluster "
          + "serves them only when its own flink-conf.yaml configures that reporter (the launcher "
          + "logs the lines to add). On other runners the launcher polls the job's metrics.")
  @Default.Integer(0)
  Integer getPrometheusPort();

  void setPrometheusPort(Integer value);

  @Description("Address the Prometheus endpoint binds to.")
  @Default.String("127.0.0.1")
  String getPrometheusHost();

  void setPrometheusHost(String value);

  @Description(
      "How often the launcher polls the job's metrics, seconds; runners other than "
          + "Flink only (Flink's reporter is read when scraped).")
  @Default.Integer(5)
  Integer getMetricsPollSeconds();

  void setMetricsPollSeconds(Integer value);
}
