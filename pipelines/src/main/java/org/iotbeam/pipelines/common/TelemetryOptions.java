package org.iotbeam.pipelines.common;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.iotbeam.domain.alerting.OutOfOrderPolicy;

/**
 * The options that decide what the shared composite computes. The streaming and the batch pipeline
 * both extend this, so one set of flags gives the same results in both.
 */
public interface TelemetryOptions extends PipelineOptions {
  @Description("Length of the tumbling event-time windows of the statistics, in minutes.")
  @Default.Integer(5)
  Integer getWindowMinutes();

  void setWindowMinutes(Integer value);

  @Description(
      "How late (event time past the window end) a reading may arrive and still "
          + "update its window's aggregate, in minutes.")
  @Default.Integer(10)
  Integer getAllowedLatenessMinutes();

  void setAllowedLatenessMinutes(Integer value);

  @Description(
      "Emit speculative (early) aggregate panes this many seconds of processing time "
          + "after a window's first reading; 0 turns early panes off.")
  @Default.Integer(0)
  Integer getEarlyFiringSeconds();

  void setEarlyFiringSeconds(Integer value);

  @Description(
      "Late aggregate panes: at most one per window this many seconds of processing "
          + "time after the first late reading, however many late readings arrive (a device that "
          + "uploads its buffer corrects each window a few times, not once per reading); 0: one pane "
          + "per late reading.")
  @Default.Integer(30)
  Integer getLateFiringSeconds();

  void setLateFiringSeconds(Integer value);

  @Description(
      "Alerts are evaluated as readings arrive. A reading older than the newest one "
          + "already evaluated for its device is EVALUATE'd anyway (a streak may count it) or SKIP'ped "
          + "from alerting (it still counts in the aggregates); counted either way as "
          + "alert_readings_out_of_order_<policy>.")
  @Default.Enum("EVALUATE")
  OutOfOrderPolicy getOutOfOrderAlerts();

  void setOutOfOrderAlerts(OutOfOrderPolicy value);

  @Description(
      "How long (event time) a reading is remembered to drop redelivered copies, " + "in minutes.")
  @Default.Integer(10)
  Integer getDedupMinutes();

  void setDedupMinutes(Integer value);

  @Description("Alert rules (JSON; a local path or azfs://...). Empty: the bundled defaults.")
  @Default.String("")
  String getRulesFile();

  void setRulesFile(String value);

  @Description(
      "Device registry (JSON; a local path or azfs://...). Empty: the bundled " + "defaults.")
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
