package org.iotbeam.pipelines.observability;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The flags of the Prometheus endpoint ({@link BeamMetricsExporter}). */
public interface ObservabilityOptions extends PipelineOptions {
  @Description("Port of the Prometheus endpoint serving the pipeline's Beam metrics "
      + "(http://<prometheusHost>:<port>/metrics); 0: off. On Flink this runs the job detached "
      + "so the launcher can poll the job's metrics while it runs.")
  @Default.Integer(0)
  Integer getPrometheusPort();

  void setPrometheusPort(Integer value);

  @Description("Address the Prometheus endpoint binds to.")
  @Default.String("127.0.0.1")
  String getPrometheusHost();

  void setPrometheusHost(String value);

  @Description("How often the endpoint polls the job's metrics, seconds.")
  @Default.Integer(5)
  Integer getMetricsPollSeconds();

  void setMetricsPollSeconds(Integer value);
}
