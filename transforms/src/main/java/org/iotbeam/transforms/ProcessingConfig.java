package org.iotbeam.transforms;

import java.io.Serializable;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.domain.alerting.OutOfOrderPolicy;
import org.iotbeam.domain.registry.DeviceRegistry;
import org.iotbeam.domain.stats.TumblingWindows;
import org.iotbeam.domain.validation.ValidationLimits;
import org.joda.time.Duration;

/**
 * Everything {@link TelemetryProcessing} needs to know, shared by the streaming and the batch
 * pipeline so that both compute the same thing. Immutable; start from {@link #defaults()}.
 */
public final class ProcessingConfig implements Serializable {
  private final Duration windowSize;
  private final Duration allowedLateness;
  private final Duration earlyFiringDelay;
  private final Duration lateFiringDelay;
  private final Duration dedupHorizon;
  private final ValidationLimits limits;
  private final DeviceRegistry registry;
  private final AlertRules rules;
  private final OutOfOrderPolicy outOfOrder;

  private ProcessingConfig(
      Duration windowSize,
      Duration allowedLateness,
      Duration earlyFiringDelay,
      Duration lateFiringDelay,
      Duration dedupHorizon,
      ValidationLimits limits,
      DeviceRegistry registry,
      AlertRules rules,
      OutOfOrderPolicy outOfOrder) {
    if (windowSize.getMillis() <= 0) {
      throw new IllegalArgumentException("window size must be positive, was " + windowSize);
    }
    if (allowedLateness.getMillis() < 0) {
      throw new IllegalArgumentException("allowed lateness must be >= 0, was " + allowedLateness);
    }
    if (earlyFiringDelay != null && earlyFiringDelay.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "early firing delay must be positive (or absent), was " + earlyFiringDelay);
    }
    if (lateFiringDelay.getMillis() < 0) {
      throw new IllegalArgumentException(
          "late firing delay must be >= 0 (0: a pane per late reading), was " + lateFiringDelay);
    }
    if (dedupHorizon.getMillis() <= 0) {
      throw new IllegalArgumentException("dedup horizon must be positive, was " + dedupHorizon);
    }
    this.windowSize = windowSize;
    this.allowedLateness = allowedLateness;
    this.earlyFiringDelay = earlyFiringDelay;
    this.lateFiringDelay = lateFiringDelay;
    this.dedupHorizon = dedupHorizon;
    this.limits = limits;
    this.registry = registry;
    this.rules = rules;
    this.outOfOrder = outOfOrder;
  }

  /**
   * 5-minute windows, 10 minutes of allowed lateness, no early panes, late panes at most every 30
   * seconds, 10-minute dedup, out-of-order readings evaluated.
   */
  public static ProcessingConfig defaults() {
    return new ProcessingConfig(
        Duration.standardMinutes(5),
        Duration.standardMinutes(10),
        null,
        Duration.standardSeconds(30),
        Duration.standardMinutes(10),
        ValidationLimits.defaults(),
        DeviceRegistry.empty(),
        AlertRules.none(),
        OutOfOrderPolicy.EVALUATE);
  }

  public ProcessingConfig withWindowSize(Duration d) {
    return new ProcessingConfig(
        d,
        allowedLateness,
        earlyFiringDelay,
        lateFiringDelay,
        dedupHorizon,
        limits,
        registry,
        rules,
        outOfOrder);
  }

  public ProcessingConfig withAllowedLateness(Duration d) {
    return new ProcessingConfig(
        windowSize,
        d,
        earlyFiringDelay,
        lateFiringDelay,
        dedupHorizon,
        limits,
        registry,
        rules,
        outOfOrder);
  }

  /** Early (speculative) panes this long after a window's first reading; null turns them off. */
  public ProcessingConfig withEarlyFiringDelay(Duration d) {
    return new ProcessingConfig(
        windowSize,
        allowedLateness,
        d,
        lateFiringDelay,
        dedupHorizon,
        limits,
        registry,
        rules,
        outOfOrder);
  }

  public ProcessingConfig withDedupHorizon(Duration d) {
    return new ProcessingConfig(
        windowSize,
        allowedLateness,
        earlyFiringDelay,
        lateFiringDelay,
        d,
        limits,
        registry,
        rules,
        outOfOrder);
  }

  public ProcessingConfig withLimits(ValidationLimits l) {
    return new ProcessingConfig(
        windowSize,
        allowedLateness,
        earlyFiringDelay,
        lateFiringDelay,
        dedupHorizon,
        l,
        registry,
        rules,
        outOfOrder);
  }

  public ProcessingConfig withRegistry(DeviceRegistry r) {
    return new ProcessingConfig(
        windowSize,
        allowedLateness,
        earlyFiringDelay,
        lateFiringDelay,
        dedupHorizon,
        limits,
        r,
        rules,
        outOfOrder);
  }

  public ProcessingConfig withRules(AlertRules r) {
    return new ProcessingConfig(
        windowSize,
        allowedLateness,
        earlyFiringDelay,
        lateFiringDelay,
        dedupHorizon,
        limits,
        registry,
        r,
        outOfOrder);
  }

  public Duration windowSize() {
    return windowSize;
  }

  /** The statistics' windows: their size and how long each takes late readings. */
  public TumblingWindows windows() {
    return new TumblingWindows(windowSize.getMillis(), allowedLateness.getMillis());
  }

  public Duration allowedLateness() {
    return allowedLateness;
  }

  public Duration earlyFiringDelay() {
    return earlyFiringDelay;
  }

  /** Late panes at most this often per window (processing time); 0: one per late reading. */
  public ProcessingConfig withLateFiringDelay(Duration d) {
    return new ProcessingConfig(
        windowSize,
        allowedLateness,
        earlyFiringDelay,
        d,
        dedupHorizon,
        limits,
        registry,
        rules,
        outOfOrder);
  }

  public ProcessingConfig withOutOfOrderPolicy(OutOfOrderPolicy p) {
    return new ProcessingConfig(
        windowSize,
        allowedLateness,
        earlyFiringDelay,
        lateFiringDelay,
        dedupHorizon,
        limits,
        registry,
        rules,
        p);
  }

  public Duration lateFiringDelay() {
    return lateFiringDelay;
  }

  public OutOfOrderPolicy outOfOrderPolicy() {
    return outOfOrder;
  }

  public Duration dedupHorizon() {
    return dedupHorizon;
  }

  public ValidationLimits limits() {
    return limits;
  }

  public DeviceRegistry registry() {
    return registry;
  }

  public AlertRules rules() {
    return rules;
  }
}
