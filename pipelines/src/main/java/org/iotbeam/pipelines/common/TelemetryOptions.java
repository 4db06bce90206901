package org.iotbeam.pipelines.common;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The options that decide what the shared composite computes. The streaming and the batch
 * pipeline both extend this, so one set of flags gives the same results in both.
 */
public interface TelemetryOptions extends PipelineOptions {
  @Description("Length of the tumbling event-time windows of the statistics, in minutes.")
  @Default.Integer(5)
  Integer getWindowMinutes();

  void setWindowMinutes(Integer value);

  @Description("How late (event time past the window end) a reading may arrive and still "
      + "update its window's aggregate, in minutes.")
  @Default.Integer(10)
  Integer getAllowedLatenessMinutes();

  void setAllowedLatenessMinutes(Integer value);

  @Description("Emit speculative (early) aggregate panes this many seconds of processing time "
      + "after a window's first reading; 0 turns early panes off.")
  @Default.Integer(0)
  Integer getEarlyFiringSeconds();

  void setEarlyFiringSeconds(Integer value);

  @Description("How long (event time) a reading is remembered to drop redelivered copies, "
      + "in minutes.")
  @Default.Integer(10)
  Integer getDedupMinutes();

  void setDedupMinutes(Integer value);

  @Description("Alert rules (JSON; a local path or azfs://...). Empty: the bundled defaults.")
  @Default.String("")
  String getRulesFile();

  void setRulesFile(String value);

  @Description("Device registry (JSON; a local path or azfs://...). Empty: the bundled "
      + "defaults.")
  @Default.String("")
  String getRegistryFile();

  void setRegistryFile(String value);

  @Description("Largest accepted payload, in bytes.")
  @Default.Integer(65536)
  Integer getMaxPayloadBytes();

  void setMaxPayloadBytes(Integer value);

  @Description("How far ahead of its ingest time a reading's timestamp may be, in seconds.")
  @Default.Integer(300)
  Integer getMaxFutureSkewSeconds();

  void setMaxFutureSkewSeconds(Integer value);

  @Description("How far behind its ingest time a reading's timestamp may be, in hours.")
  @Default.Integer(168)
  Integer getMaxAgeHours();

  void setMaxAgeHours(Integer value);
}
