package org.iotbeam.runners.demo;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.iotbeam.cli.Flags;

/**
 * The flags of {@code iotbeam demo} ({@code ./demo.sh}), in the one flag style of every command:
 * {@code --name=value} or {@code --name value}, parsed by {@code org.iotbeam.cli.Flags}; {@link
 * DemoOptions#parse} turns them into the demo's settings.
 *
 * <p>A flag that a pipeline or runner options interface also has (windowMinutes, parallelism,
 * prometheusPort, smtpHost, smtpPort, smtpFrom) repeats its type and {@code @Default}: Beam refuses
 * different defaults of one property across the registered interfaces. The demo's own default,
 * where it differs, is its {@link Flags.CommandDefault}.
 */
public interface DemoFlags extends PipelineOptions {
  @Description("how long the simulator sends: 90s, 2m, PT1M, or seconds")
  @Default.String("60s")
  String getDuration();

  void setDuration(String v);

  @Description("messages per second over all devices")
  @Default.Double(1000)
  double getRate();

  void setRate(double v);

  @Description("simulated devices")
  @Default.Integer(200)
  int getDevices();

  void setDevices(int v);

  @Description("output base (default ./demo-output/<yyyyMMdd-HHmmss>)")
  String getOutput();

  void setOutput(String v);

  @Description("aggregate window in minutes (1, so that windows close during the demo)")
  @Default.Integer(5) // TelemetryOptions'
  @Flags.CommandDefault("1")
  Integer getWindowMinutes();

  void setWindowMinutes(Integer v);

  @Description("Flink parallelism")
  @Default.Integer(-1) // FlinkPipelineOptions'
  @Flags.CommandDefault("2")
  Integer getParallelism();

  void setParallelism(Integer v);

  @Description("partitions of the telemetry topic")
  @Default.Integer(2)
  int getPartitions();

  void setPartitions(int v);

  @Description("Flink checkpoint interval in seconds; files are finalized on checkpoints")
  @Default.Integer(5)
  int getCheckpointSeconds();

  void setCheckpointSeconds(int v);

  @Description("file flush delay in seconds (the pipeline's --fileFlushSeconds)")
  @Default.Integer(5)
  int getFlushSeconds();

  void setFlushSeconds(int v);

  @Description("how long to wait for the pipeline and the files after the simulator stops")
  @Default.String("180s")
  String getDrainTimeout();

  void setDrainTimeout(String v);

  @Description("fraction of deliberately malformed messages")
  @Default.Double(0.01)
  double getMalformedRatio();

  void setMalformedRatio(double v);

  @Description("simulator seed")
  @Default.Long(42)
  long getSeed();

  void setSeed(long v);

  @Description(
      "Beam metrics in Prometheus format on 127.0.0.1:N while the demo runs (0: any "
          + "free port; -1: off)")
  @Default.Integer(0) // ObservabilityOptions'
  Integer getPrometheusPort();

  void setPrometheusPort(Integer v);

  @Description(
      "also e-mail the notifications through this SMTP relay (the log lines of "
          + "LogChannel show them either way); credentials from env SMTP_USERNAME / SMTP_PASSWORD")
  @Default.String("") // NotifyOptions'
  String getSmtpHost();

  void setSmtpHost(String v);

  @Description("its port (587: STARTTLS)")
  @Default.Integer(587) // NotifyOptions'
  Integer getSmtpPort();

  void setSmtpPort(Integer v);

  @Description("sender address (needed with --smtpHost)")
  @Default.String("") // NotifyOptions'
  String getSmtpFrom();

  void setSmtpFrom(String v);

  @Description("recipients, ADDR[,ADDR] (needed with --smtpHost)")
  String getSmtpTo();

  void setSmtpTo(String v);

  @Description("no STARTTLS (a local test server; credentials are then refused)")
  boolean isSmtpInsecure();

  void setSmtpInsecure(boolean v);

  @Description("no progress lines, only the summary")
  boolean isQuiet();

  void setQuiet(boolean v);

  @Description("every log line of the brokers, Flink and Beam (default: warnings)")
  boolean isVerbose();

  void setVerbose(boolean v);
}
